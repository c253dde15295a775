"""Django's Redis cache, but a Redis that is down or slow is a cache miss, not a 500.

Every call that fails with a Redis error logs one warning (at most one every
WARN_EVERY seconds per process) and answers as if the key were missing: pages render
fresh until Redis is back.

After a failure the process leaves Redis alone for RETRY_AFTER seconds, answering every call
as a miss at once, then tries again: a hung Redis (one that accepts connections but never
answers) costs one socket timeout per process every few seconds, not one per cache call.
Skipping the cache is always safe here: page keys come from version counters in the database
(roadmap/versions.py), so nothing is ever invalidated by deleting a key.
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import RedisError

logger = logging.getLogger("waypoint.cache")

WARN_EVERY = 60  # seconds


class RedisCache(django_redis.RedisCache):
    RETRY_AFTER = 5  # seconds without Redis after a failed call
    _warned_at = None
    _down_until = 0.0  # time.monotonic() before which calls do not reach Redis

    def _failed(self, operation, error):
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            type(self)._warned_at = now  # once per process, not per thread's cache object
            logger.warning("Cache unavailable, serving without it: %s: %r", operation, error)

    def _try(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            # Per process, like the warning: every thread's cache object stays away.
            type(self)._down_until = time.monotonic() + self.RETRY_AFTER
            self._failed(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._try("incr", missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, keys, version)

    def clear(self):
        return self._try("clear", False)
