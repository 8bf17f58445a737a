"""Cached API representations and HTTP validators for page detail responses.

An entry is the rendered JSON of a page's detail for one request variant (scheme, host,
path and the parameters the endpoint recognises, in a canonical order), stored with the
page's version and the site-wide generation it was built under; it counts as a hit only
while both are current. ``kratom_pages.publishing.invalidation`` decides which pages a
change affects; this module only gives those pages new versions.

Versions live in the same cache as the entries, so the cache must be shared by every
process that serves or changes pages (Redis, Memcached, the database cache). With a
per-process backend (local memory, files) one worker's invalidation would not reach the
others, so outside ``DEBUG`` the app then serves uncached and ``check`` warns
(``kratom_pages.W001``). Any cache error degrades to uncached serving.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode

from kratom_pages import conf

logger = logging.getLogger(__name__)

GENERATION_KEY = "kratom_pages:api:generation"
# Listings depend on which pages exist, not only on the pages they show: any change of any
# page gives every listing a new version.
LISTINGS_KEY = "kratom_pages:api:listings"
# One request renders a missing entry; others wait up to RENDER_WAIT_SECONDS for it.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 1.0

# Backends every process and host reads alike; anything else is per process or per host.
SHARED_BACKENDS = frozenset(
    {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
        "django.core.cache.backends.db.DatabaseCache",
        "django_redis.cache.RedisCache",
    }
)
NO_CACHE_BACKEND = "django.core.cache.backends.dummy.DummyCache"


def backend_path(alias: str) -> str:
    return settings.CACHES.get(alias, {}).get("BACKEND", "")


def is_shared(alias: str) -> bool:
    """Whether every process sees the same entries in cache ``alias``."""
    declared = conf.get("API_CACHE_SHARED")
    if declared is not None:
        return bool(declared)
    return backend_path(alias) in SHARED_BACKENDS


def enabled() -> bool:
    """Invalidation-based caching is only correct when invalidations reach every process:
    with a per-process backend we cache in development (one process) and nowhere else."""
    alias = conf.get("API_CACHE")
    if not alias or alias not in settings.CACHES or backend_path(alias) == NO_CACHE_BACKEND:
        return False
    return is_shared(alias) or settings.DEBUG


def _cache():
    return caches[conf.get("API_CACHE")]


def _page_version_key(page_id: int) -> str:
    return f"kratom_pages:api:page-version:{page_id}"


def invalidate_pages(page_ids: Iterable[int]) -> None:
    """Give each page a new version, so its cached representations are never read again."""
    versions = {_page_version_key(pk): uuid.uuid4().hex for pk in page_ids}
    if versions:
        versions[LISTINGS_KEY] = uuid.uuid4().hex
    if not versions or conf.get("API_CACHE") not in settings.CACHES:
        return
    try:
        _cache().set_many(versions, timeout=None)
    except Exception:  # noqa: BLE001 - cache down: nothing is being served from it either
        logger.warning("Could not invalidate cached API pages", exc_info=True)


def invalidate_all() -> None:
    if conf.get("API_CACHE") not in settings.CACHES:
        return
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Could not invalidate the API cache", exc_info=True)


def on_pages_changed(sender, change, committed, **kwargs) -> None:
    """Subscriber of ``publishing.invalidation.pages_changed``."""
    if change.everything:
        invalidate_all()
    else:
        invalidate_pages(change.page_ids)


def variant_of(request, recognised: Iterable[str]) -> str:
    """The request as far as the response depends on it: parameters the endpoint does not
    read are left out (so they cannot force a miss) and the rest are put in order."""
    # Encoded, so that a value holding "&" or "=" cannot pass for two parameters.
    params = urlencode(
        [(name, request.GET.get(name)) for name in sorted(recognised) if name in request.GET]
    )
    return "|".join([request.scheme, request.get_host(), request.path, params])


class Lookup:
    """One cache round trip: the page's version (or the listings' version, for a listing),
    the generation and the stored entry."""

    def __init__(self, request, page_id, recognised: Iterable[str]):
        digest = hashlib.sha256(variant_of(request, recognised).encode()).hexdigest()[:32]
        self.key = f"kratom_pages:api:page:{page_id}:{digest}"
        self.version_keys = [GENERATION_KEY, _page_version_key(page_id)]
        self._read()

    @staticmethod
    def listing_is_cacheable(request) -> bool:
        """Searches are not (the index is updated apart from pages), nor random orders."""
        return "search" not in request.GET and request.GET.get("order") != "random"

    @classmethod
    def for_listing(cls, request) -> "Lookup":
        """A listing's entry. Every parameter counts: listings answer 400 to any they do not
        recognise (v2) or filter by them (v3), so none can be ignored."""
        digest = hashlib.sha256(variant_of(request, request.GET.keys()).encode()).hexdigest()
        lookup = cls.__new__(cls)
        lookup.key = f"kratom_pages:api:listing:{digest[:32]}"
        lookup.version_keys = [GENERATION_KEY, LISTINGS_KEY]
        lookup._read()
        return lookup

    def _read(self) -> None:
        self.available = enabled()
        found = {}
        if self.available:
            try:
                found = _cache().get_many([*self.version_keys, self.key])
            except Exception:  # noqa: BLE001
                logger.warning("API cache unavailable; serving uncached", exc_info=True)
                self.available = False
        self.versions = tuple(found.get(key, "0") for key in self.version_keys)
        stored = found.get(self.key)
        self.entry = stored[1] if stored and stored[0] == self.versions else None

    def claim(self) -> bool:
        """Whether this request should render the entry: the first to ask does; while it
        renders (``RENDER_LOCK_SECONDS`` at most) the others wait for its result."""
        if not self.available:
            return True
        try:
            return _cache().add(f"{self.key}:rendering", 1, timeout=RENDER_LOCK_SECONDS)
        except Exception:  # noqa: BLE001
            return True

    def release(self) -> None:
        if not self.available:
            return
        try:
            _cache().delete(f"{self.key}:rendering")
        except Exception:  # noqa: BLE001
            logger.warning("API cache unavailable", exc_info=True)

    def await_entry(self, seconds: float = RENDER_WAIT_SECONDS):
        """The entry another request is rendering, once stored under current versions;
        None after ``seconds`` (the caller then renders it itself)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.02)
            self._read()
            if self.entry is not None or not self.available:
                return self.entry
        return None

    def store(self, entry, timeout: int) -> None:
        if not self.available or timeout <= 0:
            return
        try:
            _cache().set(self.key, (self.versions, entry), timeout=timeout)
        except Exception:  # noqa: BLE001
            logger.warning("API cache write failed", exc_info=True)


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


def etag_for(body: bytes) -> str:
    """A strong validator from the bytes themselves: equal in every process and host."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def last_modified_of(page) -> int | None:
    # HTTP dates have whole seconds.
    return int(page.last_published_at.timestamp()) if page.last_published_at else None


def not_modified(request, etag: str, last_modified: int | None):
    """A 304 response when the client's copy is current, else None."""
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def add_validators(response, etag: str, last_modified: int | None, *, shared: bool = True):
    """ETag, Last-Modified and Cache-Control. ``shared=False`` (a signed-in requester)
    keeps the response out of shared caches."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    directives = dict(conf.get("API_CACHE_CONTROL"))
    if not shared:
        directives.pop("public", None)
        directives.pop("s_maxage", None)
        directives["private"] = True
    if directives:
        patch_cache_control(response, **directives)
    return response
