"""Cached API representations and HTTP validators for page detail responses.

An entry is the rendered JSON of a page's detail for one request variant (scheme, host,
path and the parameters the endpoint recognises, in a canonical order), stored with the
page's version and the site-wide generation it was built under (``versions``); it counts
as a hit only while both are current. ``kratom_pages.publishing.invalidation`` decides
which pages a change affects, and ``outbox`` gives those pages new versions, durably.

Nothing here trusts the cache unless ``outbox.ensure_current`` says it holds every
committed change, and every call goes through ``breaker``: any cache failure degrades to
uncached serving, never to an error or a stale read.
"""

import logging
import time
import uuid
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime

from django.utils import timezone

from kratom_pages import conf
from kratom_pages.publishing import breaker, local_tier, outbox, versions
from kratom_pages.publishing.validators import (  # noqa: F401 - the cache's HTTP side
    add_validators,
    etag_for,
    last_modified_of,
    not_modified,
)
from kratom_pages.publishing.variants import variant_digest
from kratom_pages.publishing.versions import GENERATION_KEY, LISTINGS_KEY, page_version_key

logger = logging.getLogger(__name__)

# One request renders a missing entry; others wait up to RENDER_WAIT_SECONDS for it.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 1.0


def enabled() -> bool:
    return versions.enabled()


def readable() -> bool:
    """Whether this request may use the API cache at all: caching is on, the breaker is
    closed, and the cache holds every committed change."""
    return versions.enabled() and outbox.ensure_current()


def _local_tier():
    """This process's local tier over a Redis API cache (``publishing.local_tier``)."""
    return local_tier.current(conf.get("API_CACHE"), versions.VERSION_PREFIXES)


def on_pages_changed(sender, change, committed, **kwargs) -> None:
    """Subscriber of ``publishing.invalidation.pages_changed``: new versions at once, so no
    entry is built from rows about to change. Once committed, ``outbox`` applies the
    change's record (new versions again, durably: an entry built meanwhile never
    survives). A cache that cannot take it now is caught up from the record later."""
    if committed or not versions.enabled():
        return
    with suppress(breaker.CacheDown):
        versions.renew(change.page_ids, everything=change.everything)


def query_may_name(request, *names: str) -> bool:
    """Whether the query string may hold a parameter in ``names``, judged on the raw string
    (anything percent-encoded may), so that most requests are never parsed for it."""
    query = request.META.get("QUERY_STRING", "")
    return "%" in query or any(name in query for name in names)


class Lookup:
    """One cache round trip: the page's version (or the listings' version, for a listing),
    the generation and the stored entry."""

    def __init__(self, request, page_id, recognised: Iterable[str]):
        self.key = f"kratom_pages:api:page:{page_id}:{variant_digest(request, recognised)}"
        self.version_keys = [GENERATION_KEY, page_version_key(page_id)]
        self._read()

    @staticmethod
    def listing_is_cacheable(request) -> bool:
        """Searches are not (the index is updated apart from pages), nor random orders."""
        if not query_may_name(request, "search", "random"):
            return True  # neither can be there: no need to parse the query
        return "search" not in request.GET and "random" not in request.GET.getlist("order")

    @classmethod
    def for_listing(cls, request) -> "Lookup":
        """A listing's entry. Every parameter counts: listings answer 400 to any they do not
        recognise (v2) or filter by them (v3), so none can be ignored."""
        lookup = cls.__new__(cls)
        lookup.key = f"kratom_pages:api:listing:{variant_digest(request, None)}"
        lookup.version_keys = [GENERATION_KEY, LISTINGS_KEY]
        lookup._read()
        return lookup

    @property
    def _lock_key(self) -> str:
        return f"{self.key}:rendering"

    def _read(self, *, with_lock: bool = False) -> dict:
        # The local tier first: reading its notices is how a restarted Redis is noticed
        # (the connection drops), which must make the cache suspect before it is read.
        caching = enabled()
        tier = _local_tier() if caching and not with_lock and not breaker.is_open() else None
        self.available = caching and outbox.ensure_current()
        self._tier = tier = tier if self.available else None
        if tier is not None:
            known = tier.read(self.version_keys, self.key)
            if known is not None:  # this process knows both, and Redis has said nothing new
                self.versions, self.entry = known
                return {}
            epoch = tier.epoch
        found = {}
        if self.available:
            keys = [*self.version_keys, self.key, *([self._lock_key] if with_lock else [])]
            try:
                found = breaker.call("get_many", keys)
            except breaker.CacheDown:
                self.available = False
        self.versions = tuple(found.get(key, "0") for key in self.version_keys)
        stored = found.get(self.key)
        self.entry = stored[1] if stored and stored[0] == self.versions else None
        if tier is not None and self.available:
            kept = stored if self.entry is not None and len(stored) > 2 else None
            tier.remember(
                epoch, dict(zip(self.version_keys, self.versions, strict=True)), self.key, kept
            )
        return found

    def claim(self) -> bool:
        """Whether this request should render the entry: the first to ask does; while it
        renders (``RENDER_LOCK_SECONDS`` at most) the others wait for its result."""
        self._token = uuid.uuid4().hex
        self._claimed = True
        if self.available:
            with suppress(breaker.CacheDown):  # a cache outage: render without a lock
                self._claimed = breaker.call(
                    "add", self._lock_key, self._token, timeout=RENDER_LOCK_SECONDS
                )
        return self._claimed

    def release(self) -> None:
        """Give the lock back, if this request holds it (a waiter that gave up, or a
        renderer slower than the lock's life, must not free someone else's)."""
        if not self.available or not getattr(self, "_claimed", False):
            return
        with suppress(breaker.CacheDown):
            if breaker.call("get", self._lock_key) == self._token:
                breaker.call("delete", self._lock_key)

    def await_entry(self, seconds: float = RENDER_WAIT_SECONDS):
        """The entry another request is rendering, once stored under current versions;
        None after ``seconds``, or as soon as the renderer has finished without storing
        one (a 404, an error): the caller then renders it itself."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.02)
            found = self._read(with_lock=True)
            if self.entry is not None or not self.available:
                return self.entry
            if self._lock_key not in found:
                return None
        return None

    def store(self, entry, timeout: int) -> None:
        if not self.available or timeout <= 0:
            return
        # The deadline lets each process's local tier drop its copy when Redis would.
        stored = (self.versions, entry, time.time() + timeout)
        if getattr(self, "_tier", None) is not None:
            self._tier.remember(self._tier.epoch, {}, self.key, stored)
        with suppress(breaker.CacheDown):
            breaker.call("set", self.key, stored, timeout=timeout)


def entry_timeout(expiries: Iterable[datetime | None]) -> int:
    """Seconds an entry may live: ``API_CACHE_TIMEOUT``, cut short by the first scheduled
    expiry among the page and the pages it shows, which no signal announces."""
    timeout = conf.get("API_CACHE_TIMEOUT")
    now = timezone.now()
    for expire_at in expiries:
        if expire_at is not None:
            timeout = min(timeout, int((expire_at - now).total_seconds()))
    return timeout


def expiries_of(page_ids: Iterable[int]) -> list[datetime]:
    """Scheduled expiries of ``page_ids``, for ``entry_timeout``."""
    from wagtail.models import Page

    return list(
        Page.objects.filter(pk__in=list(page_ids), expire_at__isnull=False).values_list(
            "expire_at", flat=True
        )
    )


def next_expiry() -> list[datetime]:
    """The next scheduled expiry of any live page, for listings: an expiring page changes
    counts and ``child_of`` answers of listings that do not show it."""
    from django.db.models import Min
    from wagtail.models import Page

    first = (
        Page.objects.live()
        .filter(expire_at__gt=timezone.now())
        .aggregate(first=Min("expire_at"))["first"]
    )
    return [first] if first else []
