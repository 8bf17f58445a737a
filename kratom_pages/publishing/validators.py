"""HTTP validators of cached API responses: a strong ETag from the bytes, Last-Modified,
304 answers, and Cache-Control from ``API_CACHE_CONTROL`` (private for signed-in callers)."""

import hashlib
from functools import lru_cache

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from kratom_pages import conf


def etag_for(body: bytes) -> str:
    """A strong validator from the bytes themselves: equal in every process and host."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def last_modified_of(page) -> int | None:
    # HTTP dates have whole seconds.
    return int(page.last_published_at.timestamp()) if page.last_published_at else None


_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def not_modified(request, etag: str, last_modified: int | None):
    """A 304 response when the client's copy is current, else None."""
    if not any(header in request.META for header in _CONDITIONAL_HEADERS):
        return None  # most requests: skip Django's parsing of four absent headers
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def add_validators(response, etag: str, last_modified: int | None, *, shared: bool = True):
    """ETag, Last-Modified and Cache-Control. ``shared=False`` (a signed-in requester)
    keeps the response out of shared caches."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = _http_date(last_modified)
    directives = _directives(tuple(sorted(conf.get("API_CACHE_CONTROL").items())), shared)
    if "Cache-Control" in response:
        patch_cache_control(response, **directives)
    elif directives:
        response["Cache-Control"] = _header_value(tuple(sorted(directives.items())))
    return response


# Every hit of a page sends the same date: format it once.
_http_date = lru_cache(maxsize=4096)(http_date)


@lru_cache(maxsize=16)
def _directives(configured: tuple, shared: bool) -> dict:
    directives = dict(configured)
    if not shared:
        directives.pop("public", None)
        directives.pop("s_maxage", None)
        directives["private"] = True
    return directives


@lru_cache(maxsize=16)
def _header_value(directives: tuple) -> str:
    """A Cache-Control value, built once: every hit sends it."""
    probe = HttpResponse()
    patch_cache_control(probe, **dict(directives))
    return probe["Cache-Control"]
