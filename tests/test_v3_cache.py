"""API v3 page detail served from the API cache, with v2's freshness and validators."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from tests.conftest import cold_get, publish


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def url(page, query="") -> str:
    return f"/api/v3/pages/{page.pk}/{query}"


def test_a_second_read_is_served_from_the_cache_unchanged(client, settings, article):
    first = client.get(url(article))
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url(article))
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert second.content == first.content == cold_get(client, settings, url(article)).content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]


def test_etag_answers_304(client, article):
    etag = client.get(url(article))["ETag"]
    response = client.get(url(article), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_publish_and_unpublish_reach_v3_readers(client, settings, article):
    client.get(url(article))
    article.title = "Renamed after it was cached"
    publish(article)
    assert client.get(url(article)).json()["title"] == "Renamed after it was cached"

    article.unpublish()
    assert client.get(url(article)).status_code == 404
    assert cold_get(client, settings, url(article)).status_code == 404


def test_unknown_parameters_share_one_entry(client, article):
    client.get(url(article))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(article, "?utm_source=x&nonsense=1"))
    assert response.status_code == 200
    assert len(queries) == 0


def test_variants_by_rich_text_format_are_kept_apart(client, settings, article):
    html = client.get(url(article)).json()
    markdown = client.get(url(article, "?rich_text_format=markdown")).json()
    assert markdown == cold_get(client, settings, url(article, "?rich_text_format=markdown")).json()
    assert html == cold_get(client, settings, url(article)).json()


def test_invalid_parameters_keep_cores_answer_and_are_not_stored(client, article):
    response = client.get(url(article, "?rich_text_format=nope"))
    assert response.status_code == 422
    assert client.get(url(article, "?rich_text_format=nope")).status_code == 422


def test_token_holders_and_drafts_are_never_served_from_or_stored_in_the_cache(
    client, article, superuser
):
    client.get(url(article))  # cached for the public
    article.title = "An unpublished draft title"
    article.save_revision()
    _token, raw = APIToken.create_token(user=superuser, name="frontend")
    response = client.get(url(article, "?version=draft"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["title"] == "An unpublished draft title"
    assert "public" not in response.get("Cache-Control", "")
    # The public still reads the live title, and never the draft.
    assert client.get(url(article)).json()["title"] != "An unpublished draft title"
    assert client.get(url(article, "?version=draft")).json()["title"] != (
        "An unpublished draft title"
    )
