"""A feed entry's HTML: the body as the page shows it, then sanitised by the app's one
sanitiser (``rich_text.sanitise``), with every link made absolute, since a feed reader
shows it away from the site.

Relative addresses follow the one base-URL rule: media and static files the API's base
(``absolute_urls.absolute_url``), other paths the site's root URL (a headless site's
frontend), and ``#fragments`` (citation markers) the entry's own page.
"""

import re
from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string
from wagtail.models import Site

from kratom_pages import prefetch, rich_text
from kratom_pages.absolute_urls import absolute_url, page_url

_RELATIVE = re.compile(r'(?P<attr>\b(?:href|src)=")(?P<url>(?:/(?!/)|#)[^"]*)"')


def absolute_links(html: str, request, page=None) -> str:
    """``html`` with relative ``href``/``src`` values made absolute (see the module)."""
    if not html or ('="/' not in html and '="#' not in html):
        return html
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    site_root = site.root_url if site else ""
    assets = tuple(prefix for prefix in (settings.MEDIA_URL, settings.STATIC_URL) if prefix)
    own = (page_url(page, request) or "") if page is not None else ""

    def replace(match: re.Match) -> str:
        url = match.group("url")
        if url.startswith("#"):
            url = own + url if own else url
        elif assets and url.startswith(assets):
            url = absolute_url(url, request)
        else:
            url = site_root + url
        return f'{match.group("attr")}{url}"'

    return _RELATIVE.sub(replace, html)


def render_bodies(pages: list, objects: prefetch.PrefetchedObjects, request) -> dict[int, str]:
    """Each page's full content by page id: its disclaimer, body and references rendered
    with ``objects`` (bulk-loaded by the caller), sanitised, links made absolute."""
    rendered = {}
    with prefetch.activate(objects):
        for page in pages:
            with prefetch.for_stream(page.body):  # numbers this page's citations
                html = _render_body(page, request)
            clean = rich_text.sanitise(html).strip()  # <pre> keeps its spaces
            rendered[page.pk] = absolute_links(clean, request, page)
    return rendered


def _render_body(page, request) -> str:
    cited = prefetch.sources_cited_in(page.body)
    return render_to_string(
        "kratom_pages/syndication/entry_content.html",
        {
            "page": page,
            "request": request,
            "disclaimer": page.disclaimer_beside_body(request),
            "cited_sources": cited,
            "citation_numbers": {source.pk: number for number, source in cited},
            "element_ids": Counter(),
        },
    )
