"""Wagtail API v2 wiring: a pages endpoint that bulk-loads what a listing references.

One line in a project's API module registers it::

    from kratom_pages.api.v2 import register_endpoints
    register_endpoints(api_router)
"""

import json
import weakref
from contextlib import nullcontext

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.urls import path
from django.utils.cache import add_never_cache_headers, patch_cache_control
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from kratom_pages import prefetch
from kratom_pages.api import bounds, structured_data
from kratom_pages.api.page_prefetch import prefetch_pages
from kratom_pages.api.v2_hits import CacheHitsMixin
from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import listing_items as items_cache
from kratom_pages.publishing import prerender, visibility
from kratom_pages.publishing.preview import PreviewError, draft_from_token
from kratom_pages.replies.api import ReaderRepliesAPIViewSet
from kratom_pages.syndication.api import FeedEndpoint, SitemapEndpoint


class ListingRefused(Exception):
    """A listing answered with an error response, which is returned but never stored."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


class KratomPagesAPIViewSetMixin(CacheHitsMixin):
    """Pages under ``publishing.visibility`` (the same for every requester), bulk loading
    for listings (constant queries for 10 or 50 pages), and cached detail responses with
    ETag / Last-Modified / 304.

    Hits respect the project's API policy: they go through DRF (authentication, permission
    and throttle classes, content negotiation) and skip only serialization. The one
    shortcut: an anonymous JSON read on an endpoint whose policy is open (AllowAny, no
    throttles) is answered before DRF, since DRF would change nothing but its cost."""

    # Parameters the detail response depends on; anything else is ignored, as core does.
    detail_cache_parameters = frozenset(["fields", "rich_text_format", "type", "site"])
    # Listings assembled from per-page items (``items_cache.ListingItems``) when they miss.
    listing_items = True

    def get_base_queryset(self):
        # Asked twice per request by core (object lookup and serializer context).
        if getattr(self, "_base_queryset", None) is None:
            try:
                self._base_queryset = visibility.api_pages(self.request)
            except ValueError as exc:  # ?site= matching several sites
                raise BadRequestError(str(exc)) from exc
        return self._base_queryset.all()

    def serialize_page(self, page) -> tuple[dict, prefetch.PrefetchedObjects]:
        """The detail representation of one page, every field reading bulk-loaded objects
        (the body, the reference list and the JSON-LD share one load of sources)."""
        with prefetch.activate(prefetch.PrefetchedObjects()) as objects:
            structured_data.share_ancestors(page, self.request)  # parent, locale, breadcrumbs
            prefetch_pages([page], objects)
            return self.get_serializer(page).data, objects

    def detail_view(self, request, pk):
        if not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
            # The browsable API (Accept: text/html) renders its own page, uncached.
            page = self.get_object()
            return Response(self.serialize_page(page)[0])
        lookup = self._lookup or caching.Lookup(request, pk, self.detail_cache_parameters)
        return self._served_from(lookup, self.render_detail)

    def _served_from(self, lookup: caching.Lookup, render):
        """The entry of ``lookup``, rendered by ``render`` when missing: by this request if
        it is the first to ask, else by the one that is (waiting briefly for it)."""
        if lookup.entry is None and not lookup.claim():
            lookup.entry = lookup.await_entry()
        if lookup.entry is None:
            try:
                lookup.entry, timeout = render()
                lookup.store(lookup.entry, timeout)
            finally:
                lookup.release()
        return self._cached_response(self.request, lookup.entry)

    def render_detail(self) -> tuple[tuple, int]:
        """The cache entry of the page this request names, ``(body, etag, last_modified)``,
        and how long it may be kept."""
        with visibility.remembering():
            page = self.get_object()  # the visibility/site checks: 404 when not served
            data, objects = self.serialize_page(page)
        body = JSONRenderer().render(data)
        entry = (body, caching.etag_for(body), caching.last_modified_of(page))
        shown = [page, *(linked for linked in objects.pages.values() if linked)]
        listed = caching.next_expiry() if structured_data.lists_children(page) else []
        return entry, caching.entry_timeout([*(p.expire_at for p in shown), *listed])

    def listing_view(self, request):
        try:
            bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
        except bounds.BoundsError as error:
            return Response(error.as_dict(), status=400)
        lookup = self._lookup or self._cache_lookup(request, "listing_view", {})
        if lookup is None or not isinstance(request.accepted_renderer, JSONRenderer):
            return self._listing_response(request)
        try:
            if request.META.get(prerender.ITEMS_ONLY):
                # Prerendering listing items (environ only the app sets): the items are
                # stored as the listing is rendered; the listing itself is not.
                return self._cached_response(request, self.render_listing()[0])
            return self._served_from(lookup, self.render_listing)
        except ListingRefused as refused:
            return refused.response

    def render_listing(self) -> tuple[tuple, int]:
        """A listing's cache entry and how long it may be kept. Errors (400) are raised.
        Its items come from ``items_cache.ListingItems`` where current (``listing_items``)."""
        self._listed, self._listed_expiries, self._items = [], [], None
        self._assembling = self.listing_items and caching.enabled()
        try:
            response = self._listing_response(self.request)
        finally:
            self._assembling = False
        if response.status_code != 200:
            raise ListingRefused(response)
        body = JSONRenderer().render(response.data)
        shown = [*self._listed, *(p for p in self._listing_objects.pages.values() if p)]
        expiries = [*(p.expire_at for p in shown), *self._listed_expiries, *caching.next_expiry()]
        timeout = caching.entry_timeout(expiries)
        if self._items is not None:
            # Only a variant that rendered is worth prerendering for.
            items_cache.remember_item_variant(
                self.request, items_cache.ListingItems.ITEM_PARAMETERS
            )
            body = _with_items(body, self._items_json, response.data)
            timeout = int(min(timeout, self._items.seconds_left()))
        return (body, caching.etag_for(body), None), timeout

    def _listing_response(self, request):
        # A search the backend cannot parse fails inside a savepoint, so PostgreSQL's
        # transaction stays usable for whatever the request does next.
        searching = transaction.atomic() if "search" in request.GET else nullcontext()
        with prefetch.activate(prefetch.PrefetchedObjects()) as objects:
            self._listing_objects = objects
            try:
                with searching:
                    return super().listing_view(request)
            except DatabaseError as exc:
                # The client's values (an FTS5 or tsquery syntax error, a number out of
                # range), not an outage: bounds.blamed_parameter reads the driver's code.
                refusal = bounds.database_refusal(exc, request.GET)
                if refusal is None:
                    raise
                return Response(refusal.as_dict(), status=400)

    def get_serializer(self, *args, **kwargs):
        objects = prefetch.active()
        if kwargs.get("many") and args and objects is not None:
            if getattr(self, "_assembling", False) and isinstance(args[0], QuerySet):
                return self._assembled_items(args[0], objects, *args[1:], **kwargs)
            pages = self._listed = list(args[0])
            prefetch_pages(pages, objects)
            args = (pages, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def _assembled_items(self, queryset, objects, *args, **kwargs):
        """Each page's item from the cache; only pages without a current one are loaded
        (in one query, then in bulk) and rendered. The JSON of every item is kept in
        ``_items_json`` for ``render_listing``; the serializer handed back has no items,
        so core's envelope renders around them."""
        # Which pages, in order, without loading them: most items are usually current.
        rows = list(queryset.values_list("pk", "expire_at"))
        items = self._items = items_cache.ListingItems(self.request, [pk for pk, _ in rows])
        self._listed_expiries = [expire_at for _pk, expire_at in rows]
        missing = [pk for pk, _ in rows if pk not in items.found]
        pages, rendered = [], {}
        if missing:
            unsliced = queryset._chain()
            unsliced.query.clear_limits()  # same filters, type and order; these pages only
            pages = list(unsliced.filter(pk__in=missing))
            prefetch_pages(pages, objects)
        # Built even with nothing to render: it checks ?fields= and ?rich_text_format=.
        serializer = super().get_serializer(pages, *args, **kwargs)
        if pages:
            renderer = JSONRenderer()
            rendered = {
                page.pk: renderer.render(item)
                for page, item in zip(pages, serializer.data, strict=True)
            }
            shown = [*pages, *(page for page in objects.pages.values() if page)]
            expiries = [page.expire_at for page in shown]
            if any(structured_data.lists_children(page) for page in pages):
                expiries += caching.next_expiry()
            items.store(rendered, caching.entry_timeout(expiries))
        # A page gone between the two queries (unpublished meanwhile) is left out.
        bodies = {**items.found, **rendered}
        self._items_json = [bodies[pk] for pk, _ in rows if pk in bodies]
        return _NoItems()


class _NoItems:
    """A serializer stand-in whose ``data`` is an empty list of items."""

    data = ()


def _with_items(body: bytes, items: list[bytes], data) -> bytes:
    """The listing ``body`` (rendered with no items) with ``items`` put in: core's envelope
    ends with its ``items`` array, so they go before its last two bytes. Any other
    envelope (a project's own pagination) is rendered again with the items parsed."""
    empty = b'"items":[]}'
    if body.endswith(empty) and b'"items"' not in body[: -len(empty)]:
        return b"".join([body[:-2], b",".join(items), b"]}"])
    data = {**data, "items": [json.loads(item) for item in items]}
    return JSONRenderer().render(data)


class KratomPagesAPIViewSet(KratomPagesAPIViewSetMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint with bulk loading for kratom-pages' page types."""


class PagePreviewAPIViewSet(KratomPagesAPIViewSet):
    """``GET ?content_type=app.model&token=...``: the previewed draft, in exactly the shape
    of the published page's detail response."""

    known_query_parameters = KratomPagesAPIViewSet.known_query_parameters.union(
        ["content_type", "token"]
    )

    def listing_view(self, request):
        try:
            bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
        except bounds.BoundsError as error:
            return Response(error.as_dict(), status=400)
        self.action = "detail_view"  # serialize with the detail fields
        return Response(self.serialize_page(self.get_object())[0])

    def finalize_response(self, request, response, *args, **kwargs):
        # A draft: no shared cache (CDN, proxy) or browser cache may keep it.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    @classmethod
    def _cache_lookup(cls, request, action, kwargs):
        return None  # drafts are never cached

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


# Routers we were registered on, and the name of their pages endpoint: ``api.checks``
# makes sure each is reachable.
registered_routers: "weakref.WeakKeyDictionary[WagtailAPIRouter, str]" = weakref.WeakKeyDictionary()


def register_endpoints(
    router: WagtailAPIRouter,
    pages: str = "pages",
    replies: str = "replies",
    preview: str = "page_preview",
    sitemap: str = "sitemap",
    feed: str = "feed",
) -> WagtailAPIRouter:
    """Register kratom-pages' endpoints on a project's v2 router (replacing ``pages``)."""
    registered_routers[router] = pages
    router.register_endpoint(pages, KratomPagesAPIViewSet)
    router.register_endpoint(replies, ReaderRepliesAPIViewSet)
    router.register_endpoint(preview, PagePreviewAPIViewSet)
    router.register_endpoint(sitemap, SitemapEndpoint)
    router.register_endpoint(feed, FeedEndpoint)
    return router
