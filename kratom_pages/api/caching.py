"""Cached API representations and HTTP validators for page detail responses.

An entry is the rendered JSON of a page's detail for one request variant (path, query
string, host), stored with the page's version and the site-wide generation it was built
under; it counts as a hit only while both are current. Publishing gives the page a new
version, as do unpublishing, moving, deleting, privacy changes and changes to what the page
embeds (see ``kratom_pages.signal_handlers``); site changes bump the generation. So one
cache round trip answers a request, with no database query. The ETag derives from the
same key and versions, so a conditional request can be answered 304 straight away. Any
cache error degrades to uncached serving.
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


def _cache():
    return caches[conf.get("API_CACHE")]


def _page_version_key(page_id: int) -> str:
    return f"kratom_pages:api:page-version:{page_id}"


def invalidate_pages(page_ids: Iterable[int]) -> None:
    """Give each page a new version, so its cached representations are never read again."""
    try:
        _cache().set_many(
            {_page_version_key(pk): uuid.uuid4().hex for pk in page_ids}, timeout=None
        )
    except Exception:  # noqa: BLE001 - cache down: nothing is being served from it either
        logger.warning("Could not invalidate cached API pages", exc_info=True)


def invalidate_all() -> None:
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Could not invalidate the API cache", exc_info=True)


class Lookup:
    """One cache round trip: the page's version, the generation and the stored entry."""

    def __init__(self, request, page_id):
        variant = "|".join([request.path, request.GET.urlencode(), request.get_host()])
        digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
        self.key = f"kratom_pages:api:page:{page_id}:{digest}"
        version_keys = [GENERATION_KEY, _page_version_key(page_id)]
        self.available = True
        try:
            found = _cache().get_many([*version_keys, self.key])
        except Exception:  # noqa: BLE001
            logger.warning("API cache unavailable; serving uncached", exc_info=True)
            self.available, found = False, {}
        self.versions = tuple(found.get(key, "0") for key in version_keys)
        stored = found.get(self.key)
        self.entry = stored[1] if stored and stored[0] == self.versions else None

    @property
    def etag(self) -> str:
        digest = hashlib.sha256(f"{self.key}|{self.versions}".encode()).hexdigest()[:32]
        return f'"{digest}"'

    def store(self, entry) -> None:
        if not self.available:
            return
        try:
            _cache().set(self.key, (self.versions, entry), timeout=conf.get("API_CACHE_TIMEOUT"))
        except Exception:  # noqa: BLE001
            logger.warning("API cache write failed", exc_info=True)


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
