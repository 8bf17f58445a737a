"""Listings assembled from per-page items: a listing that misses renders only the pages
whose item is not current, with constant queries, and answers byte for byte what a cold
render does."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kratom_pages.api.v2 import KratomPagesAPIViewSetMixin
from kratom_pages.api.v3_cache import DETAIL_CACHE_PARAMETERS as V3_DETAIL
from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import listing_items, prerender, versions
from tests.conftest import cold_get, publish
from tests.factories import ArticlePageFactory

LISTINGS = [
    "/api/v2/pages/?child_of={}&fields=*",
    "/api/v2/pages/?child_of={}&type=kratom_pages.ArticlePage&fields=*",
    "/api/v2/pages/?child_of={}&type=kratom_pages.ArticlePage&fields=title,body&order=-title",
    "/api/v2/pages/?child_of={}&type=kratom_pages.ArticlePage&fields=*&rich_text_format=markdown",
    "/api/v2/pages/?child_of={}",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    listing_items._recorded_variants.clear()  # this process's memo of variants it recorded


def _add(index_page, n):
    pages = []
    for i in range(n):
        page = ArticlePageFactory.build(slug=f"item-{i}", title=f"Item {i}")
        index_page.add_child(instance=page)
        pages.append(publish(page))
    return pages


@pytest.fixture
def rendered(monkeypatch):
    """Page ids each listing miss rendered items for (not read from the cache)."""
    calls = []
    original = listing_items.ListingItems.store

    def store(self, items, timeout):
        calls.append(sorted(items))
        return original(self, items, timeout)

    monkeypatch.setattr(listing_items.ListingItems, "store", store)
    return calls


def _renew_listings():
    """Every listing misses next, as after any page change; items stay current."""
    cache.set(versions.LISTINGS_KEY, uuid.uuid4().hex, timeout=None)


@pytest.mark.parametrize("template", LISTINGS)
def test_an_assembled_listing_equals_a_cold_render(client, settings, index_page, template):
    _add(index_page, 3)
    path = template.format(index_page.pk)
    first = client.get(path)
    assert first.status_code == 200
    _renew_listings()  # a miss, every item current
    assembled = client.get(path)
    cold = cold_get(client, settings, path)
    assert assembled.status_code == cold.status_code == 200
    assert assembled.content == first.content == cold.content


def test_a_miss_renders_only_the_changed_page(client, settings, index_page, rendered):
    pages = _add(index_page, 4)
    path = LISTINGS[0].format(index_page.pk)
    client.get(path)
    assert rendered == [sorted(p.pk for p in pages)]

    pages[2].title = "Item 2, renamed"
    publish(pages[2])
    rendered.clear()
    response = client.get(f"{path}&order=-title")  # another listing: its own miss
    assert rendered == [[pages[2].pk]]
    assert "Item 2, renamed" in [item["title"] for item in response.json()["items"]]
    assert response.content == cold_get(client, settings, f"{path}&order=-title").content


def test_items_are_per_variant(client, index_page, rendered):
    pages = _add(index_page, 2)
    client.get(LISTINGS[0].format(index_page.pk))
    rendered.clear()
    client.get(LISTINGS[2].format(index_page.pk))  # other fields: other items
    assert rendered == [sorted(p.pk for p in pages)]
    rendered.clear()
    client.get(LISTINGS[0].format(index_page.pk), HTTP_HOST="other.example")  # URLs differ
    assert rendered == [sorted(p.pk for p in pages)]
    rendered.clear()
    client.get(f"{LISTINGS[0].format(index_page.pk)}&limit=1&offset=1")  # only which pages
    assert rendered == []


def _add_more(index_page, total):
    start = index_page.get_children().count()
    for i in range(start, total):
        page = ArticlePageFactory.build(slug=f"more-{i}", title=f"More {i}")
        index_page.add_child(instance=page)
        publish(page)


def _miss_queries(client, path, *, items_cached: bool) -> int:
    """Queries of a listing miss, with every item current in the cache or none."""
    client.get(path)
    if items_cached:
        _renew_listings()
    else:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("items_cached", [True, False])
def test_queries_do_not_grow_with_the_pages_listed(client, index_page, items_cached):
    path = LISTINGS[1].format(index_page.pk)
    counts = []
    for total in (2, 12):
        _add_more(index_page, total)
        counts.append(_miss_queries(client, path, items_cached=items_cached))
    assert counts[0] == counts[1], counts


def test_current_items_save_the_bulk_loading(client, index_page):
    _add_more(index_page, 3)
    path = LISTINGS[1].format(index_page.pk)
    assembled = _miss_queries(client, path, items_cached=True)
    rendered = _miss_queries(client, path, items_cached=False)
    assert assembled < rendered - 3, (assembled, rendered)


def _stored_item(rf, page, listing_path):
    request = rf.get(listing_path)
    key = listing_items.ListingItems(request, [page.pk]).keys[page.pk]
    return cache.get(key)


def test_an_item_never_outlives_a_scheduled_expiry_it_shows(client, rf, index_page, faq_page):
    soon = timezone.now() + timedelta(minutes=5)
    faq_page.expire_at = soon
    publish(faq_page)
    linking = ArticlePageFactory.build(
        slug="linking",
        body=[{"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}}],
    )
    index_page.add_child(instance=linking)
    publish(linking)
    path = LISTINGS[1].format(index_page.pk)
    client.get(path)
    stored = _stored_item(rf, linking, path)
    assert stored is not None
    assert stored[2] <= soon.timestamp() + 1, "the item outlives the linked page's expiry"


INDEX_LISTING = "/api/v2/pages/?type=kratom_pages.KratomIndexPage&fields=structured_data"


def _listed_in_index(client, index_page) -> list[str]:
    response = client.get(INDEX_LISTING)
    assert response.status_code == 200
    (item,) = [item for item in response.json()["items"] if item["id"] == index_page.pk]
    graph = item["structured_data"]["@graph"]
    (collection,) = [node for node in graph if "CollectionPage" in node["@type"]]
    return [entry["name"] for entry in collection["mainEntity"]["itemListElement"]]


def test_a_section_fronts_item_drops_a_child_given_a_view_restriction(
    client, settings, index_page, django_capture_on_commit_callbacks
):
    pages = _add(index_page, 2)
    assert sorted(_listed_in_index(client, index_page)) == ["Item 0", "Item 1"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=pages[1], restriction_type="password", password="x")
    assert _listed_in_index(client, index_page) == ["Item 0"]
    detail = f"/api/v2/pages/{index_page.pk}/?fields=structured_data"
    assert client.get(detail).content == cold_get(client, settings, detail).content


def test_a_section_fronts_entries_end_when_a_child_expires(client, rf, index_page):
    pages = _add(index_page, 2)
    soon = timezone.now() + timedelta(minutes=5)
    pages[0].expire_at = soon
    publish(pages[0])
    client.get(INDEX_LISTING)
    stored = _stored_item(rf, index_page, INDEX_LISTING)
    assert stored is not None
    assert stored[2] <= soon.timestamp() + 1
    for version in ("v2", "v3"):
        path = f"/api/{version}/pages/{index_page.pk}/"
        assert client.get(path).status_code == 200
        params = {"v2": KratomPagesAPIViewSetMixin.detail_cache_parameters, "v3": V3_DETAIL}
        lookup = caching.Lookup(rf.get(path), index_page.pk, params[version])
        assert lookup.entry is not None
        assert cache.get(lookup.key)[2] <= soon.timestamp() + 1, version


def test_the_api_lists_a_section_fronts_first_children_whatever_page_is_asked(
    client, settings, index_page
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "INDEX_PAGE_SIZE": 1}
    _add(index_page, 2)
    first = client.get(f"/api/v2/pages/{index_page.pk}/?page=2&fields=structured_data")
    cache.clear()
    plain = cold_get(client, settings, f"/api/v2/pages/{index_page.pk}/?fields=structured_data")
    assert first.content == plain.content


@pytest.mark.parametrize(
    "query", ["fields=bogus", "rich_text_format=bogus", "fields=*&rich_text_format=bogus"]
)
def test_an_empty_listing_still_checks_its_parameters(client, settings, article, query):
    path = f"/api/v2/pages/?child_of={article.pk}&{query}"  # an article has no children
    response = client.get(path)
    assert response.status_code == 400
    assert response.content == cold_get(client, settings, path).content


def test_a_pagination_that_returns_a_list_is_rendered_whole(
    client, settings, index_page, monkeypatch
):
    from rest_framework.pagination import LimitOffsetPagination

    from kratom_pages.api.v2 import KratomPagesAPIViewSet

    _add(index_page, 2)
    monkeypatch.setattr(KratomPagesAPIViewSet, "pagination_class", LimitOffsetPagination)
    path = f"/api/v2/pages/?child_of={index_page.pk}&limit=5"
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == cold_get(client, settings, path).content


def test_only_variants_that_rendered_are_prerendered(client, index_page):
    pages = _add(index_page, 1)
    assert client.get(f"/api/v2/pages/?child_of={index_page.pk}&fields=bogus").status_code == 400
    assert listing_items.item_variant_urls([pages[0].pk]) == []
    client.get(f"/api/v2/pages/?child_of={index_page.pk}&fields=title")
    assert listing_items.item_variant_urls([pages[0].pk]) == [
        f"http://testserver/api/v2/pages/?fields=title&id={pages[0].pk}"
    ]


def test_a_cache_outage_renders_every_item(client, settings, index_page, monkeypatch):
    _add_more(index_page, 2)
    path = LISTINGS[0].format(index_page.pk)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(type(caches["default"]), "get_many", down)
    response = client.get(path)
    assert response.status_code == 200
    monkeypatch.undo()
    assert response.content == cold_get(client, settings, path).content


def test_listing_items_can_be_switched_off(client, index_page, rendered, monkeypatch):
    _add_more(index_page, 2)
    monkeypatch.setattr(KratomPagesAPIViewSetMixin, "listing_items", False)
    assert client.get(LISTINGS[0].format(index_page.pk)).status_code == 200
    assert rendered == []


def test_a_publish_renders_the_pages_item_in_the_variants_listings_asked_for(
    client, index_page, rendered, django_capture_on_commit_callbacks
):
    pages = _add(index_page, 3)
    for template in LISTINGS[:2]:
        client.get(template.format(index_page.pk))

    pages[1].title = "Item 1, renamed"
    rendered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages[1])
    # Rendered ahead, once per variant, before any reader asked.
    assert rendered.count([pages[1].pk]) == 2

    rendered.clear()
    for template in LISTINGS[:2]:
        response = client.get(f"{template.format(index_page.pk)}&order=-id")
        assert "Item 1, renamed" in [item["title"] for item in response.json()["items"]]
    assert rendered == [], "a reader rendered an item the publish should have"


def test_the_task_renders_items_through_a_one_page_listing(client, rf, index_page):
    pages = _add(index_page, 2)
    client.get(LISTINGS[1].format(index_page.pk))
    statuses = prerender.render_representations.call([pages[0].pk])
    item_urls = [url for url in statuses if "id=" in url]
    assert item_urls == [
        f"http://testserver/api/v2/pages/?fields=%2A&type=kratom_pages.ArticlePage&id={pages[0].pk}"
    ]
    assert statuses[item_urls[0]] == 200
    # The one-page listing it rendered was not stored as a listing.
    assert caching.Lookup.for_listing(rf.get(item_urls[0])).entry is None
