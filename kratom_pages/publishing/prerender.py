"""Representations built at publish time: a subscriber of ``invalidation.pages_changed``.

Once a change has committed, the API detail responses of the pages it affects (every path
in ``CDN_PURGE_PATHS`` on every site, the same URLs the CDN purges) are rendered into the
API cache by a django-tasks task, so the first reader after a publish finds them warm.

Each URL is rendered by sending a request through the project's own handler and
middleware, exactly as a reader's would be: the stored entry is the one a reader's miss
would have stored, under the same key, and rendering twice only stores it twice.
"""

import io
import logging
from urllib.parse import urlsplit

from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation
from django_tasks import task

from kratom_pages import conf
from kratom_pages.publishing import cache, cdn

logger = logging.getLogger(__name__)

_handler: BaseHandler | None = None


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


def render_url(url: str) -> int:
    """Serve ``url`` once through the project's handler (a miss stores the entry); the
    response status, for the caller's report.

    Runs inside whatever called it (with the immediate task backend, the editor's publish
    request), so it leaves that request's language active and does not close the response:
    closing sends ``request_finished``, which closes database connections."""
    with translation.override(translation.get_language()):
        response = _get_handler().get_response(WSGIRequest(environ_for(url)))
    return response.status_code


@task()
def render_representations(page_ids: list[int]) -> dict[str, int]:
    """Render the API detail responses of ``page_ids`` into the API cache."""
    statuses = {}
    for url in cdn.api_urls(page_ids):
        try:
            statuses[url] = render_url(url)
        except Exception:  # noqa: BLE001 - a reader will render it instead
            logger.warning("Could not prerender %s", url, exc_info=True)
    return statuses


def on_pages_changed(sender, change, committed, **kwargs) -> None:
    """Subscriber of ``publishing.invalidation.pages_changed``: once committed, so that the
    task reads what the change wrote."""
    if not committed or change.everything or not change.page_ids:
        return
    if not conf.get("API_PRERENDER") or not cache.enabled():
        return
    try:
        render_representations.enqueue(sorted(change.page_ids))
    except Exception:  # noqa: BLE001 - prerendering is an optimisation; never fail a publish
        logger.warning("Could not enqueue prerendering", exc_info=True)
