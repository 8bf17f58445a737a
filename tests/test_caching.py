"""Cached API representations: hits, invalidation on every event, HTTP validators."""

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from kratom_pages.models import HealthContentSettings, KratomIndexPage, Reviewer
from tests.factories import ArticlePageFactory, SourceFactory, numbered_block


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def _get(client, page, **headers):
    return client.get(f"/api/v2/pages/{page.pk}/", **headers)


@pytest.fixture
def linked_article(index_page, faq_page):
    image = wagtail_factories.ImageFactory(title="Old image title")
    source = SourceFactory(title="Old source title")
    reviewer = Reviewer.objects.create(name="Old reviewer", credentials="MD")
    page = ArticlePageFactory.build(
        slug="linked",
        hero_image=image,
        reviewed_by=reviewer,
        body=[
            numbered_block("Claim", sources=[source]),
            {"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}},
        ],
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page, image, source, reviewer


@pytest.mark.django_db
def test_second_request_is_served_from_the_cache(client, article):
    first = _get(client, article)
    with CaptureQueriesContext(connection) as queries:
        second = _get(client, article)
    assert second.json() == first.json()
    assert len(queries) == 0, [q["sql"][:80] for q in queries]


@pytest.mark.django_db
def test_detail_has_validators_and_answers_304(client, article):
    response = _get(client, article)
    etag = response["ETag"]
    assert etag.startswith('"') and response["Last-Modified"]
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    not_modified = _get(client, article, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not not_modified.content
    since = _get(client, article, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert _get(client, article, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.django_db
def test_request_variants_are_cached_apart(client, article):
    full = client.get(f"/api/v2/pages/{article.pk}/").json()
    slim = client.get(f"/api/v2/pages/{article.pk}/", {"fields": "-body"}).json()
    assert "body" in full and "body" not in slim


@pytest.mark.django_db
def test_publishing_a_new_revision_refreshes_the_cache(client, article):
    etag = _get(client, article)["ETag"]
    article.title = "New title"
    article.save_revision().publish()
    response = _get(client, article, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["title"] == "New title"


@pytest.mark.django_db
def test_unpublish_and_delete_stop_serving_the_page(client, article, faq_page):
    _get(client, article), _get(client, faq_page)
    article.unpublish()
    assert _get(client, article).status_code == 404
    faq_page.delete()
    assert _get(client, faq_page).status_code == 404


@pytest.mark.django_db
def test_move_refreshes_the_url(client, index_page, article):
    assert _get(client, article).json()["meta"]["html_url"].endswith("/article/")
    other = index_page.add_child(instance=KratomIndexPage(title="Other", slug="other"))
    other.save_revision().publish()
    article.move(other, pos="last-child")
    assert _get(client, article).json()["meta"]["html_url"].endswith("/other/article/")


@pytest.mark.django_db
def test_changes_to_embedded_objects_refresh_the_cache(client, linked_article, faq_page):
    page, image, source, reviewer = linked_article
    _get(client, page)

    image.title = "New image title"
    image.save()
    assert _get(client, page).json()["hero_image"]["title"] == "New image title"

    source.title = "New source title"
    source.save()
    data = _get(client, page).json()
    assert data["references"][0]["source"]["title"] == "New source title"

    reviewer.name = "New reviewer"
    reviewer.save()
    assert _get(client, page).json()["reviewed_by"]["name"] == "New reviewer"

    faq_page.title = "Renamed FAQ"
    faq_page.save_revision().publish()
    related = _get(client, page).json()["body"][1]["value"]["pages"]
    assert related[0]["title"] == "Renamed FAQ"

    PageViewRestriction.objects.create(page=faq_page, restriction_type="login")
    assert _get(client, page).json()["body"][1]["value"]["pages"] == []


@pytest.mark.django_db
def test_site_disclaimer_change_refreshes_every_page(client, article):
    assert _get(client, article).json()["disclaimer"] == ""
    settings_row = HealthContentSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.default_disclaimer = "<p>New default.</p>"
    settings_row.save()
    assert _get(client, article).json()["disclaimer"] == "<p>New default.</p>"


@pytest.mark.django_db
def test_cache_outage_degrades_to_uncached_responses(client, settings, article):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "broken"}
    for _ in range(2):
        response = _get(client, article)
        assert response.status_code == 200
        assert response.json()["title"] == article.title
        assert response["ETag"]
    article.title = "Still publishes"
    article.save_revision().publish()
    assert _get(client, article).json()["title"] == "Still publishes"


@pytest.mark.django_db
def test_unknown_parameters_share_the_cached_entry(client, article):
    client.get(f"/api/v2/pages/{article.pk}/", {"fields": "title"})
    with CaptureQueriesContext(connection) as queries:
        junk = client.get(f"/api/v2/pages/{article.pk}/", {"x": "random-1", "fields": "title"})
    assert junk.status_code == 200 and len(queries) == 0


@pytest.mark.django_db
def test_parameter_order_does_not_split_entries(client, article):
    url = f"/api/v2/pages/{article.pk}/"
    client.get(f"{url}?fields=title&rich_text_format=html")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{url}?rich_text_format=html&fields=title")
    assert len(queries) == 0


@pytest.mark.django_db
def test_hits_keep_the_headers_of_a_cold_response(client, article):
    cold = _get(client, article)
    hit = _get(client, article)
    for header in ("Allow", "Vary", "Content-Type", "ETag", "Cache-Control"):
        assert hit[header] == cold[header], header
    assert "Accept" in hit["Vary"]


@pytest.mark.django_db
def test_browsable_api_is_not_answered_with_cached_json(client, article):
    _get(client, article)
    html = _get(client, article, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_throttles_configured_on_the_endpoint_run_on_hits(client, article, monkeypatch):
    from rest_framework.throttling import BaseThrottle

    from kratom_pages.api.v2 import KratomPagesAPIViewSet

    class Closed(BaseThrottle):
        def allow_request(self, request, view):
            return False

    assert _get(client, article).status_code == 200
    monkeypatch.setattr(KratomPagesAPIViewSet, "throttle_classes", [Closed])
    assert _get(client, article).status_code == 429


@pytest.mark.django_db
def test_restricted_page_is_never_served_even_to_signed_in_users(admin_client, article):
    from django.test import Client

    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert _get(admin_client, article).status_code == 404
    assert _get(Client(), article).status_code == 404


@pytest.mark.django_db
def test_signed_in_requests_are_not_marked_for_shared_caches(admin_client, article):
    from django.test import Client

    assert "public" in _get(Client(), article)["Cache-Control"]
    signed_in = _get(admin_client, article)["Cache-Control"]
    assert "private" in signed_in and "public" not in signed_in


@pytest.mark.django_db
def test_per_process_cache_is_not_used_outside_debug(client, settings, article):
    from django.core.checks import run_checks

    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_SHARED": None}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _get(client, article)
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, article).json()["title"] == article.title
    assert len(queries) > 0
    assert "kratom_pages.W001" in [message.id for message in run_checks()]


@pytest.mark.django_db
def test_shared_backends_are_recognised(settings):
    from kratom_pages.publishing import versions as caching

    settings.KRATOM_PAGES = {"API_CACHE_SHARED": None}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ""},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert caching.is_shared("default") and caching.enabled()
    assert not caching.is_shared("local")


@pytest.mark.django_db
def test_permission_classes_configured_on_the_endpoint_run_on_hits(client, article, monkeypatch):
    from rest_framework.permissions import IsAuthenticated

    from kratom_pages.api.v2 import KratomPagesAPIViewSet

    assert _get(client, article).status_code == 200
    monkeypatch.setattr(KratomPagesAPIViewSet, "permission_classes", [IsAuthenticated])
    assert _get(client, article).status_code in (401, 403)


@pytest.mark.django_db
def test_bad_credentials_are_refused_on_hits(client, article):
    assert _get(client, article).status_code == 200
    refused = _get(client, article, HTTP_AUTHORIZATION="Basic Ym9zczp3cm9uZw==")
    assert refused.status_code in (401, 403)


@pytest.mark.django_db
def test_an_open_hit_is_answered_before_the_viewset_is_built(client, article, monkeypatch):
    """The same bytes and headers as DRF's answer, without instantiating the endpoint."""
    from kratom_pages.api.v2 import KratomPagesAPIViewSet

    first, second = _get(client, article), _get(client, article)  # render; headers learnt
    built = []
    original = KratomPagesAPIViewSet.__init__

    def counting(self, **kwargs):
        built.append(self)
        original(self, **kwargs)

    monkeypatch.setattr(KratomPagesAPIViewSet, "__init__", counting)
    third = _get(client, article)
    assert built == []
    assert third.content == second.content == first.content
    for header in ("ETag", "Allow", "Vary", "Cache-Control", "Content-Type"):
        assert third[header] == first[header]
    # A signed-in read still goes through DRF (its authentication and permissions).
    client.force_login(get_user_model().objects.create_user("reader", password="x"))
    assert _get(client, article).status_code == 200
    assert built
