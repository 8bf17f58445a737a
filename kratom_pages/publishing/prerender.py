"""Representations built at publish time, so the first reader after a change finds them warm.

Once a change has committed, the API detail responses of the pages it affects (every path
in ``CDN_PURGE_PATHS`` on every site, the same URLs the CDN purges) and their listing items
(in each item variant listings asked for lately: ``listing_items.item_variant_urls``) are rendered
into the API cache by the task worker, as work its change record owes
(``publishing.followups``), so a worker that dies midway is replaced.

Each URL is rendered by sending a request through the project's own handler and
middleware, exactly as a reader's would be: the stored entry is the one a reader's miss
would have stored, under the same key, and rendering twice only stores it twice.
"""

import contextvars
import io
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Page

from kratom_pages import conf
from kratom_pages.publishing import cache, cdn, listing_items

logger = logging.getLogger(__name__)

_handler: BaseHandler | None = None
# Pages rendered inside the editor's request at most (immediate task backend), and pages
# per batch.
IN_PROCESS_LIMIT = 20
BATCH = 100
# WSGI environ key (no client can set one: headers arrive as HTTP_*) that has a listing
# store its items and not itself.
ITEMS_ONLY = "kratom_pages.items_only"


def _get_handler() -> BaseHandler:
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


def environ_for(url: str) -> dict:
    """A WSGI environ for an anonymous JSON GET of ``url``."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    default_port = port == (443 if secure else 80)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(port),
        "HTTP_HOST": parts.hostname if default_port else f"{parts.hostname}:{port}",
        "HTTP_ACCEPT": "application/json",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "REMOTE_ADDR": "127.0.0.1",
    }


def render_url(url: str, *, items_only: bool = False) -> int:
    """Serve ``url`` once through the project's handler (a miss stores the entry); the
    response status, for the caller's report.

    Runs inside whatever called it (with the immediate task backend, the editor's publish
    request): it renders as a reader's request would (the site's default language and
    time zone, not the editor's), restores the caller's language, time zone and URLconf,
    and does not close the response, which would send ``request_finished`` and close
    database connections."""
    urlconf = get_urlconf()
    try:
        with translation.override(settings.LANGUAGE_CODE), timezone.override(None):
            environ = environ_for(url)
            if items_only:
                environ[ITEMS_ONLY] = True
            request = WSGIRequest(environ)
            # A fresh context: the caller's remembered visibility answers and bulk-loaded
            # objects must not leak into the reader's rendering.
            response = contextvars.Context().run(_get_handler().get_response, request)
    finally:
        set_urlconf(urlconf)
    if response.status_code != 200:
        logger.info("Prerendering %s answered %s", url, response.status_code)
    return response.status_code


@task()
def render_representations(page_ids: list[int], items_of: int | None = None) -> dict[str, int]:
    """Render the API detail responses of ``page_ids`` into the API cache, and their
    listing items in every item variant listings asked for lately (of the first
    ``items_of`` pages only, when given)."""
    item_pages = page_ids if items_of is None else page_ids[:items_of]
    urls = [(url, False) for url in cdn.api_urls(page_ids)]
    urls += [(url, True) for url in listing_items.item_variant_urls(item_pages)]
    statuses = {}
    for url, items_only in urls:
        try:
            statuses[url] = render_url(url, items_only=items_only)
        except Exception:  # noqa: BLE001 - a reader will render it instead
            logger.warning("Could not prerender %s", url, exc_info=True)
    return statuses


def render_changed(page_ids: list[int], changed: int | None, *, in_request: bool) -> None:
    """Render what a committed change affects, the changed page first; deleted and
    unpublished pages have nothing to render (readers get a 404). Inside the editor's
    request (``in_request``: the immediate task backend) only the first few pages, and the
    listing items of the changed page only; a worker renders them all."""
    if not conf.get("API_PRERENDER") or not cache.enabled() or not page_ids:
        return
    first = [changed] if changed in page_ids else []
    ordered = first + sorted(set(page_ids) - set(first))
    # The tree's root (depth 1) is no site's page: the API answers 404 for it.
    served = Page.objects.filter(pk__in=ordered, live=True, depth__gt=1)
    live = set(served.values_list("pk", flat=True))
    ordered = [pk for pk in ordered if pk in live]
    items_of = None
    if in_request:
        ordered, items_of = ordered[:IN_PROCESS_LIMIT], 1
    for start in range(0, len(ordered), BATCH):
        render_representations.call(ordered[start : start + BATCH], items_of)
