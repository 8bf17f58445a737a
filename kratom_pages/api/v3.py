"""Wagtail API v3 (django-ninja) additions: the public reader replies listing.

Register on Wagtail's v3 API before its URLs are built::

    from wagtail.api.v3.urls import api as api_v3
    from kratom_pages.api.v3 import register_routers
    register_routers(api_v3)
"""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kratom_pages.api import bounds
from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import invalidation, visibility
from kratom_pages.publishing.preview import PreviewError, draft_from_token
from kratom_pages.replies.api import ReplyAPIError, list_public_replies


class ReplySchema(Schema):
    id: int
    parent: int | None
    display_name: str
    body: str
    created_at: datetime


class RepliesMetaSchema(Schema):
    total_count: int
    page: int


class RepliesListSchema(Schema):
    meta: RepliesMetaSchema
    items: list[ReplySchema]


class RepliesQuery(Schema):
    page: int
    limit: int = 20
    offset: int = 0


router = Router(tags=["reader replies"])


@router.get(
    "/",
    response=RepliesListSchema,
    url_name="list_reader_replies",
    summary="Approved reader replies of a page",
    operation_id="reader_replies_list",
)
def list_reader_replies(request: HttpRequest, query: RepliesQuery = Query(...)):  # noqa: B008
    try:
        return list_public_replies(query.page, query.dict(), request)
    except ReplyAPIError as exc:
        raise HttpError(exc.status, exc.message) from exc


preview_router = Router(tags=["preview"])


def _page_detail_schema():
    # Imported late: Wagtail builds it from every page model when its router loads.
    from wagtail.api.v3.routers.pages import PageDetailSchema

    return PageDetailSchema


@preview_router.get(
    "/",
    response=_page_detail_schema(),
    url_name="page_preview",
    summary="Draft of a page being previewed",
    operation_id="page_preview",
)
def page_preview(
    request: HttpRequest, response: HttpResponse, content_type: str = "", token: str = ""
):
    # A draft: no shared cache (CDN, proxy) or browser cache may keep it.
    response["Cache-Control"] = "private, no-store, no-cache, max-age=0"
    try:
        # content_type reaches a database lookup: no NUL bytes or control characters.
        bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
    except bounds.BoundsError as exc:
        raise HttpError(400, exc.message) from exc
    try:
        return draft_from_token(content_type, token)
    except PreviewError as exc:
        raise HttpError(exc.status, exc.message) from exc


def _apply_visibility_to_public_reads() -> None:
    """Wagtail's v3 public tier (anonymous reads of pages, listings and ``find``) asks
    ``get_public_pages_queryset``, which knows nothing of scheduled expiry; narrow it by our
    visibility rule. Core offers no hook, so the module attribute it reads is wrapped (once;
    the result is always a subset of core's). Its signed-in admin tier is left to core."""
    from wagtail.api.v3 import querysets

    core = querysets.get_public_pages_queryset
    if getattr(core, "kratom_visibility", False):
        return

    def public_pages(request, model=None):
        queryset = core(request, model) if model is not None else core(request)
        return visibility.visible_pages(queryset)

    public_pages.kratom_visibility = True
    querysets.get_public_pages_queryset = public_pages


# Parameters core's v3 page detail reads; anything else is ignored, as core does.
DETAIL_CACHE_PARAMETERS = frozenset(["rich_text_format", "version"])


def _is_public_live_read(request) -> bool:
    # v3 serves the public tier to any request without a bearer token (it ignores the
    # session), and the live version unless a signed-in caller asks for the draft.
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and request.GET.get("version", "live") == "live"
    )


def _cache_public_detail(api) -> None:
    """Serve core's v3 page detail from the API cache, as v2's is: the same versions and
    invalidation, ETag and 304, one renderer per missing entry. Only public reads of the
    live version are cached; core's operation still renders every miss.

    django-ninja serves clones of a router's operations, made when ``api.urls`` is first
    built; the hook is on the template's ``clone``, so every clone comes out cached."""
    for _prefix, each in api._routers:
        for path_view in each.path_operations.values():
            for operation in path_view.operations:
                if operation.operation_id == "pages_detail" and not hasattr(
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


def _cached_run(operation):
    def run(request, **kwargs):
        page_id = str(kwargs.get("page_id", ""))
        if not (_is_public_live_read(request) and page_id.isdigit()):
            return operation.kratom_uncached_run(request, **kwargs)
        lookup = caching.Lookup(request, int(page_id), DETAIL_CACHE_PARAMETERS)
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
                shown = [int(page_id), *invalidation.referenced_page_ids(int(page_id))]
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


def register_routers(api, replies: str = "/replies/", preview: str = "/page_preview/") -> None:
    """Add kratom-pages' routers to a NinjaAPI (Wagtail's v3 ``api``), apply our visibility
    rule to its public page reads and cache its page detail. Safe to call twice."""
    _apply_visibility_to_public_reads()
    _cache_public_detail(api)
    registered = [added for _prefix, added in api._routers]
    for prefix, each in ((replies, router), (preview, preview_router)):
        if not any(added is each for added in registered):
            api.add_router(prefix, each)
