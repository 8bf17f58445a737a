"""Rich text as readers get it: links only to visible pages, and nothing but safe HTML.

Rich text can reach the database without passing Wagtail's editor (a data migration, a
shell, an import, Wagtail's v3 write API), so what is stored is never trusted on output.
Every rendering of rich text by the app (API v2 and v3 in each ``rich_text_format``,
templates, JSON-LD) goes through this module, which

1. drops the ``href`` of links to pages that are not visible (the link text stays),
2. expands Wagtail's database HTML in one pass for many sources, and
3. sanitises the result against an allow-list with nh3 (a maintained sanitiser with a
   Rust core), once per rendering.
"""

import logging
import re
from collections.abc import Iterable

import nh3
from django.utils.html import strip_tags
from wagtail.api.rich_text import APIRichText
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from kratom_pages.publishing import visibility

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"data-block-key"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Database HTML keeps Wagtail's own link and embed markup for frontends that resolve it;
# images exist there only as <embed embedtype="image">.
_DB_TAGS = (ALLOWED_TAGS - {"img", "figure", "figcaption"}) | {"embed"}
_DB_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "a": {"href", "title", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
_EMBED_TAG = re.compile(r"<embed(\b[^>]*?)\s*/?>")

# Many sources are expanded in one call, joined by a marker no editor can type
# (Draftail strips HTML comments), then split again.
_SPLIT_MARKER = "<!--kratom-pages:split-->"


def sanitise(html: str) -> str:
    """Output HTML reduced to the allow-list: no scripts, styles, event handlers, iframes
    or URLs other than http(s), mailto, tel and relative ones."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )


def _sanitise_db_html(source: str) -> str:
    cleaned = nh3.clean(
        source,
        tags=set(_DB_TAGS),
        attributes={tag: set(names) for tag, names in _DB_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )
    # Wagtail recognises embeds only in their self-closing form.
    return _EMBED_TAG.sub(r"<embed\1/>", cleaned)


def page_link_ids(source: str) -> set[int]:
    ids = set()
    for match in FIND_A_TAG.finditer(source):
        attrs = extract_attrs(match.group(1))
        if attrs.get("linktype") == "page" and str(attrs.get("id", "")).isdigit():
            ids.add(int(attrs["id"]))
    return ids


def _unlink_hidden_pages(source: str, visible: set[int]) -> str:
    def replace(match: re.Match) -> str:
        attrs = extract_attrs(match.group(1))
        if attrs.get("linktype") != "page":
            return match.group(0)
        page_id = str(attrs.get("id", ""))
        return match.group(0) if page_id.isdigit() and int(page_id) in visible else "<a>"

    return FIND_A_TAG.sub(replace, source)


def _without_hidden_links(sources: list[str]) -> list[str]:
    linked = set().union(*(page_link_ids(source) for source in sources))
    if not linked:
        return sources
    visible = visibility.visible_page_ids(linked)
    return [_unlink_hidden_pages(source, visible) for source in sources]


def render_many(sources: Iterable[str]) -> dict[str, str]:
    """Reader HTML for many database-HTML sources: one visibility query, one expansion
    pass, one sanitiser call per source."""
    sources = [source for source in dict.fromkeys(sources) if source]
    if not sources:
        return {}
    prepared = _without_hidden_links(sources)
    expanded = expand_db_html(_SPLIT_MARKER.join(prepared)).split(_SPLIT_MARKER)
    if len(expanded) != len(sources):  # pragma: no cover - a handler ate the marker
        expanded = [expand_db_html(source) for source in prepared]
    return {source: sanitise(html) for source, html in zip(sources, expanded, strict=True)}


def render(source: str) -> str:
    """Reader HTML for one database-HTML source."""
    return render_many([source]).get(source, "") if source else ""


def serialize(source: str, output_format: str) -> str:
    """Rich text in one of Wagtail's API formats, each from cleaned database HTML."""
    if output_format == APIRichText.FORMAT_HTML:
        return render(source)
    if not source:
        return ""
    cleaned = _sanitise_db_html(_without_hidden_links([source])[0])
    try:
        return APIRichText.serialize(cleaned, format=output_format)
    except (AssertionError, ValueError, KeyError):
        # Wagtail's Markdown converter asserts on markup its editor would never write;
        # stored content is not the reader's fault, so fall back to the plain text.
        logger.warning("Rich text could not be converted to %s", output_format, exc_info=True)
        return " ".join(strip_tags(cleaned).split())
