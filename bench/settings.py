"""The production settings plus bench/urls.py's bare view; for throughput.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
