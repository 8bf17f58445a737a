"""No invalidation is lost: every change leaves a record in its own transaction, and a cache
that missed a change (it was down, came back from an older snapshot, lost its stamp) is
caught up from the records before anything in it is served.

These run in one process on local memory; ``tests/faults/`` does the same with real Redis
servers and two server processes.
"""

import copy

import pytest
from django.core.cache import caches
from django.db import transaction

from kratom_pages.models import ChangeRecord
from kratom_pages.publishing import breaker, outbox, versions
from tests.cache_backends import FlakyCache
from tests.conftest import cold_get, publish


@pytest.fixture(autouse=True)
def api_cache(settings):
    """The API cache on an alias of its own, as production runs it: Wagtail keeps using
    the default cache (which ignores outages), kratom-pages must see every failure."""
    settings.CACHES = {
        **settings.CACHES,
        "api": {"BACKEND": "tests.cache_backends.FlakyCache", "LOCATION": "api"},
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "api"}
    caches["api"].clear()
    return caches["api"]


def detail(page) -> str:
    return f"/api/v2/pages/{page.pk}/"


def assert_fresh(client, settings, url) -> dict:
    served = client.get(url)
    cold = cold_get(client, settings, url)
    assert served.status_code == cold.status_code == 200
    assert served.json() == cold.json()
    return served.json()


def _retitle(page, title: str) -> None:
    page.title = title
    publish(page)


def _snapshot(alias: str = "api"):
    """What a local-memory cache holds, to bring back later as a restarted server would
    come back from an older snapshot."""
    cache = caches[alias]
    return copy.deepcopy(cache._cache), copy.deepcopy(cache._expire_info)


def _restore(snapshot, alias: str = "api") -> None:
    cache = caches[alias]
    cache._cache.clear()
    cache._cache.update(copy.deepcopy(snapshot[0]))
    cache._expire_info.clear()
    cache._expire_info.update(copy.deepcopy(snapshot[1]))


@pytest.fixture
def cache_down():
    """Switch the API cache off (every call raises, as a refused connection would) and on."""
    FlakyCache.calls = 0

    def switch(on: bool = True):
        FlakyCache.down = on

    yield switch
    FlakyCache.down = False


@pytest.mark.django_db
def test_a_change_and_its_record_commit_together(article):
    before = ChangeRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _retitle(article, "Never published")
        assert ChangeRecord.objects.count() > before
        raise RuntimeError("the editor's transaction fails")
    assert ChangeRecord.objects.count() == before


@pytest.mark.django_db
def test_a_committed_change_is_marked_applied_and_stamped(article, run_on_commit):
    run_on_commit(lambda: _retitle(article, "Applied"))
    latest = ChangeRecord.objects.order_by("pk").last()
    assert article.pk in latest.page_ids
    assert latest.applied_at is not None
    assert caches["api"].get(outbox.STAMP_KEY) >= latest.applied_at


@pytest.mark.django_db
def test_a_change_made_while_the_cache_is_down_reaches_readers_when_it_returns(
    client, settings, article, run_on_commit, cache_down
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_RETRY_SECONDS": 0}
    assert client.get(detail(article)).json()["title"] == article.title  # cached
    cache_down()
    run_on_commit(lambda: _retitle(article, "Retracted during the outage"))  # never fails
    assert ChangeRecord.objects.filter(applied_at__isnull=True).exists()
    # During the outage: served uncached, so fresh.
    assert client.get(detail(article)).json()["title"] == "Retracted during the outage"
    cache_down(False)  # the cache is back, with the old entry and the old versions
    data = assert_fresh(client, settings, detail(article))
    assert data["title"] == "Retracted during the outage"
    assert not ChangeRecord.objects.filter(applied_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_cache_back_from_an_older_snapshot_serves_nothing_stale(
    client, settings, article, faq_page, run_on_commit
):
    urls = [detail(article), detail(faq_page), f"/api/v3/pages/{article.pk}/"]
    urls.append("/api/v2/pages/?type=kratom_pages.ArticlePage&fields=title")
    for url in urls:
        client.get(url)
    snapshot = _snapshot()
    run_on_commit(lambda: _retitle(article, "Corrected after the snapshot"))
    for url in urls:
        client.get(url)
    _restore(snapshot)  # the writes since the snapshot are lost, the stamp's advance too
    faq_version = caches["api"].get(versions.page_version_key(faq_page.pk))
    breaker.mark_suspect()  # what a process sees: its Redis connection dropped
    assert client.get(detail(article)).json()["title"] == "Corrected after the snapshot"
    for url in urls:
        served, cold = client.get(url), cold_get(client, settings, url)
        assert served.json() == cold.json(), url
    # Only the pages the missed change named were renewed, not the whole site.
    assert caches["api"].get(versions.page_version_key(faq_page.pk)) == faq_version


@pytest.mark.django_db
def test_a_silent_revert_is_caught_within_the_check_interval(
    client, settings, article, run_on_commit
):
    """No failure seen by this process (another host restarted Redis): the periodic check
    finds the cache behind. Interval 0 here stands for "the interval has passed"."""
    client.get(detail(article))
    snapshot = _snapshot()
    run_on_commit(lambda: _retitle(article, "Changed on another host"))
    client.get(detail(article))
    _restore(snapshot)
    assert client.get(detail(article)).json()["title"] != "Changed on another host"  # trusted
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_VERIFY_SECONDS": 0}
    assert client.get(detail(article)).json()["title"] == "Changed on another host"


@pytest.mark.django_db
def test_a_cache_without_its_stamp_is_renewed_whole(client, settings, article, run_on_commit):
    run_on_commit(lambda: _retitle(article, "Stamped"))
    client.get(detail(article))
    generation = caches["api"].get(versions.GENERATION_KEY)
    caches["api"].delete(outbox.STAMP_KEY)  # flushed, or from before stamps were kept
    breaker.mark_suspect()
    assert_fresh(client, settings, detail(article))
    assert caches["api"].get(versions.GENERATION_KEY) != generation
    assert caches["api"].get(outbox.STAMP_KEY) is not None
    # Caught up once: the next check finds it current and renews nothing.
    generation = caches["api"].get(versions.GENERATION_KEY)
    breaker.mark_suspect()
    client.get(detail(article))
    assert caches["api"].get(versions.GENERATION_KEY) == generation


@pytest.mark.django_db
def test_many_missed_changes_renew_the_whole_site(client, article, monkeypatch, cache_down):
    monkeypatch.setattr(outbox, "CATCH_UP_LIMIT", 2)
    client.get(detail(article))
    generation = caches["api"].get(versions.GENERATION_KEY)
    cache_down()
    for title in ("One", "Two", "Three"):
        with transaction.atomic():
            _retitle(article, title)
    cache_down(False)
    breaker.reset()
    assert client.get(detail(article)).json()["title"] == "Three"
    assert caches["api"].get(versions.GENERATION_KEY) != generation
    assert not ChangeRecord.objects.filter(applied_at__isnull=True).exists()


@pytest.mark.django_db
def test_another_process_change_shows_at_once_with_a_per_process_cache(
    client, settings, article, run_on_commit
):
    """Development: runserver keeps a local-memory cache, and a shell or an import in
    another process publishes. Every request checks the records, so nothing is stale."""
    settings.DEBUG = True
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_SHARED": None}
    settings.CACHES = {
        **settings.CACHES,
        "other": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
    }
    caches["other"].clear()
    client.get(detail(article))
    listing = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=title"
    client.get(listing)
    # The other process: its own cache; it never touches runserver's.
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "other"}
    run_on_commit(lambda: _retitle(article, "Published from a shell"))
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "api"}
    assert client.get(detail(article)).json()["title"] == "Published from a shell"
    assert [item["title"] for item in client.get(listing).json()["items"]] == [
        "Published from a shell"
    ]


@pytest.mark.django_db
def test_a_failing_cache_is_asked_once_per_retry_period(client, article, cache_down):
    client.get(detail(article))
    cache_down()
    FlakyCache.calls = 0
    statuses = [client.get(detail(article)).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert FlakyCache.calls == 1  # then the breaker kept every request away from it


@pytest.mark.django_db
def test_old_applied_records_are_pruned(article, run_on_commit, settings):
    from datetime import timedelta

    from django.utils import timezone

    run_on_commit(lambda: _retitle(article, "Old news"))
    old = timezone.now() - timedelta(seconds=settings.KRATOM_PAGES.get("API_CACHE_TIMEOUT", 3600))
    ChangeRecord.objects.update(applied_at=old - timedelta(minutes=5), due_at=None)
    ChangeRecord.objects.create(action="publish", page_ids=[article.pk], due_at=timezone.now())
    assert outbox.prune() >= 1
    # Applied long ago: gone. Work still owed: kept, whatever its age.
    assert [record.due_at is not None for record in ChangeRecord.objects.all()] == [True]
