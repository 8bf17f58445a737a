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


# The reader frame and the reading layout (#15, item 2).


def _ids(html):
    return set(re.findall(r'\sid="([^"]+)"', html))


def _nav_links(html):
    [nav] = re.findall(r'<nav class="kp-nav".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def _in_menus(*pages):
    for page in pages:
        page.show_in_menus = True
        page.save_revision().publish()


@pytest.mark.django_db
def test_masthead_lists_live_public_menu_pages_and_never_private_ones(
    client, index_page, article, faq_page, guideline_page
):
    from wagtail.models import PageViewRestriction

    from tests.factories import ArticlePageFactory

    _in_menus(article, faq_page)
    PageViewRestriction.objects.create(page=faq_page, restriction_type="login")
    draft = ArticlePageFactory.build(slug="draft", show_in_menus=True, live=False)
    index_page.add_child(instance=draft)
    html = _get(client, article)
    assert 'class="kp-masthead"' in html and "kratom-pages tests" in html
    # The article is in menus and public; the FAQ is private; the guidelines are not in
    # menus; the draft is not live.
    assert _nav_links(html) == [(article.url, article.title)]
    assert 'aria-current="page"' in html.split('class="kp-nav"')[1].split("</nav>")[0]


@pytest.mark.django_db
def test_navigation_costs_no_query_per_menu_page(client, index_page, article, faq_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import FAQPageFactory

    _in_menus(faq_page)

    def queries():
        client.get(article.url)
        with CaptureQueriesContext(connection) as captured:
            client.get(article.url)
        return len(captured)

    one = queries()
    for n in range(3):
        page = FAQPageFactory.build(slug=f"more-{n}", show_in_menus=True)
        index_page.add_child(instance=page)
        page.save_revision().publish()
    assert len(_nav_links(_get(client, article))) == 4
    assert queries() == one


@pytest.mark.django_db
def test_table_of_contents_links_to_the_ids_of_the_headings_it_names(client, article):
    html = _get(client, article)
    [toc] = re.findall(r'<nav class="kp-toc".*?</nav>', html, re.S)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _anchor, text in links] == [
        "What is kratom?",
        "Claimed benefits",
        "Guidelines",
        "Conclusion",
        "Questions",
    ]
    assert [anchor for anchor, _text in links] == [
        "what-is-kratom",
        "claimed-benefits",
        "guidelines",
        "kp-conclusion",
        "questions",
    ]
    for anchor, text in links:
        # Each anchor is the id of the heading (or of the section headed by it).
        assert re.search(rf'id="{anchor}"[^>]*>\s*(<h2[^>]*>)?{re.escape(text)}<', html), anchor
    assert len(_ids(html)) == len(re.findall(r'\sid="', html))  # ids stay unique


@pytest.mark.django_db
def test_short_pages_get_no_table_of_contents(client, faq_page):
    assert 'class="kp-toc"' not in _get(client, faq_page)


@pytest.mark.django_db
def test_byline_names_author_reviewer_with_credentials_and_dates_in_words(client, article):
    import datetime

    from kratom_pages.models import Reviewer

    article.reviewed_by = Reviewer.objects.create(name="Dr Rev", credentials="MD")
    article.last_reviewed = datetime.date(2026, 1, 15)
    article.published_date = datetime.date(2025, 12, 3)
    article.author_url = "https://example.org/editorial-team"
    article.save_revision().publish()
    html = " ".join(_get(client, article).split())
    [byline] = re.findall(r'<div class="kp-byline">.*?</div>', html)
    assert (
        'By <a href="https://example.org/editorial-team" rel="author">Editorial team</a>' in byline
    )
    assert "Medically reviewed by Dr Rev, MD" in byline
    assert 'Published <time datetime="2025-12-03">Dec. 3, 2025</time>' in byline
    assert 'Last reviewed <time datetime="2026-01-15">Jan. 15, 2026</time>' in byline
    assert 'href="#editorial-policy"' in byline


@pytest.mark.django_db
def test_evidence_badges_carry_their_level_and_one_legend_explains_every_level(client, index_page):
    from tests.factories import ArticlePageFactory, numbered_block

    page = ArticlePageFactory.build(
        slug="two-lists", body=[numbered_block("Pain"), numbered_block("Mood", heading="More")]
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()
    html = _get(client, page)
    assert html.count('data-level="limited"') == 2
    assert html.count('class="kp-legend"') == 1
    [legend] = re.findall(r'<div class="kp-legend".*?</dl>', html, re.S)
    for level in ("strong", "moderate", "limited", "anecdotal", "none"):
        assert f"kp-evidence--{level}" in legend


@pytest.mark.django_db
def test_citation_markers_stay_inside_the_paragraph_they_support(client, index_page):
    from tests.factories import ArticlePageFactory, SourceFactory

    source = SourceFactory()
    body = [
        {
            "type": "cited_paragraph",
            "value": {"text": "<p>First.</p><p>Claim.</p>", "citations": [source.pk]},
        }
    ]
    page = ArticlePageFactory.build(slug="cited", body=body)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    html = _get(client, page)
    assert re.search(
        r'<p>Claim\.<sup class="kp-cite"><a href="#ref-1"[^>]*>\[1\]</a></sup></p>', html
    )


@pytest.mark.django_db
def test_replies_nest_under_the_reply_they_answer_with_their_dates(client, article):
    from kratom_pages.models import ReaderReply
    from tests.factories import ReaderReplyFactory

    approved = ReaderReply.Status.APPROVED
    parent = ReaderReplyFactory(page=article, status=approved, display_name="Sam")
    ReaderReplyFactory(page=article, status=approved, parent=parent, display_name="Ana")
    ReaderReplyFactory(page=article, status=approved, display_name="Jo")
    html = _get(client, article)
    [thread] = re.findall(rf'<li class="kp-reply" id="reply-{parent.pk}">.*?</ol>', html, re.S)
    assert '<ol class="kp-replies__children"' in thread and "Ana" in thread
    assert "Jo" not in thread
    assert html.count("<time datetime=") >= 3


@pytest.mark.django_db
def test_hero_image_is_shown_once_with_the_caption_of_the_block_that_repeats_it(client, index_page):
    from wagtail_factories import ImageFactory

    from tests.factories import ArticlePageFactory

    image = ImageFactory(title="Leaves")
    block = {"image": image.pk, "alt_text": "Green leaves", "caption": "Kratom leaves."}
    page = ArticlePageFactory.build(
        slug="hero", hero_image=image, body=[{"type": "image", "value": block}]
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()
    html = _get(client, page)
    assert html.count("<img") == 1
    [hero] = re.findall(r'<figure class="kp-hero">.*?</figure>', html, re.S)
    assert 'alt="Green leaves"' in hero and "Kratom leaves." in hero


@pytest.mark.django_db
def test_footer_has_the_disclaimer_and_an_editorial_policy_link_that_resolves(client, article):
    from wagtail.models import Site

    from kratom_pages.models.settings import HealthContentSettings

    site = Site.objects.get(is_default_site=True)
    HealthContentSettings.objects.create(site=site, default_disclaimer="<p>Not advice.</p>")
    html = _get(client, article)
    [footer] = re.findall(r'<footer class="kp-footer">.*?</footer>', html, re.S)
    assert "Not advice." in footer
    assert 'href="#editorial-policy"' in footer and "editorial-policy" in _ids(html)
