"""The sitemap and feed addresses. Include them before Wagtail's catch-all::

    path("", include("kratom_pages.syndication.urls")),

Every address has a dot in its last segment, which no Wagtail page slug can have, so none
of them can hide a page.
"""

from django.urls import path
from django.views.decorators.http import require_safe

from kratom_pages.syndication import feeds, sitemaps

# GET and HEAD only: nothing here takes input.
sitemap, section = require_safe(sitemaps.sitemap), require_safe(sitemaps.sitemap_section)
atom, rss = require_safe(feeds.atom_feed), require_safe(feeds.rss_feed)

urlpatterns = [
    path("sitemap.xml", sitemap, name=sitemaps.URL_NAME),
    path("sitemap-<str:section>.xml", section, name=sitemaps.SECTION_URL_NAME),
    path("feed.xml", atom, name="kratom_pages_feed"),
    path("rss.xml", rss, name="kratom_pages_rss"),
    path("sections/<int:section_id>/feed.xml", atom, name="kratom_pages_section_feed"),
    path("sections/<int:section_id>/rss.xml", rss, name="kratom_pages_section_rss"),
]
