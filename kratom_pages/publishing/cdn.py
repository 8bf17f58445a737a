"""CDN purges of API responses through Wagtail's ``wagtail.contrib.frontend_cache``.

When a change commits, its record owes a purge of the API detail URLs of the pages it
affects (``CDN_PURGE_PATHS``, on every configured site) from each backend in
``WAGTAILFRONTENDCACHE`` (Cloudflare, CloudFront, Varnish or any HTTP PURGE cache). The
task worker sends it (``publishing.followups``), so a slow CDN never holds up a publish,
and retries it until the CDN takes it. Variants with query strings (``?fields=...``) are
the CDN's to ban by prefix; the README's Varnish configuration shows how.
"""

import logging
import socket
from collections.abc import Iterable
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings

from kratom_pages import conf

PURGE_TIMEOUT = 10  # seconds per purge request


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


def purge(page_ids: Iterable[int] | None) -> str:
    """Purge the API detail URLs of ``page_ids`` (of every page: None) from every CDN
    backend; "" when each took them, else a short error. Wagtail's backends log their
    failures rather than raise, so those log records are how a failure is known."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
    from wagtail.models import Page

    if page_ids is None:
        page_ids = Page.objects.filter(depth__gt=1).values_list("pk", flat=True)
    urls = api_urls(page_ids)
    if not urls:
        return ""
    with _failures_logged() as failures, _socket_timeout(PURGE_TIMEOUT):
        try:
            purge_urls_from_cache_task.call(urls)
        except Exception as exc:  # noqa: BLE001 - a CDN client error: retried later
            failures.append(type(exc).__name__)
    return failures[0][:200] if failures else ""


class _Failures(logging.Handler):
    def __init__(self, failures: list[str]):
        super().__init__(level=logging.ERROR)
        self.failures = failures

    def emit(self, record: logging.LogRecord) -> None:
        self.failures.append(record.getMessage())


@contextmanager
def _failures_logged():
    failures: list[str] = []
    handler = _Failures(failures)
    logger = logging.getLogger("wagtail.frontendcache")
    logger.addHandler(handler)
    try:
        yield failures
    finally:
        logger.removeHandler(handler)


@contextmanager
def _socket_timeout(seconds: float):
    """Wagtail's HTTP backend opens its PURGE requests with no timeout: a CDN that accepts
    and never answers would hold the worker (this runs in the worker, or once in a request
    with the immediate backend)."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)
