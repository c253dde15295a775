"""A Redis that is down or hung is a cache miss, never an error (config/cache.py), and is left
alone for a few seconds after a failure."""

import logging
import runpy
import socket
import time

import pytest

from config.cache import RedisCache
from tests.scale.servers import ROOT

pytestmark = pytest.mark.faults


@pytest.fixture
def options(monkeypatch):
    """The OPTIONS config/settings.py gives the cache when REDIS_URL is set."""
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(RedisCache, "_warned_at", None)
    monkeypatch.setattr(RedisCache, "_down_until", 0.0)
    monkeypatch.setattr(RedisCache, "RETRY_AFTER", 0.5)
    caches = runpy.run_path(str(ROOT / "config" / "settings.py"))["CACHES"]
    assert caches["default"]["BACKEND"] == "config.cache.RedisCache"
    return caches["default"]["OPTIONS"]


def misses_everything(cache):
    assert cache.get("page") is None
    assert cache.get("page", "fresh") == "fresh"
    assert cache.get_many(["page", "other"]) == {}
    assert cache.get_or_set("page", lambda: "rendered") == "rendered"
    assert cache.has_key("page") is False
    assert cache.set("page", "html") is False
    assert cache.add("page", "html") is False
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    assert cache.set_many({"page": 1, "other": 2}) == ["page", "other"]
    assert cache.delete_many(["page", "other"]) is None
    assert cache.clear() is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    with pytest.raises(ValueError, match="not found"):
        cache.decr("counter")


def test_a_stopped_redis_is_a_miss_with_one_warning_and_is_used_again_once_back(
    redis_server, options, caplog, monkeypatch
):
    cache = RedisCache(redis_server.url, {"OPTIONS": options})
    cache.set("page", "cached html")
    cache.set("counter", 1)
    assert cache.get("page") == "cached html"
    assert cache.incr("counter") == 2

    redis_server.stop()
    monkeypatch.setattr(RedisCache, "RETRY_AFTER", 0)  # every call reaches Redis and fails
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="waypoint.cache"):
        misses_everything(cache)
        misses_everything(cache)
    assert time.monotonic() - started < 2
    warnings = [record for record in caplog.records if record.name == "waypoint.cache"]
    assert len(warnings) == 1, "a down Redis logs once, not on every call"
    assert "Cache unavailable" in warnings[0].getMessage()
    assert "\n" not in warnings[0].getMessage()

    monkeypatch.setattr(RedisCache, "RETRY_AFTER", 0.5)
    assert cache.get("page") is None  # a failure: Redis is left alone for RETRY_AFTER
    redis_server.start()
    cache.set("page", "new html")
    assert cache.get("page") is None, "back, but within RETRY_AFTER of the last failure"
    time.sleep(RedisCache.RETRY_AFTER)
    cache.set("page", "new html")
    assert cache.get("page") == "new html"
    assert cache.get_many(["page"]) == {"page": "new html"}


def test_a_hung_redis_costs_one_timeout_then_is_left_alone_for_a_while(options, caplog):
    """A Redis that accepts connections but never answers costs one socket timeout, then
    nothing until RETRY_AFTER has passed."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)  # the kernel completes connections; nobody ever reads them
        port = hung.getsockname()[1]
        cache = RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})

        started = time.monotonic()
        assert cache.get("page", "fresh") == "fresh"
        first = time.monotonic() - started
        assert first < 2 * options["socket_timeout"] + 0.5

        # Then it is left alone: a page's many cache calls cost nothing more.
        started = time.monotonic()
        for __ in range(50):
            assert cache.set("page", "html") is False
            assert cache.get_many(["page", "other"]) == {}
        assert time.monotonic() - started < 0.1

        # And tried again after RETRY_AFTER (still hung: one more timeout).
        time.sleep(RedisCache.RETRY_AFTER)
        started = time.monotonic()
        assert cache.get("page", "fresh") == "fresh"
        assert time.monotonic() - started >= options["socket_timeout"] * 0.9

    assert any(record.name == "waypoint.cache" for record in caplog.records)
