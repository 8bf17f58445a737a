"""Page creation, publishing, tree rules and search indexing."""

import datetime

import pytest
from wagtail.models import Page

from kratom_pages.models import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage
from tests.factories import ArticlePageFactory


@pytest.mark.django_db
def test_article_is_created_and_published_through_the_tree(index_page):
    page = ArticlePageFactory.build(slug="new-article")
    index_page.add_child(instance=page)
    assert page.pk is not None and page.get_parent().pk == index_page.pk  # in the tree
    page.save_revision().publish()
    stored = ArticlePage.objects.get(slug="new-article")
    assert stored.live
    assert stored.get_parent().specific == index_page
    assert stored.url == "/new-article/"
    assert [block.block_type for block in stored.body][:2] == ["heading", "paragraph"]


@pytest.mark.django_db
def test_draft_changes_do_not_reach_the_live_page(article):
    article.title = "Draft title"
    article.save_revision()
    article.refresh_from_db()
    assert article.title != "Draft title"
    assert article.has_unpublished_changes


@pytest.mark.parametrize("model", [ArticlePage, GuidelineListPage, FAQPage])
@pytest.mark.django_db
def test_content_pages_live_only_under_an_index(model, index_page, root_page):
    assert model.can_create_at(index_page)
    assert not model.can_create_at(root_page)
    assert model.allowed_subpage_models() == []


@pytest.mark.django_db
def test_index_page_accepts_content_pages_and_nested_indexes(index_page, article):
    allowed = set(KratomIndexPage.allowed_subpage_models())
    assert allowed == {ArticlePage, GuidelineListPage, FAQPage, KratomIndexPage}
    assert not KratomIndexPage.can_create_at(article)


@pytest.mark.django_db
def test_display_date_prefers_the_editors_date(article):
    assert article.display_date == article.first_published_at.date()
    article.published_date = datetime.date(2024, 5, 1)
    assert article.display_date == datetime.date(2024, 5, 1)


@pytest.mark.django_db
def test_search_finds_text_inside_streamfield_blocks(article, faq_page):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    results = backend.search("withdrawal", Page.objects.live().specific())
    assert article in list(results)
    faq_results = backend.search("legal", FAQPage.objects.live())
    assert faq_page in list(faq_results)


@pytest.mark.django_db
def test_intro_and_disclaimer_editors_follow_the_feature_setting(settings):
    from kratom_pages.models import ArticlePage

    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "LEDE_FEATURES": ["bold"]}
    for name in ("intro", "disclaimer_override"):
        widget = ArticlePage._meta.get_field(name).formfield().widget
        assert widget.features == ["bold"], name
