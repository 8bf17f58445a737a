"""The API cache's versions: what makes a stored representation current.

Every entry is stored with the versions it was built under: the site-wide generation, and
the page's version (or, for a listing, the listings' version). Giving a page a new version
is how a change reaches every process at once, whatever it had stored; this module is the
one place that writes them. Versions live in ``API_CACHE`` beside the entries, so that
cache must be shared by every process that serves or changes pages (Redis, Memcached, the
database cache), or be a development cache that ``outbox.ensure_current`` checks on every
request.
"""

import uuid
from collections.abc import Iterable

from django.conf import settings

from kratom_pages import conf
from kratom_pages.publishing import breaker

GENERATION_KEY = "kratom_pages:api:generation"
# Listings depend on which pages exist, not only on the pages they show: any change of any
# page gives every listing a new version.
LISTINGS_KEY = "kratom_pages:api:listings"
PAGE_VERSION_PREFIX = "kratom_pages:api:page-version:"
# Keys whose changes Redis announces to every process's local tier.
VERSION_PREFIXES = (GENERATION_KEY, LISTINGS_KEY, PAGE_VERSION_PREFIX)

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
    with a per-process backend we cache in development (where every request checks the
    cache against the database) and nowhere else."""
    alias = conf.get("API_CACHE")
    if not alias or alias not in settings.CACHES or backend_path(alias) == NO_CACHE_BACKEND:
        return False
    return is_shared(alias) or settings.DEBUG


def page_version_key(page_id: int) -> str:
    return f"{PAGE_VERSION_PREFIX}{page_id}"


def renew(page_ids: Iterable[int] = (), *, everything: bool = False) -> None:
    """Give each page (and the listings), or the whole site, a new version, so what was
    stored under the old ones is never read again. Raises ``breaker.CacheDown`` when the
    cache cannot take it: the caller decides whether that may be ignored."""
    versions = {page_version_key(pk): uuid.uuid4().hex for pk in page_ids}
    if versions:
        versions[LISTINGS_KEY] = uuid.uuid4().hex
    if everything:
        versions[GENERATION_KEY] = uuid.uuid4().hex
    if versions and conf.get("API_CACHE") in settings.CACHES:
        breaker.call("set_many", versions, timeout=None)
