"""Representations built at publish time, and one renderer per missing entry."""

import threading

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import prerender
from tests.conftest import publish
from tests.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _lookup(rf, page):
    request = rf.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST="testserver")
    return caching.Lookup(request, page.pk, {"fields", "rich_text_format", "type", "site"})


def _republish(page, title, django_capture_on_commit_callbacks):
    page.title = title
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)


def test_publish_renders_the_detail_before_any_reader_asks(
    article, rf, client, settings, django_capture_on_commit_callbacks
):
    _republish(article, "Renamed before anyone read it", django_capture_on_commit_callbacks)

    entry = _lookup(rf, article).entry
    assert entry is not None, "the publish did not leave a rendered entry"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    assert response.content == entry[0]
    assert response.json()["title"] == "Renamed before anyone read it"
    assert len(queries) == 0, [q["sql"] for q in queries]

    # What was stored is exactly what a cold render answers.
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy"}
    assert client.get(f"/api/v2/pages/{article.pk}/").content == entry[0]


@pytest.mark.django_db(transaction=True)
def test_a_publish_outside_any_transaction_leaves_its_prerendered_entry_current(
    index_page, rf, client
):
    """As in production: Wagtail sends ``page_published`` after its transaction has
    committed, so the change's commit work (prerendering) runs at once, and nothing that
    follows may renew the versions it was rendered under."""
    article = ArticlePageFactory.build(slug="outside", title="First title")
    index_page.add_child(instance=article)
    publish(article)
    article.title = "Second title"
    publish(article)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.json()["title"] == "Second title"
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_the_tree_root_is_never_prerendered(index_page, caplog, django_capture_on_commit_callbacks):
    """A site's root page changing affects its parent, the tree's root, which no site
    serves: rendering it would only log a 404 on every publish."""
    rendered = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prerender, "render_url", lambda url, **kw: rendered.append(url) or 200)
        _republish(index_page, "Section front, renamed", django_capture_on_commit_callbacks)
    assert rendered, "nothing was prerendered"
    assert not [url for url in rendered if url.endswith(f"/pages/{index_page.get_parent().pk}/")]
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_pages_linking_the_changed_page_are_rendered_too(
    index_page, faq_page, rf, django_capture_on_commit_callbacks
):
    linking = ArticlePageFactory.build(
        slug="linking",
        body=[{"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}}],
    )
    index_page.add_child(instance=linking)
    publish(linking)
    cache.clear()

    _republish(faq_page, "Questions, renamed", django_capture_on_commit_callbacks)

    entry = _lookup(rf, linking).entry
    assert entry is not None
    assert b"Questions, renamed" in entry[0]


def test_deleting_a_page_renders_its_section_front_and_nothing_fails(
    article, index_page, rf, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert _lookup(rf, index_page).entry is not None  # it no longer lists the article


def test_prerendering_can_be_switched_off(
    article, rf, settings, django_capture_on_commit_callbacks
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_PRERENDER": False}
    _republish(article, "Not rendered ahead", django_capture_on_commit_callbacks)
    assert _lookup(rf, article).entry is None


def test_a_draft_save_renders_nothing(article, rf, django_capture_on_commit_callbacks):
    article.title = "Draft only"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision()
    assert _lookup(rf, article).entry is None


def test_the_task_reports_each_url_it_rendered(article):
    statuses = prerender.render_representations.call([article.pk])
    assert statuses == {
        f"http://testserver/api/v2/pages/{article.pk}/": 200,
        f"http://testserver/api/v3/pages/{article.pk}/": 200,
    }


def test_rendering_a_hidden_page_stores_nothing(article, rf):
    article.unpublish()
    statuses = prerender.render_representations.call([article.pk])
    assert set(statuses.values()) == {404}
    assert _lookup(rf, article).entry is None


def test_the_first_asker_claims_the_render_and_others_wait_for_it(article, rf):
    first, second = _lookup(rf, article), _lookup(rf, article)
    assert first.claim() is True
    assert second.claim() is False

    def render_later():
        first.store((b"{}", '"etag"', None), 60)
        first.release()

    timer = threading.Timer(0.1, render_later)
    timer.start()
    try:
        assert second.await_entry(seconds=2) == (b"{}", '"etag"', None)
    finally:
        timer.join()
    assert _lookup(rf, article).claim() is True  # released


def test_a_reader_never_waits_on_a_renderer_that_died(article, rf, client, monkeypatch):
    monkeypatch.setattr(caching, "RENDER_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(caching.Lookup.await_entry, "__defaults__", (0.05,))
    assert _lookup(rf, article).claim() is True  # and never released

    response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == article.title


def test_the_setting_is_checked(settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_PRERENDER": "yes"}
    assert "kratom_pages.E044" in {message.id for message in run_checks()}
