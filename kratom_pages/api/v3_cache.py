"""Wagtail API v3 page detail and listings served from the API cache, as v2's are: the same
versions and invalidation, ETag and 304, one renderer per missing entry.

Only public reads of the live version are cached (no bearer token: v3 ignores the session),
and searches never are. Core's operation still renders every miss and answers every error.
django-ninja serves clones of a router's operations, made when ``api.urls`` is first
built; the hook is on the template operation's ``clone``, so every clone comes out cached.
The path view holding them is hooked the same way: an anonymous read of an open operation
(``_policy_is_open``) that the cache holds is answered before ninja's own dispatch, as v2
answers before DRF (``hits``); everything else, hits of other requests included, goes
through ninja's authentication and throttles.
"""

import json

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from ninja.security import HttpBearer
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.models import Page, ReferenceIndex

from kratom_pages import absolute_urls
from kratom_pages.api import hits, structured_data
from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import visibility

# Parameters core's v3 page detail reads; anything else is ignored, as core does.
DETAIL_CACHE_PARAMETERS = frozenset(["rich_text_format", "site", "version"])
CACHED_OPERATIONS = frozenset(["pages_detail", "pages_list"])


def install(api) -> None:
    for _prefix, each in api._routers:
        for path_view in each.path_operations.values():
            cached = False
            for operation in path_view.operations:
                if operation.operation_id in CACHED_OPERATIONS:
                    cached = True
                    if not hasattr(operation, "kratom_cached"):
                        operation.kratom_cached = True
                        operation.clone = _cloning_cached(operation.clone)
            if cached and not hasattr(path_view, "kratom_hits_first"):
                path_view.kratom_hits_first = True
                path_view.clone = _cloning_hits_first(path_view.clone)


def _cloning_cached(clone):
    def cached_clone():
        cloned = clone()
        cloned.kratom_uncached_run = cloned.run
        cloned.run = cloned.kratom_cached_run = _cached_run(cloned)
        return cloned

    return cached_clone


def _cloning_hits_first(clone):
    def hits_first_clone():
        cloned = clone()
        if not cloned.is_async:  # an async view would not call _sync_view
            _answering_hits_first(cloned)
        return cloned

    return hits_first_clone


def _is_public_live_read(request) -> bool:
    # v3 serves the public tier to any request without a bearer token, and the live
    # version unless a signed-in caller asks for the draft.
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and (not hits.may_name(request, "version") or request.GET.get("version", "live") == "live")
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
    expiries = caching.expiries_of([page_id, *_referenced_page_ids(page_id)])
    if structured_data.lists_children(_model_of(body)):
        expiries += caching.next_expiry()  # a section front lists its visible children
    return expiries


def _model_of(body: bytes):
    """The page model a detail response describes (its ``meta.type``), or None."""
    try:
        return apps.get_model(json.loads(body)["meta"]["type"])
    except (KeyError, LookupError, TypeError, ValueError):
        return None


def _policy_is_open(operation) -> bool:
    """Whether ninja would answer an anonymous read of ``operation`` exactly as a cache hit
    does: no throttles, no decorators around its run, and authentication that lets a
    request without credentials through (bearer-token schemes, which pass over a request
    with no Authorization header, then ``AllowAnonymous``; or none). Memoised per operation
    for the policy it has now (tests and projects may change it)."""
    run = operation.__dict__.get("run")
    policy = (tuple(operation.auth_callbacks), tuple(operation.throttle_objects), run)
    memo = getattr(operation, "kratom_open_policy", None)
    if memo is None or memo[0] != policy:
        callbacks, throttles, _run = policy
        anonymous = next(
            (i for i, callback in enumerate(callbacks) if _is_allow_anonymous(callback)), None
        )
        bearer_first = anonymous is not None and all(
            _passes_over_anonymous(callback) for callback in callbacks[:anonymous]
        )
        undecorated = (
            run is not None
            and run is getattr(operation, "kratom_cached_run", None)
            and not getattr(operation, "_run_decorators", None)  # ninja's decorate_view
        )
        is_open = undecorated and not throttles and (not callbacks or bearer_first)
        memo = operation.kratom_open_policy = (policy, is_open)
    return memo[1]


def _is_allow_anonymous(callback) -> bool:
    return isinstance(callback, AllowAnonymous) and type(callback).__call__ is (
        AllowAnonymous.__call__
    )


def _passes_over_anonymous(callback) -> bool:
    # HttpBearer's own __call__ returns None, untouched, without an Authorization header.
    return (
        isinstance(callback, HttpBearer)
        and type(callback).__call__ is HttpBearer.__call__
        and callback.header == "Authorization"
    )


def _content_type(operation) -> str:
    renderer = operation.api.renderer
    memo = getattr(operation, "kratom_content_type", None)
    if memo is None or memo[0] is not renderer:
        memo = operation.kratom_content_type = (
            renderer,
            f"{renderer.media_type}; charset={renderer.charset}",
        )
    return memo[1]


def _answering_hits_first(path_view) -> None:
    """Put an early answer in front of ``path_view``'s dispatch: an anonymous read of an
    open operation that the cache holds is answered before ninja picks the operation
    (authentication, throttles, parameter parsing), as v2's open endpoints are before DRF
    builds its viewset. Every other request goes through ninja unchanged."""
    dispatch = path_view._sync_view

    def answer_hits_first(request, *args, **kwargs):
        response = _open_hit(path_view, request, kwargs)
        return response if response is not None else dispatch(request, *args, **kwargs)

    path_view._sync_view = answer_hits_first


def _open_hit(path_view, request, kwargs):
    """The cached answer to an anonymous read of an open operation, else None. The lookup
    is kept on the request for the operation's run, which then reads no cache again."""
    if not hits.is_anonymous_read(request):
        return None
    operation = next((each for each in path_view.operations if "GET" in each.methods), None)
    if operation is None or not hasattr(operation, "kratom_cached_run"):
        return None
    if not _policy_is_open(operation):
        return None
    lookup = _lookup(operation, request, kwargs)
    request._kratom_v3_lookup = (operation, lookup)
    if lookup is None or lookup.entry is None:
        return None
    return hits.cached_response(request, lookup.entry, _content_type(operation), shared=True)


def _cached_run(operation):
    def run(request, **kwargs):
        # v3 serializes our fields without the request: the base-URL rule reads it here.
        with absolute_urls.serving(request):
            return cached_or_rendered(request, **kwargs)

    def cached_or_rendered(request, **kwargs):
        early = getattr(request, "_kratom_v3_lookup", None)
        if early is not None and early[0] is operation:
            lookup = early[1]
        else:
            lookup = _lookup(operation, request, kwargs)
        if lookup is None:
            return operation.kratom_uncached_run(request, **kwargs)
        if lookup.entry is None and not lookup.claim():
            lookup.entry = lookup.await_entry()
        if lookup.entry is not None:
            # Authentication and throttles of the operation (and of the project's api)
            # run on hits that were not answered early; only rendering is skipped. (A miss
            # runs them in core.)
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
        # A signed-in caller (session) is told to keep it private, as v2 does.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        return hits.cached_response(
            request, lookup.entry, _content_type(operation), shared=not signed_in
        )

    return run
