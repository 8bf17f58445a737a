"""Server-rendered pages: semantic structure and escaping."""

import re

import pytest


def _get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def _heading_levels(html):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def _assert_headings_in_order(html):
    levels = _heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading jumps from h{previous} to h{current}"


@pytest.mark.django_db
def test_article_renders_sections_as_ordered_list_and_faq_as_details(client, article):
    html = _get(client, article)
    _assert_headings_in_order(html)
    assert '<ol class="kp-numbered__list">' in html
    assert html.index("Pain relief") < html.index("Opioid withdrawal")
    assert html.count('<details class="kp-faq__item">') == 2
    assert '<summary class="kp-faq__question">Is it approved?</summary>' in html
    assert 'class="kp-conclusion"' in html
    assert "kp-badge--avoid" in html
    assert 'href="https://example.org/study-' in html
    assert '<section class="kp-reference-list"' in html


@pytest.mark.django_db
def test_guideline_page_groups_items_under_headings(client, guideline_page):
    html = _get(client, guideline_page)
    _assert_headings_in_order(html)
    assert html.count('<ol class="kp-guidelines__list">') == 2
    assert "<h2>Before</h2>" in html and "<h2>Never</h2>" in html
    assert '<span class="kp-badge kp-badge--caution">Caution</span>' in html


@pytest.mark.django_db
def test_faq_page_renders_questions(client, faq_page):
    html = _get(client, faq_page)
    _assert_headings_in_order(html)
    assert html.count("<details") == 2


@pytest.mark.django_db
def test_index_lists_live_children_and_survives_bad_page_numbers(
    client, index_page, article, faq_page
):
    article.unpublish()
    html = _get(client, index_page)
    assert faq_page.title in html
    assert article.title not in html
    for bad in ("abc", "-1", "999999"):
        assert client.get(index_page.url, {"page": bad}).status_code == 200


@pytest.mark.django_db
def test_editor_text_is_escaped_in_templates(client, faq_page):
    faq_page.title = "<script>alert(1)</script>"
    faq_page.body = [
        {
            "type": "faq",
            "value": {
                "heading": "<img src=x onerror=alert(2)>",
                "items": [{"question": "<b>bold?</b>", "answer": "<p>ok</p>"}],
            },
        }
    ]
    faq_page.save_revision().publish()
    html = _get(client, faq_page)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


@pytest.mark.django_db
def test_templates_load_no_external_assets(client, article):
    html = _get(client, article)
    assert not re.search(r'(src|href)="(https?:)?//(?!example\.org)[^"]+\.(css|js)', html)
