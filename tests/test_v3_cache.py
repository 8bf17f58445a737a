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


LISTING = "/api/v3/pages/?type=kratom_pages.ArticlePage&limit=20"


@pytest.fixture
def ninja_dispatch(monkeypatch):
    """Records every request ninja dispatches to an operation, and every run of an
    operation's checks (authentication, throttles) and parameter parsing."""
    from ninja.operation import Operation, PathView

    calls = []
    for owner, name in (
        (PathView, "_find_operation"),
        (Operation, "_run_checks"),
        (Operation, "_get_values"),
    ):
        original = getattr(owner, name)

        def recording(self, request, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, request, *args, **kwargs)

        monkeypatch.setattr(owner, name, recording)
    return calls


def _bound_operation(operation_id):
    from wagtail.api.v3.urls import api

    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                if operation.operation_id == operation_id:
                    return operation
    raise LookupError(operation_id)


def _through_ninja(monkeypatch, client, path, **extra):
    """``client.get`` with the early path switched off: the hit ninja itself answers."""
    from kratom_pages.api import v3_cache

    with monkeypatch.context() as patched:
        patched.setattr(v3_cache, "_policy_is_open", lambda operation: False)
        return client.get(path, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["detail", "listing"])
def test_an_open_hit_is_answered_before_ninja_dispatches(
    client, article, ninja_dispatch, monkeypatch, kind
):
    """An anonymous read the cache holds never reaches ninja's operation (no checks, no
    parameter parsing), and is byte for byte, header for header, what ninja's hit is."""
    path = url(article) if kind == "detail" else LISTING
    first = client.get(path)  # the miss, through ninja, fills the cache
    assert first.status_code == 200 and "_find_operation" in ninja_dispatch
    ninja_dispatch.clear()
    with CaptureQueriesContext(connection) as queries:
        early = client.get(path)
    assert ninja_dispatch == [] and len(queries) == 0
    through_ninja = _through_ninja(monkeypatch, client, path)
    assert ninja_dispatch == ["_find_operation", "_run_checks"]  # a hit: no parsing
    assert early.content == first.content == through_ninja.content
    assert dict(early.items()) == dict(first.items()) == dict(through_ninja.items())
    assert early["Content-Type"] == "application/json; charset=utf-8"
    assert "public" in early["Cache-Control"] and "Allow" not in early


@pytest.mark.django_db
def test_an_open_hit_answers_304_early_as_ninja_does(client, article, ninja_dispatch, monkeypatch):
    etag = client.get(url(article))["ETag"]
    ninja_dispatch.clear()
    early = client.get(url(article), HTTP_IF_NONE_MATCH=etag)
    assert ninja_dispatch == []
    through_ninja = _through_ninja(monkeypatch, client, url(article), HTTP_IF_NONE_MATCH=etag)
    assert ninja_dispatch
    assert early.status_code == through_ninja.status_code == 304
    assert early.content == through_ninja.content == b""
    assert dict(early.items()) == dict(through_ninja.items())
    assert client.get(url(article), HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.django_db
def test_credentials_and_uncached_variants_go_through_ninja(
    client, article, superuser, ninja_dispatch
):
    """A bearer token (valid or not), a session, the draft version and a search are never
    answered early: ninja authenticates them; only the session's read is then a hit, kept
    out of shared caches."""
    client.get(url(article))
    client.get(LISTING)
    _token, raw = APIToken.create_token(user=superuser, name="frontend")
    for path, extra in (
        (url(article), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}),
        (url(article), {"HTTP_AUTHORIZATION": "Bearer not-a-token"}),
        (url(article, "?version=draft"), {}),
        (url(article, "?%76ersion=draft"), {}),  # percent-encoded names are read too
        (LISTING + "&search=kratom", {}),
        (LISTING + "&se%61rch=kratom", {}),
    ):
        ninja_dispatch.clear()
        response = client.get(path, **extra)
        assert response.status_code == 200, path
        assert "_run_checks" in ninja_dispatch and "_get_values" in ninja_dispatch, (path, extra)
        assert "public" not in response.get("Cache-Control", ""), (path, extra)

    client.force_login(superuser)
    ninja_dispatch.clear()
    signed_in = client.get(url(article))
    assert ninja_dispatch == ["_find_operation", "_run_checks"]  # a hit, after the checks
    assert "private" in signed_in["Cache-Control"]


@pytest.mark.django_db
def test_a_throttled_or_decorated_operation_is_checked_on_every_hit(client, article, monkeypatch):
    """A throttle (or a decorator around the operation's run) makes the policy not open:
    every hit goes through ninja's checks, and a refused one answers 429."""
    from ninja.throttling import BaseThrottle

    class SecondReadRefused(BaseThrottle):
        reads = 0

        def allow_request(self, request):
            self.reads += 1
            return self.reads < 2

    from kratom_pages.api import v3_cache

    client.get(url(article))  # the miss fills the cache
    operation = _bound_operation("pages_detail")
    assert operation.auth_callbacks  # Wagtail's chain is there; it is open, not absent
    assert v3_cache._policy_is_open(operation)

    monkeypatch.setattr(operation, "throttle_objects", [SecondReadRefused()])
    assert not v3_cache._policy_is_open(operation)
    answers = [client.get(url(article)).status_code for _ in range(2)]
    assert answers == [200, 429]

    monkeypatch.setattr(operation, "throttle_objects", [])
    assert v3_cache._policy_is_open(operation)
    monkeypatch.setattr(operation, "run", lambda request, **kwargs: operation.kratom_cached_run)
    assert not v3_cache._policy_is_open(operation)
