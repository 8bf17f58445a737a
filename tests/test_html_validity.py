"""The Nu HTML Checker's and axe-core's findings of #15 on server-rendered pages, checked
with the test client (the validators themselves run in the browser e2e run)."""

import datetime
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone

from kratom_pages.models import ReaderReply
from tests.factories import ArticlePageFactory, ReaderReplyFactory, SourceFactory, numbered_block

CSS = Path(__file__).resolve().parents[1] / "kratom_pages/static/kratom_pages/css/kratom-pages.css"
# What HTML accepts in <time datetime> that we write: a date, or a date and time to the
# second with an offset (Django's "c" format adds microseconds, which the checker rejects).
TIME_VALUE = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z))?$")


class _Elements(HTMLParser):
    """Every start tag's attributes, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> list[str]:
        return [attrs["id"] for _tag, attrs in self.tags if attrs.get("id")]


def _elements(client, url) -> _Elements:
    response = client.get(url)
    assert response.status_code == 200
    return _Elements(response.content.decode())


@pytest.fixture
def demo_like_article(index_page):
    """An article like the demo's: sources cited again across blocks, every callout."""
    first, second = SourceFactory(), SourceFactory()
    body = [
        {
            "type": "callout",
            "value": {"variant": "disclaimer", "title": "Not advice", "body": "<p>d</p>"},
        },
        {
            "type": "callout",
            "value": {"variant": "warning", "title": "Careful", "body": "<p>w</p>"},
        },
        {"type": "callout", "value": {"variant": "info", "title": "Note", "body": "<p>i</p>"}},
        numbered_block("Pain", "Sleep", sources=[first, second]),
        {"type": "cited_paragraph", "value": {"text": "<p>Again.</p>", "citations": [first.pk]}},
        numbered_block("Mood", heading="More", sources=[second]),
    ]
    page = ArticlePageFactory.build(slug="demo-like", body=body)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    reply = ReaderReplyFactory(page=page, status=ReaderReply.Status.APPROVED)
    # A stored time with microseconds, as every real reply has.
    created = timezone.now().replace(microsecond=123456)
    ReaderReply.objects.filter(pk=reply.pk).update(created_at=created)
    return page


@pytest.mark.django_db
def test_ids_are_unique_on_a_page_citing_sources_in_several_blocks(client, demo_like_article):
    ids = _elements(client, demo_like_article.url).ids()
    cite_ids = [i for i in ids if i.startswith("cite-")]
    assert len(cite_ids) == 6  # 2 + 2 + 1 + 1 markers
    assert [i for i, n in Counter(ids).items() if n > 1] == []


@pytest.mark.django_db
def test_guideline_anchors_are_unique_and_are_the_json_ld_item_urls(client, guideline_page):
    elements = _elements(client, guideline_page.url)
    ids = elements.ids()
    assert [i for i in ids if i.startswith("guideline-")] == ["guideline-1", "guideline-2"]
    api = client.get(f"/api/v2/pages/{guideline_page.pk}/").json()["structured_data"]
    [item_list] = [n for n in api["@graph"] if n["@type"] == "ItemList"]
    fragments = [i["url"].split("#")[1] for i in item_list["itemListElement"]]
    assert fragments == ["guideline-1", "guideline-2"]


@pytest.mark.django_db
def test_time_values_are_dates_or_seconds_with_an_offset(client, demo_like_article):
    times = [
        a["datetime"] for tag, a in _elements(client, demo_like_article.url).tags if tag == "time"
    ]
    assert len(times) >= 2  # the byline and the reply
    assert [t for t in times if not TIME_VALUE.match(t)] == []


@pytest.mark.django_db
def test_static_callouts_are_notes_not_alerts(client, demo_like_article):
    tags = _elements(client, demo_like_article.url).tags
    asides = [a for tag, a in tags if tag == "aside"]
    assert len(asides) == 3
    assert {a.get("role") for a in asides} == {"note"}
    assert [a for _tag, a in tags if a.get("role") == "alert"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("with_errors", [False, True])
def test_reply_form_describes_fields_only_with_ids_that_are_rendered(
    client, demo_like_article, with_errors
):
    if with_errors:
        data = {"kratom_reply": "1", "display_name": "", "email": "bad", "body": ""}
        html = client.post(demo_like_article.url, data).content.decode()
        elements = _Elements(html)
    else:
        elements = _elements(client, demo_like_article.url)
    ids = set(elements.ids())
    described = [
        token
        for _tag, attrs in elements.tags
        for token in (attrs.get("aria-describedby") or "").split()
    ]
    assert described  # the email and reply fields have help text
    assert [token for token in described if token not in ids] == []


@pytest.mark.django_db
def test_forms_use_novalidate_as_a_boolean_attribute(client, demo_like_article):
    forms = [a for tag, a in _elements(client, demo_like_article.url).tags if tag == "form"]
    assert forms and all(a.get("novalidate", "") in ("", None) for a in forms)


def _rule(css: str, selector: str) -> dict[str, str]:
    [body] = re.findall(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    pairs = (part.split(":", 1) for part in body.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def test_citation_markers_are_at_least_24px_targets():
    rule = _rule(CSS.read_text(), ".kp-cite a")
    assert rule["display"] == "inline-block"
    for size in ("min-width", "min-height"):
        assert int(rule[size].removesuffix("px")) >= 24, size


def test_the_date_format_would_have_failed_before():
    # Django's "c" format, which the templates used: microseconds the checker rejects.
    from django.utils.dateformat import format as date_format

    value = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)
    assert not TIME_VALUE.match(date_format(value, "c"))
