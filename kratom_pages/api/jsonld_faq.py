"""FAQ questions as schema.org ``FAQPage`` JSON-LD, marked up once per site.

Google asks that an FAQ repeated across a site be marked up once, and shows FAQ results
only for the page it judges the home of the questions. So by default (``FAQ_MARKUP``
"faq_pages") only FAQ pages carry ``FAQPage`` markup; an article's FAQ section is shown to
readers but not marked up, since it usually repeats questions the site's FAQ page answers.
With "every_page", articles mark up their FAQ sections too, less the questions a live FAQ
page of the same site already marks up.
"""

import re
from typing import Any

from kratom_pages import conf, prefetch
from kratom_pages.absolute_urls import page_url


def question_key(text: str) -> str:
    """A question as compared for repeats: case, spacing and end punctuation ignored."""
    return re.sub(r"[\s?!.:]+$", "", " ".join((text or "").split()).casefold())


def faq_node(page, request, faq_values: list, is_page: bool, skip=frozenset()):
    """The ``FAQPage`` properties of ``faq_values`` (less questions whose key is in
    ``skip``), or None when no question is left: Google rejects an ``FAQPage`` without
    ``mainEntity``."""
    items = [
        item
        for value in faq_values
        for item in value["items"]
        if question_key(item["question"]) not in skip
    ]
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
        url = page_url(page, request)
        node["@id"] = f"{url}#faq" if url else None
        locale = getattr(page, "locale", None)
        node["inLanguage"] = locale.language_code if locale else None
    return {key: value for key, value in node.items() if value is not None}


def article_faq_node(page, request, faq_values: list):
    """An article's FAQ section as JSON-LD, by ``FAQ_MARKUP``: none by default."""
    if not faq_values or conf.get("FAQ_MARKUP") != "every_page":
        return None
    return faq_node(page, request, faq_values, is_page=False, skip=faq_page_questions(page))


def faq_page_questions(page) -> set[str]:
    """Keys of the questions live FAQ pages of ``page``'s site mark up (one query)."""
    from kratom_pages.models import FAQPage

    site = page.get_site()
    pages = FAQPage.objects.live().exclude(pk=page.pk)
    if site is not None:
        pages = pages.filter(path__startswith=site.root_page.path)
    keys = set()
    for body in pages.values_list("body", flat=True):
        for block in _raw(body):
            if block.get("type") == "faq":
                keys |= {question_key(i.get("value", i).get("question", "")) for i in _items(block)}
    return keys


def repeated_questions(page) -> list[str]:
    """Questions of ``page``'s FAQ sections that a live FAQ page of its site already
    answers (and marks up): an editor who copied an FAQ is told at publish time."""
    if page.specific_class.__name__ == "FAQPage":
        return []
    marked_up = faq_page_questions(page)
    return [
        item["question"]
        for child in (page.body or [])
        if child.block_type == "faq"
        for item in child.value["items"]
        if question_key(item["question"]) in marked_up
    ]


def _raw(body) -> list:
    """A stored body as raw blocks, without converting its values (no image loads)."""
    import json

    if isinstance(body, str):
        return json.loads(body)
    return list(getattr(body, "raw_data", None) or body or [])


def _items(block) -> list:
    items = (block.get("value") or {}).get("items") or []
    return [item for item in items if isinstance(item, dict)]
