"""schema.org JSON-LD for our pages, shared by the API and the templates.

``structured_data_for(page, request)`` returns one JSON-serialisable ``@graph``. Pages say
which shape they need through ``structured_data_kind`` ("article", "guidelines", "faq"),
so this module never imports the models.
"""

from typing import Any

from django.conf import settings
from django.utils.html import strip_tags

from kratom_pages import conf, prefetch
from kratom_pages.representations import image_representation

SCHEMA_CONTEXT = "https://schema.org"


def plain_text(html: str) -> str:
    """Rich text as one line of plain text, for descriptions."""
    return " ".join(strip_tags(html or "").split())


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def publisher_name() -> str:
    return conf.get("PUBLISHER_NAME") or getattr(settings, "WAGTAIL_SITE_NAME", "") or ""


def social_image_rendition(page, context: dict | None = None) -> dict | None:
    """``{url, width, height}`` of the page's Open Graph image, or None."""
    image = image_representation(getattr(page, "hero_image", None), context=context)
    return image["renditions"].get(conf.get("SOCIAL_IMAGE_RENDITION")) if image else None


def social_image_url(page, request=None) -> str | None:
    rendition = social_image_rendition(page, {"request": request} if request else None)
    return rendition["url"] if rendition else None


def _language(page) -> str | None:
    locale = getattr(page, "locale", None)
    return locale.language_code if locale else None


def _web_page_node(page, request, types: list[str]) -> dict[str, Any]:
    url = page.get_full_url(request)
    node: dict[str, Any] = {
        "@type": types if len(types) > 1 else types[0],
        "@id": f"{url}#page" if url else None,
        "url": url,
        "name": page.title,
        "headline": page.title[:110],
        "description": page.search_description or plain_text(getattr(page, "intro", "")),
        "inLanguage": _language(page),
        "datePublished": _iso(getattr(page, "display_date", None) or page.first_published_at),
        "dateModified": _iso(page.last_published_at or page.latest_revision_created_at),
        "publisher": {"@type": "Organization", "name": publisher_name()},
    }
    author = getattr(page, "author_name", "")
    node["author"] = {"@type": "Person", "name": author} if author else node["publisher"]
    image_url = social_image_url(page, request)
    if image_url:
        node["image"] = [image_url]
    node.update(_review_properties(page))
    return {key: value for key, value in node.items() if value not in (None, "", [])}


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
            {
                "@type": "CreativeWork",
                "name": source.title,
                "author": source.authors,
                **({"datePublished": str(source.year)} if source.year else {}),
                **({"url": source.link} if source.link else {}),
            }
            for _number, source in prefetch.sources_cited_in(page.body)
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


def _faq_node(page, request, faq_values: list, is_page: bool) -> dict[str, Any] | None:
    items = [item for value in faq_values for item in value["items"]]
    if not items:
        return None
    answers = prefetch.expand_rich_text(item["answer"].source for item in items)
    node: dict[str, Any] = {
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": answers.get(item["answer"].source, ""),
                },
            }
            for item in items
        ],
    }
    if not is_page:
        url = page.get_full_url(request)
        node["@id"] = f"{url}#faq" if url else None
        node["inLanguage"] = _language(page)
    return {key: value for key, value in node.items() if value is not None}


def _guidelines_node(page, guideline_values: list) -> dict[str, Any]:
    items = [item for value in guideline_values for item in value["items"]]
    return {
        "@type": "ItemList",
        "name": page.title,
        "numberOfItems": len(items),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": item["label"],
                "description": plain_text(
                    item["explanation"].source if item["explanation"] else ""
                ),
            }
            for position, item in enumerate(items, start=1)
        ],
    }


def structured_data_for(page, request=None) -> dict[str, Any]:
    """The JSON-LD ``@graph`` describing ``page``."""
    kind = getattr(page, "structured_data_kind", "article")
    graph: list[dict[str, Any]] = []
    if kind == "faq":
        node = _faq_node(page, request, _stream_values(page, "faq"), is_page=True) or {
            "@type": "FAQPage",
            "mainEntity": [],
        }
        graph.append({**_web_page_node(page, request, ["WebPage"]), **node})
    elif kind == "guidelines":
        graph.append(_web_page_node(page, request, ["MedicalWebPage"]))
        graph.append(_guidelines_node(page, _stream_values(page, "guidelines")))
    else:
        graph.append(_web_page_node(page, request, ["Article", "MedicalWebPage"]))
        faq = _faq_node(page, request, _stream_values(page, "faq"), is_page=False)
        if faq:
            graph.append(faq)
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}
