"""Sitemaps and feeds: what WordPress publishers relied on (``wp-sitemap.xml``, an RSS feed
per category), served from the same rules as the API.

- ``entries``: the sitemap's entries (every visible page of the site's sections, its
  ``lastmod``, translations and hero image), built once for the XML and the API;
- ``sitemaps``: the XML sitemap on ``wagtail.contrib.sitemaps``, an index past
  ``SITEMAP_PAGE_SIZE`` URLs;
- ``feed_entries`` and ``feeds``: Atom and RSS 2.0 per section and for the site, on
  Django's syndication framework;
- ``api``: both as JSON on API v2 and v3, for a headless frontend to serve them itself;
- ``serving``: every one of them cached like an API listing (``publishing.cache``) and
  renewed by the one invalidation rule.
"""
