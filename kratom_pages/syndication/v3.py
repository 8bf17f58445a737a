"""The sitemap and feeds on API v3 (django-ninja): ``/api/v3/sitemap/`` and
``/api/v3/feed/``, registered by ``api.v3.register_routers``. The same data, shapes and
cached bytes as v2 (``syndication.api``); errors in v3's own problem shape."""

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from kratom_pages.api import openapi
from kratom_pages.syndication import api
from kratom_pages.syndication.schemas import FeedSchema, SitemapSchema

sitemap_router = Router(tags=["sitemaps and feeds"])
feed_router = Router(tags=["sitemaps and feeds"])


def _served(request, build, parameters, **params):
    try:
        return api.served(request, build, parameters, **params)
    except api.SyndicationAPIError as error:
        raise HttpError(error.status, error.message) from error


@sitemap_router.get(
    "/",
    response={200: SitemapSchema, **openapi.error_responses("sitemap")},
    url_name="sitemap",
    summary="The site's sitemap entries, one sitemap file per page",
    operation_id="sitemap",
)
def sitemap(request: HttpRequest, page: int = 1):
    return _served(request, api.sitemap_data, api.SITEMAP_PARAMETERS, page=page)


@feed_router.get(
    "/",
    response={200: FeedSchema, **openapi.error_responses("feed")},
    url_name="feed",
    summary="The newest health pages of the site, or of a section",
    operation_id="feed",
)
def feed(request: HttpRequest, section: int | None = None):
    return _served(request, api.feed_data, api.FEED_PARAMETERS, section=section)
