"""WordPress's feed and sitemap addresses, redirected (301) to ours once an import is done,
so readers, aggregators and newsletter tools subscribed to the old feeds, and search
engines holding the old sitemap, keep finding them:

- ``/feed/`` to the site's Atom feed (``/feed.xml``);
- ``/category/<slug>/feed/`` to the feed of the section the posts were imported into (the
  import's parent, when it is a section front), else the site's;
- ``/wp-sitemap.xml`` (WordPress 5.5+) and ``/sitemap_index.xml`` (Yoast, Rank Math) to
  ``/sitemap.xml``.

A WordPress installed under a path (``https://example.com/blog``) had them under it too.
Our addresses come from the project's URLs (``kratom_pages.syndication.urls``); a project
that does not include them gets no redirects, and the report says none were made.
"""

from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse
from wagtail.contrib.redirects.models import Redirect

from kratom_pages.models.pages import KratomIndexPage

SITEMAPS = ("/wp-sitemap.xml", "/sitemap_index.xml")


def targets(summary, parent) -> dict[str, str]:
    """Old path -> our address, for the export ``summary`` imported under ``parent``."""
    try:
        site_feed = reverse("kratom_pages_feed")
        sitemap = reverse("kratom_pages_sitemap")
        section_feed = site_feed
        if isinstance(parent.specific, KratomIndexPage):
            section_feed = reverse("kratom_pages_section_feed", args=[parent.pk])
    except NoReverseMatch:
        return {}
    base = urlsplit(summary.site_url).path.rstrip("/")
    found = {f"{base}/feed/": site_feed}
    found.update({f"{base}{path}": sitemap for path in SITEMAPS})
    for slug in sorted(summary.category_slugs):
        found[f"{base}/category/{slug}/feed/"] = section_feed
    return found


def redirect_old_addresses(summary, parent) -> int:
    """Make (or update) the redirects on ``parent``'s site; returns how many there are."""
    site = parent.get_site()
    if site is None:
        return 0
    made = 0
    for old, new in targets(summary, parent).items():
        path = Redirect.normalise_path(old)
        if path == Redirect.normalise_path(new):
            continue  # already our address
        Redirect.objects.update_or_create(
            old_path=path,
            site=site,
            defaults={"redirect_page": None, "redirect_link": new, "is_permanent": True},
        )
        made += 1
    return made
