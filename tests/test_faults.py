"""Faults: a database outage, a deleted reference, a cache outage."""

import pytest
from django.db import OperationalError, connection

from kratom_pages.models import ReaderReply
from tests.conftest import publish


def _database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/replies/?page={id}",
        "/api/v3/pages/{id}/",
        "/api/v3/replies/?page={id}",
    ],
)
def test_database_outage_is_a_503_json_message(client, article, url):
    client.get(url.format(id=article.pk))  # warm anything that is cached per process
    from django.core.cache import cache

    cache.clear()
    with connection.execute_wrapper(_database_down):
        response = client.get(url.format(id=article.pk))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "temporarily unavailable" in response.json().get(
        "message", response.json().get("detail", "")
    )
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_database_outage_while_posting_a_reply_is_a_503(client, article):
    import json

    with connection.execute_wrapper(_database_down):
        response = client.post(
            "/api/v2/replies/",
            json.dumps(
                {"page": article.pk, "display_name": "a", "email": "a@example.com", "body": "b"}
            ),
            content_type="application/json",
        )
    assert response.status_code == 503
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_deleted_references_leave_the_page_readable(client, index_page, faq_page):
    import wagtail_factories

    from tests.factories import ArticlePageFactory, SourceFactory, numbered_block

    image = wagtail_factories.ImageFactory()
    source = SourceFactory()
    page = ArticlePageFactory.build(
        slug="references",
        hero_image=image,
        body=[
            {"type": "image", "value": {"image": image.pk, "caption": "Gone soon"}},
            numbered_block("Claim", sources=[source]),
            {"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}},
        ],
    )
    index_page.add_child(instance=page)
    publish(page)
    image.delete()
    source.delete()
    faq_page.delete()
    for url in (f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/", page.url):
        assert client.get(url).status_code == 200, url
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["hero_image"] is None
    assert data["body"][0]["value"]["image"] is None
    assert data["references"] == []
    assert data["body"][2]["value"]["pages"] == []


@pytest.mark.django_db
def test_cache_outage_keeps_replies_flowing(client, settings, article):
    import json

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    response = client.post(
        "/api/v2/replies/",
        json.dumps(
            {"page": article.pk, "display_name": "a", "email": "a@example.com", "body": "b"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert ReaderReply.objects.filter(page=article).count() == 1
    # Wagtail reads site root paths from the default cache: an outage of it is an outage.
    read = client.get(f"/api/v2/pages/{article.pk}/")
    assert read.status_code == 503 and read["Retry-After"] == "30"
    assert "temporarily unavailable" in read.json()["message"]


DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def production_caches(settings):
    """The caches production runs (example_site/settings/production.py) with Redis gone:
    the default cache ignores outages (django-redis IGNORE_EXCEPTIONS), the API cache has
    an alias of its own that raises, and both give up within 50 ms."""
    options = {"SOCKET_CONNECT_TIMEOUT": 0.05, "SOCKET_TIMEOUT": 0.05}
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
        },
        "api": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS},
    }
    settings.CACHES["api"]["OPTIONS"] = options
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "api"}
    return settings


@pytest.mark.django_db
def test_a_redis_outage_serves_every_read_uncached(client, production_caches, article):
    urls = [
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=title",
        f"/api/v3/pages/{article.pk}/",
        "/api/v3/pages/",
        f"/api/v2/replies/?page={article.pk}",
        f"/api/v3/replies/?page={article.pk}",
        article.url,
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
    assert client.get(urls[0]).json()["title"] == article.title


@pytest.mark.django_db
def test_a_publish_during_a_redis_outage_succeeds_and_is_recorded(
    client, production_caches, article, run_on_commit
):
    from kratom_pages.models import ChangeRecord

    article.title = "Published while Redis was down"
    run_on_commit(lambda: publish(article))
    assert client.get(f"/api/v2/pages/{article.pk}/").json()["title"] == article.title
    # Not applied to the cache (it never answered): whoever reads next catches it up.
    assert ChangeRecord.objects.filter(applied_at__isnull=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("alias", ["default", "api"])
def test_a_missing_database_cache_table_never_shows_its_error(client, settings, article, alias):
    settings.CACHES = {
        **settings.CACHES,
        alias: {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gone"},
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": alias}
    for url in (f"/api/v2/pages/{article.pk}/", f"/api/v3/pages/{article.pk}/", "/api/v3/pages/"):
        response = client.get(url)
        assert b"gone" not in response.content and b"Error" not in response.content, url
        if alias == "api":  # only the API cache: served uncached
            assert response.status_code == 200, url
        else:  # Wagtail's own reads fail: an outage, said as one, in JSON
            assert response.status_code == 503, url
            assert "temporarily unavailable" in response.json()["message"]


@pytest.mark.django_db
def test_check_deploy_reports_what_would_fail_before_traffic(settings):
    from django.core import checks

    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS},
        "api": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gone"},
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "api"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    found = {message.id for message in checks.run_checks(include_deployment_checks=True)}
    assert {
        "kratom_pages.W003",  # the default Redis did not answer
        "kratom_pages.W004",  # and has no short timeouts
        "kratom_pages.W005",  # and raises on errors: Wagtail's reads would fail
        "kratom_pages.E049",  # the database cache's table does not exist
        "kratom_pages.W006",  # tasks would run in the editor's request
    } <= found


def test_an_api_cache_that_hides_its_errors_is_refused(settings):
    from django.core import checks

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "default"}
    assert "kratom_pages.E048" in {message.id for message in checks.run_checks()}
