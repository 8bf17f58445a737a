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

from kratom_pages.api.replies import ReplyAPIError, list_public_replies


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
        return list_public_replies(query.page, query.dict())
    except ReplyAPIError as exc:
        raise HttpError(exc.status, exc.message) from exc


def register_routers(api, prefix: str = "/replies/") -> None:
    """Add kratom-pages' routers to a NinjaAPI (Wagtail's v3 ``api``). Safe to call twice."""
    if not any(p == prefix for p, _ in api._routers):
        api.add_router(prefix, router)
