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
from kratom_pages.publishing.variants import variant_digest, variant_of
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


class ListingItems:
    """The items of one listing, cached one page at a time: a listing that misses (any
    page change renews every listing) is assembled from the items stored for its pages,
    and only pages without a current item are rendered.

    An item is the JSON of one page as the listing shows it, for one variant: scheme,
    host, listing path and the parameters an item depends on (``ITEM_PARAMETERS``; not
    filters, order or pagination, which only choose pages). It is valid under the page's
    version and the generation, as a detail entry is, and until its deadline (the first
    scheduled expiry among the page and the pages it shows), which bounds the listing it
    goes into. One round trip reads them all."""

    ITEM_PARAMETERS = frozenset(["fields", "rich_text_format", "type", "site"])

    def __init__(self, request, page_ids: Iterable[int]):
        page_ids = list(page_ids)
        digest = variant_digest(request, self.ITEM_PARAMETERS)
        self.keys = {pk: f"kratom_pages:api:item:{pk}:{digest}" for pk in page_ids}
        self.found: dict[int, bytes] = {}
        self.deadline = float("inf")
        self.available = readable()
        found = {}
        if self.available:
            version_keys = [page_version_key(pk) for pk in page_ids]
            try:
                found = breaker.call(
                    "get_many", [GENERATION_KEY, *version_keys, *self.keys.values()]
                )
            except breaker.CacheDown:
                self.available = False
        generation = found.get(GENERATION_KEY, "0")
        self.versions = {pk: (generation, found.get(page_version_key(pk), "0")) for pk in page_ids}
        now = time.time()
        for pk, key in self.keys.items():
            stored = found.get(key)
            if stored and stored[0] == self.versions[pk] and stored[2] > now:
                self.found[pk] = stored[1]
                self.deadline = min(self.deadline, stored[2])

    def store(self, rendered: dict[int, bytes], timeout: int) -> None:
        """Keep freshly rendered items under the versions read before they were rendered
        (a page changed meanwhile has a newer one, so its item is never read)."""
        if not self.available or timeout <= 0 or not rendered:
            return
        deadline = time.time() + timeout
        entries = {
            self.keys[pk]: (self.versions[pk], body, deadline) for pk, body in rendered.items()
        }
        with suppress(breaker.CacheDown):
            breaker.call("set_many", entries, timeout=timeout)

    def seconds_left(self) -> float:
        """How long the items read from the cache stay valid."""
        return self.deadline - time.time()


ITEM_VARIANTS_KEY = "kratom_pages:api:item-variants"
# Item variants prerendered after a change: the most recently seen, each for a day.
ITEM_VARIANTS_MAX = 8
ITEM_VARIANT_SECONDS = 24 * 3600
# Variants this process has recorded lately (and when), so a listing miss writes at most
# one small key per variant every ITEM_VARIANT_RECORD_SECONDS.
ITEM_VARIANT_RECORD_SECONDS = 600
_recorded_variants: dict[str, float] = {}
_RECORDED_MAX = 1024


def remember_item_variant(request, recognised: Iterable[str]) -> None:
    """Record that listings ask for this item variant, for ``item_variant_urls``. Two
    processes recording at once may lose one's write: that variant is then not prerendered
    (its readers render the item), which is a cost, never a stale read."""
    variant = variant_of(request, recognised)
    now = time.time()
    if now - _recorded_variants.get(variant, 0) < ITEM_VARIANT_RECORD_SECONDS:
        return
    if len(_recorded_variants) >= _RECORDED_MAX:
        _recorded_variants.clear()
    _recorded_variants[variant] = now
    with suppress(breaker.CacheDown):
        seen = dict(breaker.call("get", ITEM_VARIANTS_KEY) or {})
        seen[variant] = now
        recent = sorted(seen.items(), key=lambda pair: pair[1], reverse=True)
        kept = {v: t for v, t in recent[:ITEM_VARIANTS_MAX] if now - t < ITEM_VARIANT_SECONDS}
        breaker.call("set", ITEM_VARIANTS_KEY, kept, timeout=ITEM_VARIANT_SECONDS)


def item_variant_urls(page_ids: Iterable[int]) -> list[str]:
    """Listing URLs that render just the item of each page in ``page_ids``, for every item
    variant listings asked for lately (``?id=`` picks the page; it is not an item
    parameter, so the item is stored under the key a listing would read)."""
    try:
        seen = breaker.call("get", ITEM_VARIANTS_KEY) or {}
    except breaker.CacheDown:
        return []
    urls = []
    for variant in sorted(seen):
        head, params = variant.rsplit("|", 1)
        scheme, host, path = head.split("|", 2)
        for page_id in sorted(page_ids):
            query = f"{params}&id={page_id}" if params else f"id={page_id}"
            urls.append(f"{scheme}://{host}{path}?{query}")
    return urls


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
