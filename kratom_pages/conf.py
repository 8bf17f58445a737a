"""Every setting kratom-pages reads, with its default, in one place.

Projects configure the app with one dict in their settings::

    KRATOM_PAGES = {"INDEX_PAGE_SIZE": 20}

Read values with ``conf.get("INDEX_PAGE_SIZE")``; unknown names raise ``KeyError`` so a
typo in our own code fails loudly instead of silently using ``None``.
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Children listed per page on a KratomIndexPage (server-rendered listing).
    "INDEX_PAGE_SIZE": 12,
    # Rich text features offered in paragraph, item and answer editors.
    "RICH_TEXT_FEATURES": ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"],
    # A smaller set for one-line rich text such as ledes.
    "LEDE_FEATURES": ["bold", "italic", "link"],
    # Responsive images (kratom_pages.images): the widths renditions are made at, each
    # capped at the original's width (never upscaled), in AVIF (where Pillow can write
    # it), WebP and the original's format (JPEG, else PNG). Frontends map a requested
    # width to the nearest of these (the list is in the OpenAPI document).
    "IMAGE_WIDTHS": [320, 640, 960, 1280, 1920],
    # The <img src> for browsers that read no srcset: the widest rendition up to this.
    "IMAGE_FALLBACK_WIDTH": 960,
    # The ``sizes`` attribute per place an image is shown (CSS lengths, as in HTML).
    "IMAGE_SIZES": {
        "hero": "(min-width: 46rem) 42rem, calc(100vw - 2.5rem)",
        "inline": "(min-width: 46rem) 42rem, calc(100vw - 2.5rem)",
        # Image groups: three columns on wide screens, two, then one.
        "gallery": "(min-width: 46rem) 13.5rem, (min-width: 28rem) calc(50vw - 1.75rem), "
        "calc(100vw - 2.5rem)",
        # Heroes as thumbnails in section listings: cards three, two or one abreast.
        "thumbnail": "(min-width: 72rem) 19rem, (min-width: 40rem) calc(50vw - 4rem), "
        "calc(100vw - 5rem)",
    },
    # Deprecated (kratom_pages.W008): named renditions still sent as ``renditions`` with
    # every image for one release; use ``sources`` (IMAGE_WIDTHS) instead.
    "RENDITIONS": {
        "small": "width-480",
        "medium": "width-960",
        "large": "width-1600",
        "og": "fill-1200x630",
    },
    # Rich text in the API: "html" (links and embeds resolved for frontends) or any
    # other Wagtail API format ("db_html", "markdown", "db_markdown").
    # ``?rich_text_format=`` overrides it per request.
    "RICH_TEXT_FORMAT": "html",
    # Publisher named in JSON-LD; defaults to WAGTAIL_SITE_NAME.
    "PUBLISHER_NAME": None,
    # Which pages mark up FAQ questions as schema.org FAQPage (kratom_pages.api.jsonld_faq):
    # "faq_pages" (FAQ pages only: an FAQ repeated across a site is marked up once, as
    # Google asks) or "every_page" (articles' FAQ sections too, less the questions a live
    # FAQ page already marks up).
    "FAQ_MARKUP": "faq_pages",
    # The Open Graph image and JSON-LD ``image`` of a page: its hero in this Wagtail filter
    # spec (1200x630 is the 1.91:1 size Open Graph readers show; the crop keeps the focal
    # point). Made with the image's other renditions, before anyone asks.
    "SOCIAL_IMAGE_SPEC": "fill-1200x630",
    # Deprecated (kratom_pages.W009): a key of RENDITIONS whose spec is used instead.
    "SOCIAL_IMAGE_RENDITION": None,
    # Reader replies.
    "REPLY_MAX_LENGTH": 5000,  # characters in a reply body
    "REPLY_RATE_LIMIT": "5/10m",  # replies per client IP hash: N/<seconds>s, m or h
    "REPLY_NOTIFY_EMAILS": [],  # who hears about new pending replies; empty = nobody
    "REPLY_RETENTION_DAYS": 30,  # rejected and spam replies are purged after this
    "REPLIES_PAGE_SIZE": 20,  # approved replies per page in listings
    # May users other than superusers delete replies in the moderation queue? Off by
    # default: moderators approve, reject or mark as spam, and spam is purged on schedule.
    "REPLY_MODERATORS_CAN_DELETE": False,
    # Evidence and review.
    "REVIEW_INTERVAL_DAYS": 365,  # a page is overdue for medical review after this
    # Medical review workflow: may the author of a revision approve its review? Only for
    # teams too small to keep the two apart.
    "REVIEW_ALLOW_SELF_APPROVAL": False,
    # Email the editor who submitted a page when its medical review is requested,
    # approved or rejected (reviewers hear of requests through Wagtail's own emails).
    "REVIEW_NOTIFY_EDITORS": False,
    # Refuse to publish an article with no disclaimer or an unsourced numbered claim.
    "PUBLISH_CHECKS": False,
    # Headless preview: how long a preview token stays valid, in seconds.
    "PREVIEW_TOKEN_MAX_AGE": 3600,
    # Publish webhooks configured in code, besides those added in the admin:
    # [{"url": ..., "secret": ..., "page_types": ["kratom_pages.ArticlePage"], "active": True}]
    "WEBHOOKS": [],
    "WEBHOOK_TIMEOUT": 5,  # seconds per attempt
    "WEBHOOK_MAX_ATTEMPTS": 4,
    "WEBHOOK_BACKOFF": 2.0,  # seconds before the 2nd attempt; doubles each time
    # Deprecated: the pre-Standard-Webhooks signature header, still sent for one release;
    # None stops sending it now.
    "WEBHOOK_SIGNATURE_HEADER": "X-Kratom-Signature",
    # Webhook URLs must be https unless DEBUG is on or this is True.
    "WEBHOOK_ALLOW_HTTP": False,
    # Host names, IP addresses or networks ("10.1.2.0/24") webhooks may reach although they
    # are not public internet addresses (an internal revalidation service, say).
    "WEBHOOK_ALLOWED_HOSTS": [],
    # Cached API detail responses.
    "API_CACHE": "default",  # alias in CACHES
    "API_CACHE_TIMEOUT": 3600,  # seconds
    # Whether API_CACHE is seen alike by every process and host. None: decided from the
    # backend (Redis, Memcached and the database cache are; local memory and files are
    # not). Caching with a cache that is not shared is refused outside DEBUG.
    "API_CACHE_SHARED": None,
    # With Redis as API_CACHE, each process also keeps the entries it serves, told of every
    # change by Redis itself (kratom_pages.publishing.local_tier), so a hit costs no round
    # trip. Local versions are re-read after API_CACHE_LOCAL_SECONDS whatever happens, and
    # each process keeps at most API_CACHE_LOCAL_BYTES of responses.
    "API_CACHE_LOCAL": True,
    "API_CACHE_LOCAL_SECONDS": 5,
    # One round trip on the notice connection vouches for the hits of this long after it
    # was sent: a change is seen by reads that begin this long after Redis acknowledged it.
    "API_CACHE_LOCAL_BARRIER_SECONDS": 0.01,
    "API_CACHE_LOCAL_BYTES": 32 * 1024 * 1024,
    # After a failure of API_CACHE (refused, timed out, any error), each process serves
    # uncached for this many seconds before asking it again (a circuit breaker), so a dead
    # cache costs one timeout per process per period, not one per request.
    "API_CACHE_RETRY_SECONDS": 5,
    # How often each process checks the API cache against the database's record of changes
    # (kratom_pages.publishing.outbox), besides right after any failure it saw: a cache that
    # came back from an older snapshot, or a change whose invalidation could not be sent,
    # is caught up before anything in it is served. With a per-process cache (local memory,
    # in DEBUG) every request checks, so another process's change shows at once.
    "API_CACHE_VERIFY_SECONDS": 1,
    # Render changed pages' API detail responses into the cache as a task once a change
    # commits (kratom_pages.publishing.prerender), so readers never meet them cold.
    "API_PRERENDER": True,
    # CDN purges through wagtail.contrib.frontend_cache, when WAGTAILFRONTENDCACHE is set:
    # the API detail paths of a changed page, "{id}" replaced by the page id.
    "CDN_PURGE_PATHS": ["/api/v2/pages/{id}/", "/api/v3/pages/{id}/"],
    # A task worker holds a piece of publishing work (a CDN purge, prerendering, a webhook
    # delivery) for this long; if it dies meanwhile, the work is done again after it.
    "WORK_LEASE_SECONDS": 300,
    # A failed CDN purge is retried until it succeeds, waiting twice as long each time from
    # 2 s up to this many seconds.
    "CDN_RETRY_MAX_SECONDS": 300,
    # Cache-Control directives on detail responses ({} to send none).
    "API_CACHE_CONTROL": {"public": True, "max_age": 60},
    # Longest ``?search=`` the API accepts, in characters; longer answers 400 (the search
    # backends parse a query recursively, and nobody types 200 characters into a search box).
    "API_MAX_SEARCH_LENGTH": 200,
    # WordPress import (kratom_pages.importers). Exports uploaded in the admin hold
    # commenters' emails and IP addresses: a STORAGES alias to keep them in, or None for a
    # private temporary directory (never the public media storage). They are deleted once
    # imported.
    "WORDPRESS_IMPORT_STORAGE": None,
    "WORDPRESS_IMPORT_MAX_UPLOAD_MB": 100,  # largest export the admin accepts
    "WORDPRESS_IMPORT_MAX_MEDIA_MB": 1024,  # largest uploads zip, once unpacked
    # Sitemaps and feeds (kratom_pages.syndication). URLs per sitemap file: past this, the
    # sitemap is an index of files of this size (the protocol allows 50,000; search
    # engines fetch smaller files sooner, and 10,000 keeps each well under 50 MB).
    "SITEMAP_PAGE_SIZE": 10000,
    "FEED_ITEMS": 20,  # entries in each Atom and RSS feed, newest first
    # What a feed entry carries besides its summary (the lede): "summary" for nothing
    # more, "full" for the sanitised body too.
    "FEED_CONTENT": "summary",
}


def get(name: str) -> Any:
    """Return the project's value for ``name``, falling back to our default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown kratom-pages setting: {name!r}")
    user_settings = getattr(settings, "KRATOM_PAGES", None) or {}
    return user_settings.get(name, DEFAULTS[name])
