"""The XML sitemap, on ``wagtail.contrib.sitemaps`` and Django's sitemap views: their
pagination, sitemap index, ``?p=`` pages, ``Last-Modified`` and ``X-Robots-Tag``.

Where they do not fit, and what we do instead:

- Wagtail's ``Sitemap.items()`` is every live page ``public()`` allows, of any type:
  scheduled expiry is not checked until ``publish_scheduled`` runs, and each page is
  loaded ``specific()``. Ours are ``entries.sitemap_entries``: the one visibility rule,
  section fronts and health pages, a fixed number of queries for any number of pages.
- Its ``lastmod`` is the last publish; ours is the later of that and the last medical
  sign-off (``lastmod``).
- Its entries come from each page's ``get_sitemap_urls`` (no alternates, no images);
  ours carry ``xhtml:link`` alternates for translations and ``image:image`` for heroes,
  in templates of our own (Django's write ``lastmod`` as a date only).
- Nothing there is cached; ours are served through ``serving`` (``publishing.cache``).
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap

from kratom_pages import conf
from kratom_pages.syndication import entries, serving

SECTION = "pages"
URL_NAME = "kratom_pages_sitemap"
SECTION_URL_NAME = "kratom_pages_sitemap_section"
CONTENT_TYPE = "application/xml"
# What Django's sitemap views send, kept on cached responses too.
HEADERS = (("X-Robots-Tag", "noindex, noodp, noarchive"),)


class HealthSitemap(Sitemap):
    """Wagtail's sitemap over our entries (``entries.SitemapEntry``), split into files of
    ``SITEMAP_PAGE_SIZE`` URLs."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = conf.get("SITEMAP_PAGE_SIZE")
        self._entries = None

    def items(self):
        if self._entries is None:  # the paginator and the index each ask
            self._entries = entries.sitemap_entries(self.request)
        return self._entries

    def location(self, entry):
        return entry.url

    def lastmod(self, entry):
        return entry.lastmod

    def _urls(self, page, protocol, domain):
        # Our entries carry absolute URLs by the base-URL rule: Django's _urls would put
        # the request's host in front of each.
        urls = [
            {
                "location": entry.url,
                "lastmod": entry.lastmod,
                "alternates": entry.alternates,
                "images": entry.images,
            }
            for entry in self.paginator.page(page).object_list
        ]
        dates = [url["lastmod"] for url in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls


def _rendered(response, sitemap: HealthSitemap) -> serving.Rendered:
    response.render()
    latest = sitemap.get_latest_lastmod()
    return response.content, int(latest.timestamp()) if latest else None


def sitemap(request):
    """``/sitemap.xml``: the sitemap, or past ``SITEMAP_PAGE_SIZE`` URLs an index of its
    files (``/sitemap-pages.xml``, ``?p=2``...)."""

    def render():
        site_map = HealthSitemap(request)
        if site_map.paginator.num_pages > 1:
            response = sitemap_views.index(
                request,
                {SECTION: site_map},
                template_name="kratom_pages/syndication/sitemap_index.xml",
                sitemap_url_name=SECTION_URL_NAME,
            )
        else:
            response = sitemap_views.sitemap(
                request, {SECTION: site_map}, template_name="kratom_pages/syndication/sitemap.xml"
            )
        return _rendered(response, site_map)

    # Django's view reads ?p= here too (a page past the first is a 404).
    return serving.cached_response(
        request, CONTENT_TYPE, render, recognised=["p", *entries.SCOPE_PARAMETERS], headers=HEADERS
    )


def sitemap_section(request, section: str):
    """One file of a sitemap split by an index (``?p=`` from 1); 404 past the last."""

    def render():
        site_map = HealthSitemap(request)
        response = sitemap_views.sitemap(
            request,
            {SECTION: site_map},
            section=section,
            template_name="kratom_pages/syndication/sitemap.xml",
        )
        return _rendered(response, site_map)

    return serving.cached_response(
        request, CONTENT_TYPE, render, recognised=["p", *entries.SCOPE_PARAMETERS], headers=HEADERS
    )


def sitemap_path() -> str:
    return reverse(URL_NAME)
