"""Wagtail API v3 (django-ninja) additions: the public reader replies listing and drafts.

Nothing to call in a project: when ``wagtail.api.v3`` is installed, our AppConfig
registers these on Wagtail's own ``api`` (``register_routers``), so mounting
``path("api/v3/", api.urls)`` serves our page types with the visibility rule, caching,
replies and preview. A project that builds a NinjaAPI of its own calls
``register_routers(its_api)`` before its URLs are built.
"""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kratom_pages.api import bounds, openapi, v3_cache, v3_errors
from kratom_pages.publishing import visibility
from kratom_pages.publishing.preview import PreviewError, draft_from_token
from kratom_pages.replies.api import ReplyAPIError, list_public_replies
from kratom_pages.replies.schemas import RepliesListSchema
from kratom_pages.syndication import v3 as syndication


class RepliesQuery(Schema):
    page: int
    limit: int = 20
    offset: int = 0


router = Router(tags=["reader replies"])


@router.get(
    "/",
    response={200: RepliesListSchema, **openapi.error_responses("reader_replies_list")},
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
    response={200: _page_detail_schema(), **openapi.error_responses("page_preview")},
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


def register_routers(
    api,
    replies: str = "/replies/",
    preview: str = "/page_preview/",
    sitemap: str = "/sitemap/",
    feed: str = "/feed/",
) -> None:
    """Add kratom-pages' routers to a NinjaAPI (Wagtail's v3 ``api``), apply our visibility
    rule to its public page reads, cache its page detail and listings (``v3_cache``) and
    serve its OpenAPI document corrected (``openapi``). Safe to call twice."""
    _apply_visibility_to_public_reads()
    v3_cache.install(api)
    v3_errors.install(api)
    openapi.install(api)
    registered = [added for _prefix, added in api._routers]
    routers = (
        (replies, router),
        (preview, preview_router),
        (sitemap, syndication.sitemap_router),
        (feed, syndication.feed_router),
    )
    for prefix, each in routers:
        if not any(added is each for added in registered):
            api.add_router(prefix, each)
