"""Cached API listings (v2 and v3): hits with constant work, and never a stale membership."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kratom_pages.publishing import cache as caching
from tests.conftest import cold_get, publish
from tests.factories import ArticlePageFactory

V2 = "/api/v2/pages/?child_of={}&fields=*"
V3 = "/api/v3/pages/?child_of={}"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def titles(response) -> list[str]:
    data = response.json()
    return [item["title"] for item in data.get("items", data.get("results", []))]


def assert_fresh(client, settings, path):
    served, fresh = client.get(path), cold_get(client, settings, path)
    assert served.status_code == fresh.status_code
    assert served.content == fresh.content
    return served


@pytest.fixture
def listed(index_page):
    pages = []
    for n in range(3):
        page = ArticlePageFactory.build(slug=f"listed-{n}", title=f"Listed {n}")
        index_page.add_child(instance=page)
        pages.append(publish(page))
    return pages


@pytest.mark.parametrize("template", [V2, V3])
def test_a_second_read_costs_no_query_and_equals_a_cold_read(
    client, settings, index_page, listed, template
):
    path = template.format(index_page.pk)
    first = client.get(path)
    assert first.status_code == 200
    assert len(titles(first)) == 3
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert second.content == first.content == cold_get(client, settings, path).content
    assert second["ETag"] == first["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("template", [V2, V3])
def test_membership_changes_reach_cached_listings(client, settings, index_page, listed, template):
    path = template.format(index_page.pk)
    client.get(path)

    newcomer = ArticlePageFactory.build(slug="newcomer", title="Newcomer")
    index_page.add_child(instance=newcomer)
    publish(newcomer)
    assert "Newcomer" in titles(assert_fresh(client, settings, path))

    listed[0].unpublish()
    assert "Listed 0" not in titles(assert_fresh(client, settings, path))

    PageViewRestriction.objects.create(page=listed[1], restriction_type="password", password="x")
    assert "Listed 1" not in titles(assert_fresh(client, settings, path))

    listed[2].title = "Listed 2, renamed"
    publish(listed[2])
    assert "Listed 2, renamed" in titles(assert_fresh(client, settings, path))


def test_an_entry_never_outlives_a_listed_pages_scheduled_expiry(
    client, index_page, listed, monkeypatch
):
    listed[0].expire_at = timezone.now() + timedelta(seconds=90)
    listed[0].save()
    stored = []
    original = caching.Lookup.store
    monkeypatch.setattr(
        caching.Lookup, "store", lambda self, entry, timeout: stored.append(timeout)
    )
    client.get(V2.format(index_page.pk))
    monkeypatch.setattr(caching.Lookup, "store", original)
    assert stored and 0 < stored[0] <= 90


def test_searches_are_never_cached(client, index_page, listed):
    path = f"/api/v2/pages/?search=Listed&child_of={index_page.pk}"
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) > 0


def test_errors_are_answered_and_never_stored(client, index_page, listed):
    path = f"/api/v2/pages/?child_of={index_page.pk}&nonsense=1"
    assert client.get(path).status_code == 400
    assert client.get(path).status_code == 400
    assert client.get(f"/api/v2/pages/?child_of={index_page.pk}").status_code == 200


def test_a_value_holding_an_ampersand_is_not_another_parameter(client, settings, index_page):
    page = ArticlePageFactory.build(slug="amp", title="x&limit=1")
    index_page.add_child(instance=page)
    publish(page)
    for path in ("/api/v2/pages/?title=x%26limit%3D1", "/api/v2/pages/?title=x&limit=1"):
        assert_fresh(client, settings, path)
    assert titles(client.get("/api/v2/pages/?title=x%26limit%3D1")) == ["x&limit=1"]
    assert titles(client.get("/api/v2/pages/?title=x&limit=1")) == []


def test_hits_run_the_endpoints_policy(client, index_page, listed, monkeypatch):
    from rest_framework.permissions import IsAuthenticated

    from kratom_pages.api.v2 import KratomPagesAPIViewSet

    path = V2.format(index_page.pk)
    assert client.get(path).status_code == 200
    monkeypatch.setattr(KratomPagesAPIViewSet, "permission_classes", [IsAuthenticated])
    assert client.get(path).status_code in (401, 403)


def test_signed_in_readers_are_not_marked_for_shared_caches(admin_client, index_page, listed):
    response = admin_client.get(V2.format(index_page.pk))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_browsable_api_is_not_answered_with_cached_json(client, index_page, listed):
    client.get(V2.format(index_page.pk))
    html = client.get(V2.format(index_page.pk), HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("prefix", ["/api/v2/pages/", "/api/v3/pages/"])
def test_random_orders_are_never_cached(client, index_page, listed, prefix):
    path = f"{prefix}?order=random&child_of={index_page.pk}"
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) > 0


@pytest.mark.parametrize(
    ("query", "cacheable"),
    [
        ("", True),
        ("type=kratom_pages.ArticlePage&limit=20", True),
        ("order=-title&child_of=3", True),
        ("search=kratom", False),
        ("se%61rch=kratom", False),  # a percent-encoded name is parsed, not guessed
        ("order=random", False),
        ("order=%72andom", False),
        ("order=title&order=random", False),
        ("title=random%20thoughts", True),  # "random" in a value, not an order
    ],
)
def test_which_listings_are_cacheable_without_parsing_most_queries(rf, query, cacheable):
    assert caching.Lookup.listing_is_cacheable(rf.get(f"/api/v2/pages/?{query}")) is cacheable
