"""A local-memory cache that can be switched off, as a Redis outage would: every call
raises while ``FlakyCache.down`` is set, in every thread and context (prerendering runs
in a fresh one)."""

from django.core.cache.backends.locmem import LocMemCache


class FlakyCache(LocMemCache):
    down = False
    calls = 0

    def _check(self) -> None:
        type(self).calls += 1
        if type(self).down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _failing(name):
    def method(self, *args, **kwargs):
        self._check()
        return getattr(LocMemCache, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "incr"):
    setattr(FlakyCache, _name, _failing(_name))
