"""Wagtail API v3 (django-ninja) additions: the public reader replies listing.

Register on Wagtail's v3 API before its URLs are built::

    from wagtail.api.v3.urls import api as api_v3
    from kratom_pages.api.v3 import register_routers
    register_routers(api_v3)
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kratom_pages.api import bounds
from kratom_pages.api.replies import ReplyAPIError, list_public_replies
from kratom_pages.preview import PreviewError, draft_from_token


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
def page_preview(request: HttpRequest, content_type: str = "", token: str = ""):
    try:
        # content_type reaches a database lookup: no NUL bytes or control characters.
        bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
    except bounds.BoundsError as exc:
        raise HttpError(400, exc.message) from exc
    try:
        return draft_from_token(content_type, token)
    except PreviewError as exc:
        raise HttpError(exc.status, exc.message) from exc


def register_routers(api, replies: str = "/replies/", preview: str = "/page_preview/") -> None:
    """Add kratom-pages' routers to a NinjaAPI (Wagtail's v3 ``api``). Safe to call twice."""
    registered = [added for _prefix, added in api._routers]
    for prefix, each in ((replies, router), (preview, preview_router)):
        if not any(added is each for added in registered):
            api.add_router(prefix, each)
