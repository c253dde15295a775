"""Django's Redis cache, but a Redis that is down or slow is a cache miss, not a 500.

Every call that fails with a Redis error logs one warning (at most one every
WARN_EVERY seconds per process) and answers as if the key were missing: pages render
fresh until Redis is back, and the next call after that uses it again.
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import RedisError

logger = logging.getLogger("waypoint.cache")

WARN_EVERY = 60  # seconds


class RedisCache(django_redis.RedisCache):
    _warned_at = None

    def _failed(self, operation, error):
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            type(self)._warned_at = now  # once per process, not per thread's cache object
            logger.warning("Cache unavailable, serving without it: %s: %r", operation, error)

    def _try(self, operation, fallback, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
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
