"""Each worker's own copy of the cache versions and entries it served, kept exact by Redis.

A hit in the shared cache still costs a network round trip and the transfer of the whole
response. Redis can tell a client when keys change (client-side caching: ``CLIENT
TRACKING`` in broadcast mode, Redis 6 or later): each process keeps one connection
subscribed to those notices for the version keys, and reads whatever has arrived on it
before every lookup (a non-blocking poll). Redis queues a notice on that connection before
it acknowledges the change to the writer, but the two travel on different connections: on
another host (or a busy one) the notice may still be on its way when a reader asks. So a
hit is served only after a PING on the notice connection comes back: every notice Redis
queued before it (of every change already acknowledged) has then been read. One such
barrier covers the hits of the next ``API_CACHE_LOCAL_BARRIER_SECONDS`` (10 ms): a change
is seen by every read that begins that long after Redis acknowledged it, however slowly
its notice travels (a notice that has arrived is applied before every hit anyway): a trip
per hit cost more than the rest of the hit. 0 makes every hit wait for its own.

When the connection is down, or could not be made, nothing local is trusted and every
lookup goes to Redis as before. Local versions also expire after
``API_CACHE_LOCAL_SECONDS``, so a link that died without a word (a silent network
partition) cannot keep a stale page longer than that.
"""

import logging
import os
import select
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import suppress

from django.conf import settings
from django.core.cache import caches

from kratom_pages import conf
from kratom_pages.publishing import breaker
from kratom_pages.publishing.redis_conf import redis_url, tracking_connection

logger = logging.getLogger(__name__)

CHANNEL = "__redis__:invalidate"
PING = b"*1\r\n$4\r\nPING\r\n"
PONG = b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"  # the reply to PING on a subscribed connection
RETRY_SECONDS = 5  # after a failed connection, how long lookups go straight to Redis


class LocalTier:
    """Versions and entries of one process, valid while Redis has said nothing new."""

    def __init__(self, alias: str, connection, client_id: int):
        self.pid = os.getpid()
        self.alias = alias
        self.config = settings.CACHES.get(alias)  # another CACHES (tests) means another tier
        self.client_id = client_id  # Redis's id of the notice connection
        self.hits = 0
        self._connection = connection
        self._cache = caches[alias]
        self._lock = threading.Lock()
        self._versions: dict[str, tuple[object, float]] = {}  # key -> (value, read at)
        self._entries: OrderedDict[str, tuple] = OrderedDict()  # key -> (versions, entry, …)
        self._bytes = 0
        self._raw_names: dict[bytes, str] = {}
        self._poller = self._polled = None  # a poll object on the notice socket
        self._drained = False  # whether redis-py's buffer is known to be empty
        self.barriers = 0
        self._fenced_at = float("-inf")  # when the last completed barrier's PING was sent
        # Bumped by every notice: a version read from Redis before a notice that arrived
        # while it was in flight must not be remembered (``remember`` compares).
        self.epoch = 0

    def serves(self, alias: str) -> bool:
        return (
            self.pid == os.getpid()
            and self.alias == alias
            and self.config is settings.CACHES.get(alias)
        )

    def _raw(self, key: str) -> bytes:
        raw = self._cache.make_key(key).encode()
        self._raw_names[raw] = key
        return raw

    def sync(self) -> int:
        """Apply every notice that has arrived; the epoch to hand back to ``remember``.
        Raises when the connection is broken (the caller then drops this tier)."""
        with self._lock:
            if self._quiet():
                return self.epoch
            self._drain()
            return self.epoch

    def _apply(self, message) -> bool:
        """Forget the versions a notice names; whether ``message`` was a PING's reply."""
        if not isinstance(message, list):
            return False
        if message[0] == b"pong":
            return True
        if message[0] != b"message":
            return False
        self.epoch += 1
        keys = message[2]
        if keys is None:  # FLUSHDB/FLUSHALL: every key changed
            self._versions.clear()
            return False
        for raw in keys:
            name = self._raw_names.get(raw)
            if name is not None:
                self._versions.pop(name, None)
        return False

    def _barrier(self) -> None:
        """Read every notice Redis queued before now: send a PING and apply what comes
        back until its reply. Raises when the connection is broken or too slow."""
        connection, sock = self._connection, self._open_socket()
        sock.sendall(PING)
        # Mostly the reply alone comes back: peeked and taken from the socket directly, at
        # half redis-py's cost, when its parser holds nothing that came before it (TLS
        # sockets cannot peek).
        plain = not isinstance(sock, ssl.SSLSocket)
        if plain and self._drained and sock.recv(len(PONG), socket.MSG_PEEK) == PONG:
            sock.recv(len(PONG))
            return
        while not self._apply(connection.read_response()):
            pass
        self._drain()

    def _open_socket(self):
        # Never let redis-py reconnect a dropped tier: a new connection has no tracking.
        sock = self._connection._sock
        if sock is None:  # closed (``close`` or a failed read disconnects it)
            raise ConnectionError("the notice connection is closed")
        return sock

    def _drain(self) -> None:
        self._open_socket()
        while self._connection.can_read(timeout=0):
            self._apply(self._connection.read_response())
        self._drained = True  # redis-py's buffer is empty

    def _quiet(self) -> bool:
        """Whether nothing waits on the notice socket: one zero-timeout poll, far cheaper
        than redis-py's ``can_read`` (which sets socket timeouts and reads into its
        buffer), once that buffer is known to be empty (``_drain`` reads until it is)."""
        sock = self._connection._sock
        if sock is None or not self._drained:
            return False  # ``_drain`` reads the buffer, or raises on a closed connection
        if self._poller is None or self._polled is not sock:
            self._poller, self._polled = select.poll(), sock
            self._poller.register(sock, select.POLLIN | select.POLLPRI)
        return not self._poller.poll(0)  # readable, hung up or in error: read it all

    def read(self, version_keys: Sequence[str], entry_key: str):
        """``(versions, entry)`` when both are known here and current, else None."""
        with self._lock:
            if self._connection._sock is None:  # dropped: its notices are no longer heard
                return None
            found, lost = self._known(version_keys, entry_key), False
            if found is None:
                return None
            sent = time.monotonic()
            if sent - self._fenced_at >= conf.get("API_CACHE_LOCAL_BARRIER_SECONDS"):
                try:
                    self._barrier()
                except Exception:  # noqa: BLE001 - broken or too slow: trust nothing local
                    found, lost = None, True
                else:
                    self._fenced_at, self.barriers = sent, self.barriers + 1
                    found = self._known(version_keys, entry_key)
            self.hits += found is not None
        if lost:
            _lost(self)
        return found

    def _known(self, version_keys: Sequence[str], entry_key: str):
        oldest = time.monotonic() - conf.get("API_CACHE_LOCAL_SECONDS")
        known = [self._versions.get(key) for key in version_keys]
        if any(value is None or value[1] < oldest for value in known):
            return None
        versions = tuple(value[0] for value in known)
        stored = self._entries.get(entry_key)
        if stored is None or stored[0] != versions or stored[2] <= time.time():
            return None
        self._entries.move_to_end(entry_key)
        return versions, stored[1]

    def remember(self, epoch: int, versions: dict[str, object], entry_key=None, stored=None):
        """Keep versions read from Redis (unless a notice came in meanwhile) and the entry
        ``stored`` as ``(versions, entry, deadline)``."""
        now = time.monotonic()
        with self._lock:
            if epoch != self.epoch:
                return
            for key, value in versions.items():
                self._raw(key)
                self._versions[key] = (value, now)
            if entry_key is not None and stored is not None:
                self._keep_entry(entry_key, stored)

    def _keep_entry(self, key: str, stored: tuple) -> None:
        size = _size_of(stored[1])
        limit = conf.get("API_CACHE_LOCAL_BYTES")
        if size > limit // 4:
            return  # one response must not push out everything else
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._bytes -= _size_of(previous[1])
        self._entries[key] = stored
        self._bytes += size
        while self._bytes > limit and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= _size_of(dropped[1])

    def close(self) -> None:
        with suppress(Exception):  # already gone
            self._connection.disconnect()


def _size_of(entry) -> int:
    body = entry[0] if isinstance(entry, tuple) else entry
    return len(body) if isinstance(body, bytes | str) else 1024


_current: LocalTier | None = None
_retry_at = 0.0
_setup_lock = threading.Lock()


def current(alias: str, version_prefixes: Sequence[str]) -> LocalTier | None:
    """This process's tier for cache ``alias``, synced; None when it cannot be trusted
    (switched off, not Redis, no connection): the caller then asks Redis."""
    global _current, _retry_at
    if not conf.get("API_CACHE_LOCAL"):
        return None
    tier = _current
    if tier is not None and not tier.serves(alias):
        # A forked worker (the parent's socket is not ours), or another cache configured.
        tier = _current = None
    if tier is None:
        if time.monotonic() < _retry_at:
            return None
        with _setup_lock:
            if _current is None or not _current.serves(alias):
                _current = _connect(alias, version_prefixes)
                if _current is None:
                    _retry_at = time.monotonic() + RETRY_SECONDS
            tier = _current
        if tier is None:
            return None
    try:
        tier.sync()
    except Exception:  # noqa: BLE001 - the notices may be lost: trust nothing local
        _lost(tier)
        return None
    return tier


def _lost(tier: LocalTier) -> None:
    # Redis restarted, failed over or went away: what it holds now may be older than what
    # this process last saw, so it is checked before it is trusted again.
    logger.warning("Lost the API cache's change notices; checking it against the database")
    breaker.mark_suspect()
    drop(tier)


def reset() -> None:
    """Forget this process's tier (its next lookup connects again): for tests that swap
    CACHES, and for projects that reconfigure caches at run time."""
    global _current, _retry_at
    if _current is not None:
        _current.close()
    _current, _retry_at = None, 0.0


def drop(tier: LocalTier) -> None:
    global _current, _retry_at
    tier.close()
    if _current is tier:
        _current = None
        _retry_at = time.monotonic() + 1


def _connect(alias: str, version_prefixes: Sequence[str]) -> LocalTier | None:
    url = redis_url(alias)
    if url is None:
        return None
    cache = caches[alias]
    prefixes = [cache.make_key(prefix) for prefix in version_prefixes]
    if any(
        not cache.make_key(f"{p}x").startswith(r)
        for p, r in zip(version_prefixes, prefixes, strict=True)
    ):
        return None  # a KEY_FUNCTION that does not keep prefixes: notices cannot be matched
    try:
        connection, client_id = tracking_connection(url, alias, prefixes, CHANNEL)
    except Exception:  # noqa: BLE001 - Redis before 6, a proxy without tracking, an outage
        logger.info("API cache: no change notices from Redis; every hit asks Redis", exc_info=True)
        return None
    return LocalTier(alias, connection, client_id)
