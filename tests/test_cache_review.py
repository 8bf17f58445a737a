"""Regressions found reviewing the prerendering, listing and v3 caches."""

import time
import zoneinfo
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import prerender
from tests.conftest import cold_get, publish
from tests.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_prerendering_renders_as_a_reader_not_in_the_editors_time_zone(article, client, settings):
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")), translation.override("fr"):
        prerender.render_representations.call([article.pk])
        assert translation.get_language() == "fr"  # the caller's language is restored
    path = f"/api/v2/pages/{article.pk}/"
    with CaptureQueriesContext(connection) as queries:
        served = client.get(path)
    assert len(queries) == 0  # it was prerendered
    assert served.content == cold_get(client, settings, path).content


def test_a_publish_renders_each_url_once(
    article, client, monkeypatch, django_capture_on_commit_callbacks
):
    stored = []
    original = caching.Lookup.store
    monkeypatch.setattr(
        caching.Lookup,
        "store",
        lambda self, entry, timeout: stored.append(self.key) or original(self, entry, timeout),
    )
    article.title = "Published once"
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    # The save and page_published both announce the page (and its parent, whose section
    # front lists it); after the commit each gets one new version, so the second
    # announcement's renders are hits.
    assert len(stored) == len(set(stored)) == 4  # v2 and v3 detail of both
    assert {key.split(":")[3] for key in stored} == {str(article.pk), str(article.get_parent().pk)}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v2/pages/{article.pk}/").json()["title"] == "Published once"
    assert len(queries) == 0


@pytest.mark.parametrize("prefix", ["/api/v2/pages/", "/api/v3/pages/"])
def test_repeated_parameters_are_keyed_by_every_value(
    client, settings, index_page, article, faq_page, prefix
):
    both = f"{prefix}?type=kratom_pages.ArticlePage&type=kratom_pages.FAQPage"
    one = f"{prefix}?type=kratom_pages.FAQPage"
    first = client.get(both)
    served = client.get(one)
    assert served.status_code == cold_get(client, settings, one).status_code
    if served.status_code == 200:
        assert served.content == cold_get(client, settings, one).content
    assert first.status_code == cold_get(client, settings, both).status_code


def test_a_page_created_live_reaches_cached_listings(client, settings, index_page, article):
    path = f"/api/v2/pages/?child_of={index_page.pk}"
    client.get(path)
    index_page.add_child(instance=ArticlePageFactory.build(slug="born-live", title="Born live"))
    assert client.get(path).content == cold_get(client, settings, path).content
    article.create_alias(parent=index_page, update_slug="an-alias")
    assert client.get(path).content == cold_get(client, settings, path).content


def test_v3_detail_keys_on_the_site_parameter(client, settings, article):
    path = f"/api/v3/pages/{article.pk}/"
    client.get(path)
    other = f"{path}?site=elsewhere.test"
    assert client.get(other).status_code == cold_get(client, settings, other).status_code


def test_a_listing_entry_ends_with_the_next_expiry_of_a_page_it_does_not_show(
    client, index_page, article, faq_page, monkeypatch
):
    faq_page.expire_at = timezone.now() + timedelta(seconds=120)
    faq_page.save()
    stored = []
    monkeypatch.setattr(
        caching.Lookup, "store", lambda self, entry, timeout: stored.append(timeout)
    )
    client.get(f"/api/v2/pages/?type=kratom_pages.ArticlePage&child_of={index_page.pk}")
    client.get(f"/api/v3/pages/?type=kratom_pages.ArticlePage&child_of={index_page.pk}")
    assert len(stored) == 2 and all(0 < timeout <= 120 for timeout in stored)


def test_waiters_stop_waiting_when_the_renderer_stored_nothing(article, rf):
    request = rf.get(f"/api/v2/pages/{article.pk}/")
    renderer = caching.Lookup(request, article.pk, {"fields"})
    waiter = caching.Lookup(request, article.pk, {"fields"})
    assert renderer.claim() and not waiter.claim()
    renderer.release()  # finished, e.g. with a 404
    started = time.monotonic()
    assert waiter.await_entry(seconds=2) is None
    assert time.monotonic() - started < 0.5


def test_only_the_holder_releases_the_lock(article, rf):
    request = rf.get(f"/api/v2/pages/{article.pk}/")
    holder = caching.Lookup(request, article.pk, {"fields"})
    waiter = caching.Lookup(request, article.pk, {"fields"})
    assert holder.claim() and not waiter.claim()
    waiter.release()
    assert not caching.Lookup(request, article.pk, {"fields"}).claim()  # still held
    holder.release()
    assert caching.Lookup(request, article.pk, {"fields"}).claim()


def test_v3_responses_to_signed_in_users_are_private(admin_client, article):
    admin_client.get(f"/api/v3/pages/{article.pk}/")
    response = admin_client.get(f"/api/v3/pages/{article.pk}/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_previews_never_look_in_the_listing_cache(db, client, monkeypatch):
    looked = []
    monkeypatch.setattr(caching.Lookup, "for_listing", classmethod(lambda cls, r: looked.append(r)))
    client.get("/api/v2/page_preview/?content_type=kratom_pages.articlepage&token=nope")
    assert looked == []
