"""What each process keeps of what it read or worked out: roadmap content and its outline, map
layouts, roadmap rows, revision lists, rendered lines, frames and history entries.

Each store is a `Kept`, bounded: the entry used least recently goes first, so what the pages
being viewed now need stays while superseded versions age out. A kept value is named for good
by its key: a content version, or the very object a fragment is rendered from. So a
process's copy cannot be stale (roadmap/outline.py says why for content), and nothing needs
to tell the processes to drop anything. Every store registers itself, so that tests can drop
them all at once (`forget_all`): a database rolled back between tests reuses ids and times,
and with them the keys.
"""

from django.core.cache import cache

_stores = []


class Kept:
    """A process's bounded store; safe with threads (a threaded server): a lost race drops
    one entry more or fewer."""

    def __init__(self, size):
        self.size = size
        self._values = {}
        _stores.append(self)

    def get(self, key):
        """The value kept under `key` (now the most recently used), or None."""
        values = self._values
        value = values.pop(key, None)
        if value is not None:
            values[key] = value  # a dict keeps insertion order: the end is the newest
        return value

    def keep(self, key, value):
        """Keep `value` under `key`, dropping the least recently used entries to make room;
        returns it."""
        values = self._values
        while len(values) >= self.size:
            try:
                values.pop(next(iter(values)), None)
            except (RuntimeError, StopIteration):  # changed by another thread meanwhile
                break
        values[key] = value
        return value

    def through(self, key, build):
        """The value kept under `key`, else `build()`, kept; for values only this process
        needs (rendered lines, reversed URLs), not worth a trip to the shared cache."""
        value = self.get(key)
        if value is None:
            value = self.keep(key, build())
        return value

    def through_cache(self, key, build, timeout):
        """The value named `key`: this process's copy, else the shared cache's, else
        `build()` (then put in the cache for `timeout` seconds); kept here in either case."""
        value = self.get(key)
        if value is None:
            value = cache.get(key)
            if value is None:
                value = build()
                cache.set(key, value, timeout)
            self.keep(key, value)
        return value

    def clear(self):
        self._values.clear()


def forget_all():
    """Drop what every store of this process keeps (tests)."""
    for store in _stores:
        store.clear()
