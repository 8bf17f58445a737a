"""The one base-URL rule: every absolute URL kratom-pages emits starts the same way.

- **A page's URL** (API ``meta.html_url``, ``seo.canonical_url``, JSON-LD, Open Graph,
  webhook payloads, CDN purges): the root URL of the page's own Wagtail ``Site``
  (``page.get_full_url``). A headless site gives its Site the frontend's hostname, and
  every page URL then points at the frontend.
- **An API or media URL** (an image rendition, an API self link): Wagtail's own rule for
  its APIs, so ours agree with core's ``meta.detail_url`` in v2 and v3:
  ``WAGTAILAPI_BASE_URL`` when set, else the root URL of the site answering the request,
  else the default site's.

Never ``WAGTAILADMIN_BASE_URL``: that is where editors work, not where readers read, and
a ``wagtail start`` project leaves it at ``http://example.com``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.api.utils import get_base_url
from wagtail.models import Site

# The request being answered, for serializers that are not given it (API v3 resolves our
# fields without one).
_serving: ContextVar = ContextVar("kratom_serving_request", default=None)


@contextmanager
def serving(request) -> Iterator[None]:
    token = _serving.set(request)
    try:
        yield
    finally:
        _serving.reset(token)


def base_url(request=None) -> str:
    """Scheme and host for API and media URLs ("" when no site is configured)."""
    found = get_base_url(request or _serving.get())
    if found:
        return found
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def absolute_url(path: str, request=None) -> str:
    """``path`` (an API path, a media URL) made absolute by the rule above."""
    if path.startswith(("http://", "https://", "//")):
        return path  # already absolute: media on a CDN, say
    return base_url(request) + path


def url_maker(request=None) -> Callable[[str], str]:
    """``absolute_url`` for many paths of one request: its base is worked out once."""
    base = None

    def make(path: str) -> str:
        nonlocal base
        if path.startswith(("http://", "https://", "//")):
            return path
        if base is None:
            base = base_url(request)
        return base + path

    return make


def page_url(page, request=None) -> str | None:
    """The page's absolute URL on its own site (None when it has no route)."""
    return page.get_full_url(request)
