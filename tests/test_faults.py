"""Faults: a database outage, a deleted reference, a cache outage."""

import pytest
from django.db import OperationalError, connection

from kratom_pages.models import ReaderReply


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

    from tests.conftest import publish
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
