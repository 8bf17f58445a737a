"""Wagtail API v2 wiring: a pages endpoint that bulk-loads what a listing references.

One line in a project's API module registers it::

    from kratom_pages.api.v2 import register_endpoints
    register_endpoints(api_router)
"""

from django.db import DatabaseError
from django.db.models import ForeignKey, prefetch_related_objects
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from kratom_pages import prefetch
from kratom_pages.api import caching
from kratom_pages.api.replies import (
    MAX_REQUEST_BYTES,
    ReplyAPIError,
    create_reply,
    list_public_replies,
)
from kratom_pages.models import ReaderReply
from kratom_pages.preview import PreviewError, draft_from_token


def _image_foreign_keys(model) -> list[ForeignKey]:
    image_model = get_image_model()
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.related_model is image_model
    ]


def prefetch_pages(pages: list, objects: prefetch.PrefetchedObjects) -> None:
    """Bulk-load everything ``pages`` reference into ``objects``, and attach image FKs."""
    refs = prefetch.References()
    image_fks: list[tuple[object, ForeignKey]] = []
    for page in pages:
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                value = getattr(page, field.attname)
                refs.update(prefetch.collect_references(value.stream_block, value.raw_data))
        for fk in _image_foreign_keys(type(page)):
            image_id = getattr(page, fk.attname)
            if image_id is not None:
                refs.image_ids.add(image_id)
                image_fks.append((page, fk))
    objects.update(prefetch.load(refs))
    for page, fk in image_fks:
        image = objects.images.get(getattr(page, fk.attname))
        if image is not None:
            setattr(page, fk.name, image)
    prefetch_related_objects(pages, "locale")
    reviewed = [page for page in pages if hasattr(type(page), "reviewed_by")]
    if reviewed:
        prefetch_related_objects(reviewed, "reviewed_by")


class KratomPagesAPIViewSetMixin:
    """Bulk loading for listings (constant queries for 10 or 50 pages), and cached detail
    responses with ETag / Last-Modified / 304."""

    def serialize_page(self, page) -> dict:
        """The detail representation of one page, every field reading bulk-loaded objects
        (the body, the reference list and the JSON-LD share one load of sources)."""
        with prefetch.activate(prefetch.PrefetchedObjects()) as objects:
            prefetch_pages([page], objects)
            return self.get_serializer(page).data

    def dispatch(self, request, *args, **kwargs):
        # Cache hits skip DRF's request machinery and the database: they are bytes with
        # validators, valid while the page's version and the site generation are current.
        self._cache_lookup = None
        if request.method == "GET" and self.action_map.get("get") == "detail_view":
            self._cache_lookup = caching.Lookup(request, kwargs.get("pk"))
            if self._cache_lookup.entry is not None:
                return self._cached_response(request, self._cache_lookup.entry)
        return super().dispatch(request, *args, **kwargs)

    def detail_view(self, request, pk):
        lookup = self._cache_lookup or caching.Lookup(request, pk)
        page = self.get_object()  # the live/public/site checks: 404 when not served
        body = JSONRenderer().render(self.serialize_page(page))
        entry = (body, lookup.etag, caching.last_modified_of(page))
        lookup.store(entry)
        return self._cached_response(request, entry)

    @staticmethod
    def _cached_response(request, entry):
        body, etag, last_modified = entry
        response = caching.not_modified(request, etag, last_modified)
        if response is None:
            response = HttpResponse(body, content_type="application/json")
        return caching.add_validators(response, etag, last_modified)

    def listing_view(self, request):
        with prefetch.activate(prefetch.PrefetchedObjects()):
            try:
                return super().listing_view(request)
            except DatabaseError as exc:
                # The database search backends reject some query syntax (SQLite FTS5:
                # 'syntax error near "="'): that is the client's query, not an outage.
                if "search" in request.GET and "syntax" in str(exc).lower():
                    return Response(
                        {"message": _("The search query could not be understood.")},
                        status=400,
                    )
                raise

    def get_serializer(self, *args, **kwargs):
        objects = prefetch.active()
        if kwargs.get("many") and args and objects is not None:
            pages = list(args[0])
            prefetch_pages(pages, objects)
            args = (pages, *args[1:])
        return super().get_serializer(*args, **kwargs)


class KratomPagesAPIViewSet(KratomPagesAPIViewSetMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint with bulk loading for kratom-pages' page types."""


class PagePreviewAPIViewSet(KratomPagesAPIViewSet):
    """``GET ?content_type=app.model&token=...``: the previewed draft, in exactly the shape
    of the published page's detail response."""

    known_query_parameters = KratomPagesAPIViewSet.known_query_parameters.union(
        ["content_type", "token"]
    )

    def listing_view(self, request):
        self.action = "detail_view"  # serialize with the detail fields
        return Response(self.serialize_page(self.get_object()))

    def get_object(self):
        page = draft_from_token(self.request.GET.get("content_type"), self.request.GET.get("token"))
        self.check_object_permissions(self.request, page)
        return page

    def handle_exception(self, exc):
        if isinstance(exc, PreviewError):
            return Response({"message": exc.message}, status=exc.status)
        return super().handle_exception(exc)

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


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
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
            raise ReplyAPIError(413, _("The request is too large for a reply."))
        data = request.data
        return Response(
            create_reply(data, request.META.get("REMOTE_ADDR"), request._request), status=201
        )

    def handle_exception(self, exc):
        if isinstance(exc, ReplyAPIError):
            return Response(exc.as_dict(), status=exc.status, headers=exc.headers)
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


def register_endpoints(
    router: WagtailAPIRouter,
    pages: str = "pages",
    replies: str = "replies",
    preview: str = "page_preview",
) -> WagtailAPIRouter:
    """Register kratom-pages' endpoints on a project's v2 router (replacing ``pages``)."""
    router.register_endpoint(pages, KratomPagesAPIViewSet)
    router.register_endpoint(replies, ReaderRepliesAPIViewSet)
    router.register_endpoint(preview, PagePreviewAPIViewSet)
    return router
