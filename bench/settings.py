"""The production settings plus bench/urls.py's bare view, and a header naming the worker
process that answered (bench/active.py warms every worker before it measures memory)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

MIDDLEWARE = ["bench.urls.worker_header", *MIDDLEWARE]  # noqa: F405
