"""The sitemap and feeds as JSON, for a headless frontend to serve ``/sitemap.xml`` and
``/feed.xml`` itself: ``GET /api/v2/sitemap/?page=`` and ``GET /api/v2/feed/?section=``,
the same on v3. The entries are those of the XML (``entries``, ``feed_entries``), the
shapes ``schemas``; v2 and v3 send the same bytes, cached like the XML (``serving``).
"""

import json
import math

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from kratom_pages import conf
from kratom_pages.api import bounds
from kratom_pages.api.schemas import represent
from kratom_pages.syndication import entries, feed_entries, serving
from kratom_pages.syndication.schemas import FeedSchema, SitemapSchema

SITEMAP_PARAMETERS = frozenset(["page", *entries.SCOPE_PARAMETERS])
FEED_PARAMETERS = frozenset(["section", *entries.SCOPE_PARAMETERS])
CONTENT_TYPE = "application/json"


class SyndicationAPIError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _json(data: dict) -> bytes:
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return encoded.encode()


def _page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise SyndicationAPIError(400, _("'page' must be a positive integer.")) from None
    if not 0 < number <= bounds.MAX_INTEGER:
        raise SyndicationAPIError(400, _("'page' must be a positive integer."))
    return number


def sitemap_data(request, page=1) -> dict:
    """One file's worth of sitemap entries (``SITEMAP_PAGE_SIZE``), with the count."""
    number = _page_number(page)
    found = entries.sitemap_entries(request)
    size = conf.get("SITEMAP_PAGE_SIZE")
    pages = max(1, math.ceil(len(found) / size))
    if number > pages:
        raise SyndicationAPIError(404, _("The sitemap has no page %(page)d.") % {"page": number})
    items = [
        {
            "url": entry.url,
            "lastmod": entry.lastmod,
            "language": entry.language,
            "alternates": [vars(alternate) for alternate in entry.alternates],
            "images": list(entry.images),
        }
        for entry in found[(number - 1) * size : number * size]
    ]
    meta = {"total_count": len(found), "page": number, "pages": pages, "page_size": size}
    return represent(SitemapSchema, {"meta": meta, "items": items})


def feed_data(request, section=None) -> dict:
    """The feed of section ``section`` (a section front's id), or of the site."""
    try:
        front = feed_entries.section_for(request, section) if section else None
    except Http404 as exc:
        raise SyndicationAPIError(404, str(exc)) from None
    feed = feed_entries.feed_for(request, front)
    meta = {
        "title": feed.title,
        "url": feed.url,
        "description": feed.description,
        "language": feed.language,
        "author": feed.author,
        "updated": feed.updated,
        "section": front.pk if front else None,
    }
    items = [
        {
            "id": entry.page_id,
            "title": entry.title,
            "url": entry.url,
            "summary": entry.summary,
            "content": entry.content,
            "author": entry.author,
            "author_url": entry.author_url,
            "reviewer": vars(entry.reviewer) if entry.reviewer else None,
            "reviewed_at": entry.reviewed_on,
            "published": entry.published,
            "updated": entry.updated,
            "language": entry.language,
        }
        for entry in feed.entries
    ]
    return represent(FeedSchema, {"meta": meta, "items": items})


def served(request, build, recognised: frozenset, **params):
    """``build(request, **params)`` as cached JSON; ``SyndicationAPIError`` is raised
    (each API version answers it in its own error shape), never stored."""
    return serving.cached_response(
        request,
        CONTENT_TYPE,
        lambda: (_json(build(request, **params)), None),
        recognised=recognised,
    )


class _NoModel:
    """Stands for no model in the v2 router's model lookup (``get_model_endpoint``), which
    must never pick these endpoints for a page or an image."""


class _V2Endpoint:
    """A v2 router endpoint (``WagtailAPIRouter.register_endpoint``): one GET listing."""

    model = _NoModel
    build = staticmethod(sitemap_data)
    parameters: frozenset = SITEMAP_PARAMETERS

    @classmethod
    def listing_view(cls, request):
        try:
            bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
        except bounds.BoundsError as error:
            return JsonResponse(error.as_dict(), status=400)
        unknown = sorted(set(request.GET) - cls.parameters)
        if unknown:
            # As core's listings do: a misspelt parameter is an error, not ignored.
            message = _("query parameter is not an operation or a recognised field: %(names)s")
            return JsonResponse({"message": message % {"names": ", ".join(unknown)}}, status=400)
        # ?site= is read by the visibility rule itself (``visibility.api_pages``).
        given = (cls.parameters - set(entries.SCOPE_PARAMETERS)) & set(request.GET)
        params = {name: request.GET[name] for name in given}
        try:
            return served(request, cls.build, cls.parameters, **params)
        except SyndicationAPIError as error:
            return JsonResponse({"message": error.message}, status=error.status)

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.listing_view, name="listing")]


class SitemapEndpoint(_V2Endpoint):
    """``GET /api/v2/sitemap/?page=``: ``{meta, items: [{url, lastmod, alternates...}]}``."""


class FeedEndpoint(_V2Endpoint):
    """``GET /api/v2/feed/?section=``: ``{meta, items}`` of the site's or a section's feed."""

    build = staticmethod(feed_data)
    parameters = FEED_PARAMETERS
