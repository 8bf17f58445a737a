"""Wagtail API v3 page detail and listings served from the API cache, as v2's are: the same
versions and invalidation, ETag and 304, one renderer per missing entry.

Only public reads of the live version are cached (no bearer token: v3 ignores the session),
and searches never are. Core's operation still renders every miss and answers every error.
django-ninja serves clones of a router's operations, made when ``api.urls`` is first
built; the hook is on the template operation's ``clone``, so every clone comes out cached.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from wagtail.models import Page, ReferenceIndex

from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import visibility

# Parameters core's v3 page detail reads; anything else is ignored, as core does.
DETAIL_CACHE_PARAMETERS = frozenset(["rich_text_format", "site", "version"])
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


def _referenced_page_ids(page_id: int) -> set[int]:
    """Pages the content of page ``page_id`` refers to, in one query."""
    page_type = ContentType.objects.get_for_model(Page)
    rows = ReferenceIndex.objects.filter(
        base_content_type=page_type, object_id=str(page_id), to_content_type=page_type
    ).values_list("to_object_id", flat=True)
    return {int(pk) for pk in rows if str(pk).isdigit()}


def _expiries(operation, body: bytes, kwargs) -> list:
    """Scheduled expiries that bound an entry's life: of the pages it shows and, for a
    listing, of any live page (one expiring changes counts and ``child_of`` answers)."""
    if operation.operation_id == "pages_list":
        shown = [item["id"] for item in json.loads(body).get("items", [])]
        return [*caching.expiries_of(shown), *caching.next_expiry()]
    page_id = int(kwargs["page_id"])
    return caching.expiries_of([page_id, *_referenced_page_ids(page_id)])


def _cached_run(operation):
    def run(request, **kwargs):
        lookup = _lookup(operation, request, kwargs)
        if lookup is None:
            return operation.kratom_uncached_run(request, **kwargs)
        if lookup.entry is None and not lookup.claim():
            lookup.entry = lookup.await_entry()
        if lookup.entry is not None:
            # Authentication and throttles of the operation (and of the project's api)
            # run on hits too; only rendering is skipped. (A miss runs them in core.)
            refused = operation._run_checks(request)
            if refused is not None:
                return refused
        else:
            try:
                with visibility.remembering():
                    response = operation.kratom_uncached_run(request, **kwargs)
                if response.status_code != 200:
                    return response  # 404, 422: core's answer, never stored
                body = response.content
                lookup.entry = (body, caching.etag_for(body), None)
                expiries = _expiries(operation, body, kwargs)
                lookup.store(lookup.entry, caching.entry_timeout(expiries))
            finally:
                lookup.release()
        body, etag, last_modified = lookup.entry
        response = caching.not_modified(request, etag, last_modified)
        if response is None:
            renderer = operation.api.renderer
            content_type = f"{renderer.media_type}; charset={renderer.charset}"
            response = HttpResponse(body, content_type=content_type)
        # A signed-in caller (session) is told to keep it private, as v2 does.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        return caching.add_validators(response, etag, last_modified, shared=not signed_in)

    return run
