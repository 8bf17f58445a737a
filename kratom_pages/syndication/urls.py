"""The sitemap and feed addresses. Include them before Wagtail's catch-all::

    path("", include("kratom_pages.syndication.urls")),

Every address has a dot in its last segment, which no Wagtail page slug can have, so none
of them can hide a page.
"""

from django.urls import path

from kratom_pages.syndication import feeds, sitemaps

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name=sitemaps.URL_NAME),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_section, name=sitemaps.SECTION_URL_NAME),
    path("feed.xml", feeds.atom_feed, name="kratom_pages_feed"),
    path("rss.xml", feeds.rss_feed, name="kratom_pages_rss"),
    path("sections/<int:section_id>/feed.xml", feeds.atom_feed, name="kratom_pages_section_feed"),
    path("sections/<int:section_id>/rss.xml", feeds.rss_feed, name="kratom_pages_section_rss"),
]
