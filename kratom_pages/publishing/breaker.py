"""The API cache's circuit breaker: a process stops asking a cache that just failed.

Every call kratom-pages makes to ``API_CACHE`` goes through ``call``. A failure of any
kind (refused, timed out, a missing table, a server error) opens the breaker: for
``API_CACHE_RETRY_SECONDS`` this process skips the cache at no cost and serves uncached,
then lets calls through again. What a call may cost is the cache's own timeouts
(``SOCKET_CONNECT_TIMEOUT``/``SOCKET_TIMEOUT`` for Redis; ``check --deploy`` warns when
they are missing), so a dead cache costs one timeout per process per retry period.

A failure also makes the cache *suspect*: writes made while it was unreachable may be
missing from it, or it may have come back from an older snapshot. ``outbox.ensure_current``
checks the cache against the database before anything read from it is trusted again.
"""

import logging
import threading
import time
from contextlib import nullcontext

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import router, transaction

from kratom_pages import conf

logger = logging.getLogger(__name__)


class CacheDown(Exception):
    """The API cache failed, or its breaker is open: serve uncached."""


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.suspect = True  # nothing is known about the cache until it has been checked
        self.trips = 0


_state = _State()


def is_open() -> bool:
    return time.monotonic() < _state.open_until


def call(method: str, *args, **kwargs):
    """``caches[API_CACHE].<method>(*args, **kwargs)``, or ``CacheDown`` when the breaker
    is open or the call fails (which opens it)."""
    if is_open():
        raise CacheDown("breaker open")
    cache = caches[conf.get("API_CACHE")]
    try:
        with _contained(cache):
            return getattr(cache, method)(*args, **kwargs)
    except Exception as exc:
        trip(exc)
        raise CacheDown(type(exc).__name__) from exc


def _contained(cache):
    """A savepoint around a database cache's call: on PostgreSQL a failed statement (a
    missing table) would otherwise abort the request's transaction, and every query after
    it, for a cache the request can do without."""
    if isinstance(cache, DatabaseCache):
        return transaction.atomic(using=router.db_for_write(cache.cache_model_class))
    return nullcontext()


def trip(exc: BaseException | None = None) -> None:
    """Open the breaker after a failure, and mark the cache suspect."""
    with _state.lock:
        already_open = is_open()
        _state.open_until = time.monotonic() + conf.get("API_CACHE_RETRY_SECONDS")
        _state.suspect = True
        _state.trips += 1
    if not already_open:
        # Once per opening: an outage must not write a traceback per request.
        logger.warning(
            "API cache unavailable (%s); serving uncached for %s s",
            type(exc).__name__ if exc else "lost change notices",
            conf.get("API_CACHE_RETRY_SECONDS"),
            exc_info=exc is not None and logger.isEnabledFor(logging.DEBUG),
        )


def mark_suspect() -> None:
    """Something this process saw (lost change notices, a new connection) means the
    cache may have lost writes: check it before trusting it again."""
    _state.suspect = True


def is_suspect() -> bool:
    return _state.suspect


def cleared() -> None:
    """The cache has been checked against the database and caught up."""
    _state.suspect = False


def reset() -> None:
    """Close the breaker and forget everything (tests, and projects that swap CACHES)."""
    with _state.lock:
        _state.open_until = 0.0
        _state.suspect = True
