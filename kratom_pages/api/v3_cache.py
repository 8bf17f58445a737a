"""Wagtail API v3 page detail and listings served from the API cache, as v2's are: the same
versions and invalidation, ETag and 304, one renderer per missing entry.

Only public reads of the live version are cached (no bearer token: v3 ignores the session),
and searches never are. Core's operation still renders every miss and answers every error.
django-ninja serves clones of a router's operations, made when ``api.urls`` is first
built; the hook is on the template operation's ``clone``, so every clone comes out cached.
"""

import json

from django.http import HttpResponse

from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import invalidation, visibility

# Parameters core's v3 page detail reads; anything else is ignored, as core does.
DETAIL_CACHE_PARAMETERS = frozenset(["rich_text_format", "version"])
CACHED_OPERATIONS = frozenset(["pages_detail", "pages_list"])


def install(api) -> None:
    for _prefix, each in api._routers:
        for path_view in each.path_operations.values():
            for operation in path_view.operations:
                if operation.operation_id in CACHED_OPERATIONS and not hasattr(
                    operation, "kratom_cached"
                ):
                    operation.kratom_cached = True
                    operation.clone = _cloning_cached(operation.clone)


def _cloning_cached(clone):
    def cached_clone():
        cloned = clone()
        cloned.kratom_uncached_run = cloned.run
        cloned.run = _cached_run(cloned)
        return cloned

    return cached_clone


def _is_public_live_read(request) -> bool:
    # v3 serves the public tier to any request without a bearer token, and the live
    # version unless a signed-in caller asks for the draft.
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and request.GET.get("version", "live") == "live"
    )


def _lookup(operation, request, kwargs) -> caching.Lookup | None:
    if not _is_public_live_read(request):
        return None
    if operation.operation_id == "pages_list":
        if not caching.Lookup.listing_is_cacheable(request):
            return None
        return caching.Lookup.for_listing(request)
    page_id = str(kwargs.get("page_id", ""))
    if not page_id.isdigit():
        return None
    return caching.Lookup(request, int(page_id), DETAIL_CACHE_PARAMETERS)


def _shown_page_ids(operation, body: bytes, kwargs) -> list[int]:
    """The pages a response shows, whose scheduled expiry bounds its entry's life."""
    if operation.operation_id == "pages_list":
        return [item["id"] for item in json.loads(body).get("items", [])]
    page_id = int(kwargs["page_id"])
    return [page_id, *invalidation.referenced_page_ids(page_id)]


def _cached_run(operation):
    def run(request, **kwargs):
        lookup = _lookup(operation, request, kwargs)
        if lookup is None:
            return operation.kratom_uncached_run(request, **kwargs)
        if lookup.entry is None and not lookup.claim():
            lookup.entry = lookup.await_entry()
        if lookup.entry is None:
            try:
                with visibility.remembering():
                    response = operation.kratom_uncached_run(request, **kwargs)
                if response.status_code != 200:
                    return response  # 404, 422: core's answer, never stored
                body = response.content
                lookup.entry = (body, caching.etag_for(body), None)
                shown = _shown_page_ids(operation, body, kwargs)
                lookup.store(lookup.entry, caching.entry_timeout(caching.expiries_of(shown)))
            finally:
                lookup.release()
        body, etag, last_modified = lookup.entry
        response = caching.not_modified(request, etag, last_modified)
        if response is None:
            renderer = operation.api.renderer
            content_type = f"{renderer.media_type}; charset={renderer.charset}"
            response = HttpResponse(body, content_type=content_type)
        return caching.add_validators(response, etag, last_modified)

    return run
