"""CDN purges of API responses through Wagtail's ``wagtail.contrib.frontend_cache``.

When ``publishing.invalidation`` reports pages changed and the transaction has committed,
the API detail URLs of those pages (``CDN_PURGE_PATHS``, on every configured site) are
purged from each backend in ``WAGTAILFRONTENDCACHE`` (Cloudflare, CloudFront, Varnish or
any HTTP PURGE cache). Wagtail sends the purges as a task, so a slow CDN never holds up a
publish. Variants with query strings (``?fields=...``) are the CDN's to ban by prefix;
the README's Varnish configuration shows how.
"""

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings

from kratom_pages import conf


def is_configured() -> bool:
    return apps.is_installed("wagtail.contrib.frontend_cache") and bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
    )


def api_urls(page_ids: Iterable[int]) -> list[str]:
    """Absolute API detail URLs of ``page_ids`` on every site."""
    from wagtail.models import Site

    roots = sorted({site.root_url for site in Site.objects.all()})
    paths = conf.get("CDN_PURGE_PATHS")
    return [
        root + path.replace("{id}", str(page_id))
        for page_id in sorted(page_ids)
        for root in roots
        for path in paths
    ]


def on_pages_changed(sender, change, committed, **kwargs) -> None:
    """Subscriber of ``publishing.invalidation.pages_changed``: purge once committed, so
    the CDN cannot refetch what the transaction is about to replace."""
    if not committed or not is_configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Page

    page_ids = change.page_ids
    if change.everything:
        page_ids = Page.objects.filter(depth__gt=1).values_list("pk", flat=True)
    purge_urls_from_cache(api_urls(page_ids))
