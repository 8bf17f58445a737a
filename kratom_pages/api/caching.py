"""Cached API representations and HTTP validators for page detail responses.

A page's serialized detail is cached under a key made of: the page id, its live revision,
the request variant (API path, query string, site), a per-page version and a global
generation. Publishing a revision changes the key by itself; moving, unpublishing,
deleting, or changing something the page embeds bumps the page's version (see
``kratom_pages.signal_handlers``); changing site-wide settings bumps the generation. The
same key, hashed, is the response's ETag, so a conditional request is answered 304
before anything is serialized. Any cache error degrades to uncached serving.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterable

from django.core.cache import caches
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from kratom_pages import conf

logger = logging.getLogger(__name__)

GENERATION_KEY = "kratom_pages:api:generation"
MISS = object()


def _cache():
    return caches[conf.get("API_CACHE")]


def _page_version_key(page_id: int) -> str:
    return f"kratom_pages:api:page-version:{page_id}"


def invalidate_pages(page_ids: Iterable[int]) -> None:
    """Give each page a new version, so its cached representations are never read again."""
    try:
        _cache().set_many(
            {_page_version_key(pk): uuid.uuid4().hex for pk in page_ids},
            timeout=None,
        )
    except Exception:  # noqa: BLE001 - cache down: entries keyed by old versions expire
        logger.warning("Could not invalidate cached API pages", exc_info=True)


def invalidate_all() -> None:
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Could not invalidate the API cache", exc_info=True)


def representation_key(request, page_id: int) -> str | None:
    """The cache key for this page and request variant; None when the cache is down.

    Built from the cache alone, so a hit costs no database query: every change that could
    alter the response (publish, unpublish, move, delete, privacy, embedded objects, site
    settings) gives the page a new version or the site a new generation."""
    try:
        versions = _cache().get_many([GENERATION_KEY, _page_version_key(page_id)])
    except Exception:  # noqa: BLE001
        logger.warning("API cache unavailable; serving uncached", exc_info=True)
        return None
    variant = "|".join(
        [
            request.path,
            request.GET.urlencode(),
            request.get_host(),
            versions.get(GENERATION_KEY, "0"),
            versions.get(_page_version_key(page_id), "0"),
        ]
    )
    digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
    return f"kratom_pages:api:page:{page_id}:{digest}"


def cached(key: str | None):
    if key is None:
        return MISS
    try:
        return _cache().get(key, MISS)
    except Exception:  # noqa: BLE001
        logger.warning("API cache read failed; serving uncached", exc_info=True)
        return MISS


def store(key: str | None, data) -> None:
    if key is None:
        return
    try:
        _cache().set(key, data, timeout=conf.get("API_CACHE_TIMEOUT"))
    except Exception:  # noqa: BLE001
        logger.warning("API cache write failed", exc_info=True)


def etag_for(key: str | None, page) -> str:
    # Without a cache key (cache down) fall back to what identifies the content anyway.
    return '"%s"' % (key.rsplit(":", 1)[1] if key else f"r{page.live_revision_id}")


def last_modified_of(page) -> int | None:
    # HTTP dates have whole seconds.
    return int(page.last_published_at.timestamp()) if page.last_published_at else None


def not_modified(request, etag: str, last_modified: int | None):
    """A 304 response when the client's copy is current, else None."""
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def add_validators(response, etag: str, last_modified: int | None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    directives = conf.get("API_CACHE_CONTROL")
    if directives:
        patch_cache_control(response, **directives)
    return response
