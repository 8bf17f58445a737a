"""Reader replies over HTTP: public listing of approved replies, and posting new ones.

Posting needs no session or CSRF token: the endpoint never reads cookies or the user, so
a forged cross-site request can do nothing a direct request could not. What protects it is
validation, a size cap, a per-IP-hash rate limit, a honeypot and moderation (README).
"""

from django.urls import path
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet
from wagtail.models import Page, Site

from kratom_pages import conf
from kratom_pages.api import bounds
from kratom_pages.api.bounds import MAX_INTEGER
from kratom_pages.api.shapes import represent
from kratom_pages.models.pages import is_health_page
from kratom_pages.publishing import visibility
from kratom_pages.replies.intake import ReplyRefused, submit_reply
from kratom_pages.replies.models import ReaderReply
from kratom_pages.replies.schemas import RepliesListSchema, ReplySchema

# A reply body is at most REPLY_MAX_LENGTH characters; anything far larger is not a reply.
MAX_REQUEST_BYTES = 64 * 1024


class ReplyAPIError(Exception):
    def __init__(self, status: int, message: str, errors: dict | None = None, headers=None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors
        self.headers = headers or {}

    def as_dict(self) -> dict:
        data = {"message": self.message}
        if self.errors:
            data["errors"] = self.errors
        return data


def reply_representation(reply: ReaderReply) -> dict:
    """The public shape of a reply (``ReplySchema``: never the email, IP hash or
    moderation note)."""
    return represent(ReplySchema, reply)


def replyable_page(page_id, request=None) -> Page:
    """The live, public page with ``page_id`` in the site answering ``request``; a clear
    4xx otherwise."""
    # JSON's 1e400 arrives as float("inf"), and true as 1: neither is an id.
    if isinstance(page_id, bool | float):
        page_id = None
    try:
        page_id = int(page_id)
    except (TypeError, ValueError, OverflowError):
        raise ReplyAPIError(400, _("'page' must be a page id (an integer).")) from None
    if not 0 < page_id <= MAX_INTEGER:
        raise ReplyAPIError(404, _("No published page has that id."))
    pages = visibility.visible_pages().filter(pk=page_id)
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    page = pages.specific().first()
    if page is None or not is_health_page(page):
        raise ReplyAPIError(404, _("No published page with replies has that id."))
    return page


def parse_limit_offset(params) -> tuple[int, int]:
    def number(name, default):
        raw = params.get(name, default)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ReplyAPIError(400, _("'%(name)s' must be an integer.") % {"name": name}) from None
        if value < 0:
            raise ReplyAPIError(400, _("'%(name)s' cannot be negative.") % {"name": name})
        if value > MAX_INTEGER:
            # The database's OFFSET overflows long before any page has that many replies.
            raise ReplyAPIError(
                400,
                _("'%(name)s' must be at most %(max)d.") % {"name": name, "max": MAX_INTEGER},
            )
        return value

    limit = number("limit", conf.get("REPLIES_PAGE_SIZE"))
    if limit > 100 or limit == 0:
        raise ReplyAPIError(400, _("'limit' must be between 1 and 100."))
    return limit, number("offset", 0)


def list_public_replies(page_id, params, request=None) -> dict:
    page = replyable_page(page_id, request)
    limit, offset = parse_limit_offset(params)
    replies = ReaderReply.objects.public().filter(page=page).order_by("created_at", "pk")
    meta = {"total_count": replies.count(), "page": page.pk}
    items = list(replies[offset : offset + limit])
    return represent(RepliesListSchema, {"meta": meta, "items": items})


def create_reply(data, client_ip: str | None, request=None) -> dict:
    if not isinstance(data, dict):
        raise ReplyAPIError(400, _("Send a JSON object."))
    page = replyable_page(data.get("page"), request)
    fields = {
        key: data.get(key)
        for key in ("display_name", "email", "body", "parent", "website")
        if data.get(key) is not None
    }
    for key, value in fields.items():
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ReplyAPIError(400, _("Invalid reply."), {key: [_("Must be a string.")]})
    try:
        submission = submit_reply(page, fields, client_ip)
    except ReplyRefused as refused:
        raise ReplyAPIError(refused.status, str(refused.message), headers=refused.headers) from None
    if not submission.accepted:
        errors = {field: [str(e) for e in errs] for field, errs in submission.form.errors.items()}
        raise ReplyAPIError(400, _("Invalid reply."), errors)
    # A honeypot hit is stored as spam but answered like any other reply, so bots learn
    # nothing; its status reads "pending" from the outside.
    return {"id": submission.reply.pk, "status": ReaderReply.Status.PENDING.value}


class ReaderRepliesAPIViewSet(ViewSet):
    """``GET ?page=<id>``: approved replies. ``POST`` (JSON): a new reply, held for moderation.

    No authentication classes: the endpoint never reads the session, so it needs no CSRF
    token and a logged-in editor's cookies give a forged request nothing.
    """

    model = ReaderReply
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def listing_view(self, request):
        return Response(list_public_replies(request.GET.get("page"), request.GET, request._request))

    def create_view(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise ReplyAPIError(400, _("Content-Length must be a number.")) from None
        if length > MAX_REQUEST_BYTES:
            raise ReplyAPIError(413, _("The request is too large for a reply."))
        # Before parsing: json.loads recurses once per level, and a 60 KB body can nest
        # 30,000 deep.
        bounds.check_json_body(request._request.body)
        data = request.data
        return Response(
            create_reply(data, request.META.get("REMOTE_ADDR"), request._request), status=201
        )

    def handle_exception(self, exc):
        if isinstance(exc, ReplyAPIError):
            return Response(exc.as_dict(), status=exc.status, headers=exc.headers)
        if isinstance(exc, bounds.BoundsError):
            return Response(exc.as_dict(), status=400)
        if isinstance(exc, UnsupportedMediaType):
            return Response(
                {"message": _("Send the reply as JSON (Content-Type: application/json).")},
                status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            )
        if isinstance(exc, ParseError):
            return Response({"message": _("The body is not valid JSON.")}, status=400)
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "detail" in response.data:
            response.data = {"message": str(response.data["detail"])}
        return response

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view", "post": "create_view"}), name="listing"),
        ]
