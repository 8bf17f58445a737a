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
