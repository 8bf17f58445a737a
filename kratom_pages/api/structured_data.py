"""schema.org JSON-LD for our pages, shared by the API and the templates.

``structured_data_for(page, request)`` returns one JSON-serialisable ``@graph``. Pages say
which shape they need through ``structured_data_kind`` ("article", "guidelines", "faq",
"collection"), so this module never imports the models. Every page also gets a
``BreadcrumbList`` of its ancestors from the site root down.
"""

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from kratom_pages import conf, prefetch
from kratom_pages.absolute_urls import page_url
from kratom_pages.api.jsonld_citations import (  # noqa: F401 - citation_authors is public
    citation_authors,
    citation_node,
    compact,
)
from kratom_pages.api.jsonld_faq import article_faq_node, faq_node
from kratom_pages.representations import social_image_representation

SCHEMA_CONTEXT = "https://schema.org"


def plain_text(html: str) -> str:
    """Rich text as one line of plain text, for descriptions."""
    return " ".join(strip_tags(html or "").split())


def iso_datetime(value: date | datetime | None) -> str | None:
    """ISO 8601 to the second with the UTC offset, in the site's time zone; a bare date
    is read as midnight there. Google asks for a time zone on article dates."""
    if not value:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).isoformat(timespec="seconds")


def _date_published(page) -> str | None:
    # The editor's date when it differs from the day the page first went live (a date
    # alone); else the moment it went live, which is more precise.
    first = page.first_published_at
    chosen = getattr(page, "published_date", None)
    if chosen and not (first and timezone.localtime(first).date() == chosen):
        return iso_datetime(chosen)
    return iso_datetime(first)


def publisher_name() -> str:
    return conf.get("PUBLISHER_NAME") or getattr(settings, "WAGTAIL_SITE_NAME", "") or ""


def social_image_rendition(page, context: dict | None = None) -> dict | None:
    """``{url, width, height}`` of the page's Open Graph image (absolute), or None: its
    hero's social rendition (a focal-point crop), else its fallback."""
    return social_image_representation(getattr(page, "hero_image", None), context=context)


def social_image_url(page, request=None) -> str | None:
    rendition = social_image_rendition(page, {"request": request} if request else None)
    return rendition["url"] if rendition else None


def _language(page) -> str | None:
    locale = getattr(page, "locale", None)
    return locale.language_code if locale else None


def _ancestors(page, request) -> list:
    """The page's ancestors, root first; loaded once per parent and request, so a listing
    of siblings costs one query however many pages it holds."""
    parent_path = page.path[: -page.steplen]
    memo = getattr(getattr(request, "_request", request), "_kratom_ancestors", None)
    if memo is None:
        memo = {}
        if request is not None:
            getattr(request, "_request", request)._kratom_ancestors = memo
    if parent_path not in memo:
        ancestors = page.get_ancestors().select_related("locale") if parent_path else []
        memo[parent_path] = list(ancestors)
    return memo[parent_path]


def share_ancestors(page, request) -> None:
    """Read the page's ancestors (for its breadcrumbs) now, and give the page its parent
    and locale from them: Wagtail's ``parent`` field (treebeard's ``get_parent``, which
    keeps its answer on the page) and ``meta.locale`` then ask no query of their own."""
    ancestors = _ancestors(page, request)
    if not ancestors:
        return
    page._cached_parent_obj = ancestors[-1]
    locale = page._meta.get_field("locale")
    if not locale.is_cached(page):
        for ancestor in reversed(ancestors):
            if ancestor.locale_id == page.locale_id:
                locale.set_cached_value(page, ancestor.locale)
                break


def _breadcrumb_trail(page, request) -> list[tuple[str, str]]:
    """``[(title, url)]`` from the site root to ``page``; ancestors above the site root
    have no URL on this site and are left out."""
    trail = []
    for ancestor in [*_ancestors(page, request), page]:
        url = page_url(ancestor, request)
        if url:
            trail.append((ancestor.title, url))
    return trail


def _breadcrumb_node(trail: list[tuple[str, str]], url: str | None) -> dict[str, Any]:
    return compact(
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb" if url else None,
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": title, "item": item}
                for position, (title, item) in enumerate(trail, start=1)
            ],
        }
    )


def _publisher(trail: list[tuple[str, str]]) -> dict[str, Any]:
    home = trail[0][1] if trail else None
    return compact({"@type": "Organization", "name": publisher_name(), "url": home})


def _author(page, publisher: dict[str, Any]) -> dict[str, Any]:
    """The byline as a ``Person`` or, when the editor says so, an ``Organization``."""
    name = getattr(page, "author_name", "")
    if not name:
        return publisher
    kind = getattr(page, "author_type", "person")
    node = {"@type": "Organization" if kind == "organization" else "Person", "name": name}
    return compact({**node, "url": getattr(page, "author_url", "")})


def _web_page_node(page, request, types: list[str], trail: list) -> dict[str, Any]:
    url = page_url(page, request)
    node: dict[str, Any] = {
        "@type": types if len(types) > 1 else types[0],
        "@id": f"{url}#page" if url else None,
        "url": url,
        "name": page.title,
        "headline": page.title[:110],
        "description": page.search_description or plain_text(getattr(page, "intro", "")),
        "inLanguage": _language(page),
        "datePublished": _date_published(page),
        "dateModified": iso_datetime(page.last_published_at or page.latest_revision_created_at),
        "publisher": _publisher(trail),
        "breadcrumb": {"@id": f"{url}#breadcrumb"} if url and trail else None,
    }
    node["author"] = _author(page, node["publisher"])
    image_url = social_image_url(page, request)
    if image_url:
        node["image"] = [image_url]
    node.update(_review_properties(page))
    return compact(node)


def _reviewed(page) -> tuple[Any, Any]:
    from kratom_pages.evidence.review import claimed_review

    return claimed_review(page)


def _review_properties(page) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    reviewed_on, reviewer = _reviewed(page)
    if reviewed_on:
        properties["lastReviewed"] = reviewed_on.isoformat()
    if reviewer is not None:
        properties["reviewedBy"] = {
            "@type": "Person",
            "name": reviewer.name,
            "jobTitle": reviewer.credentials,
            **({"url": reviewer.profile_url} if reviewer.profile_url else {}),
        }
    if getattr(page, "body", None):
        properties["citation"] = [
            citation_node(source) for _number, source in prefetch.sources_cited_in(page.body)
        ]
    return properties


def _stream_values(page, block_type: str) -> list:
    """Values of one block type, read without converting the stream's other blocks (which
    would load their images before the API's bulk prefetch gets to them)."""
    stream = getattr(page, "body", None)
    if not stream:
        return []
    indexes = [i for i, raw in enumerate(stream.raw_data) if raw.get("type") == block_type]
    return [stream[i].value for i in indexes]


def _guidelines_node(page, request, guideline_values: list) -> dict[str, Any]:
    items = [item for value in guideline_values for item in value["items"]]
    url = page_url(page, request)
    return {
        "@type": "ItemList",
        "name": page.title,
        "numberOfItems": len(items),
        "itemListElement": [
            compact(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": item["label"],
                    # The templates give each guideline this anchor (guideline_anchor).
                    "url": f"{url}#guideline-{position}" if url else None,
                    "description": plain_text(
                        item["explanation"].source if item["explanation"] else ""
                    ),
                }
            )
            for position, item in enumerate(items, start=1)
        ],
    }


def lists_children(page_or_model) -> bool:
    """Whether a page's representation lists its visible children (a section front): it then
    changes when one of them reaches its scheduled expiry, which no signal announces."""
    return getattr(page_or_model, "structured_data_kind", None) == "collection"


def _collection_nodes(page, request, trail: list, children_page) -> list[dict[str, Any]]:
    """A section front: a ``CollectionPage`` whose main entity lists the pages it shows."""
    node = _web_page_node(page, request, ["CollectionPage"], trail)
    children = list(page.listed_children(request, number=children_page))
    node["mainEntity"] = {
        "@type": "ItemList",
        "numberOfItems": len(children),
        "itemListElement": [
            compact(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": child.title,
                    "url": page_url(child, request),
                }
            )
            for position, child in enumerate(children, start=1)
        ],
    }
    return [node]


def structured_data_for(page, request=None, *, children_page=None) -> dict[str, Any]:
    """The JSON-LD ``@graph`` describing ``page``; a section front lists the page of its
    children ``children_page`` names (default: the one the request's ``?page=`` shows)."""
    kind = getattr(page, "structured_data_kind", "article")
    trail = _breadcrumb_trail(page, request)
    graph: list[dict[str, Any]] = []
    if kind == "collection":
        graph.extend(_collection_nodes(page, request, trail, children_page))
    elif kind == "faq":
        node = faq_node(page, request, _stream_values(page, "faq"), is_page=True)
        # No questions yet: a plain WebPage, never an FAQPage with an empty mainEntity.
        graph.append({**_web_page_node(page, request, ["WebPage"], trail), **(node or {})})
    elif kind == "guidelines":
        graph.append(_web_page_node(page, request, ["MedicalWebPage"], trail))
        graph.append(_guidelines_node(page, request, _stream_values(page, "guidelines")))
    else:
        graph.append(_web_page_node(page, request, ["Article", "MedicalWebPage"], trail))
        # Marked up once per site (jsonld_faq): on the FAQ pages, by default.
        faq = article_faq_node(page, request, _stream_values(page, "faq"))
        if faq:
            graph.append(faq)
    if trail:
        graph.append(_breadcrumb_node(trail, page_url(page, request)))
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}
