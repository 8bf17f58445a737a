"""A v2 listing's items, cached one page at a time, and the item variants listings ask for
(which prerendering renders after a change). Valid under the same versions as every entry
of ``publishing.cache``."""

import logging
import time
from collections.abc import Iterable
from contextlib import suppress

from kratom_pages.publishing import breaker
from kratom_pages.publishing.cache import readable
from kratom_pages.publishing.variants import variant_digest, variant_of
from kratom_pages.publishing.versions import GENERATION_KEY, page_version_key

logger = logging.getLogger(__name__)


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
