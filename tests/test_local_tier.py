"""Each process's local tier over a Redis API cache: hits cost no round trip, and a change
made anywhere (another host's process, a flush, a lost link) is never served stale.

Needs Redis (KP_TEST_REDIS_URL, default redis://127.0.0.1:6379/14); skipped, saying why,
where it is unreachable. CI always has it. "Another host" is a second, independent cache
client on its own connection, writing as another process's invalidation would.
"""

import os
import time
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.checks import run_checks

from kratom_pages.models import ArticlePage
from kratom_pages.publishing import local_tier, versions
from tests.conftest import redis_unreachable

REDIS_URL = os.environ.get("KP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


_UNREACHABLE = redis_unreachable(REDIS_URL)
pytestmark = pytest.mark.skipif(bool(_UNREACHABLE), reason=_UNREACHABLE or "")


@pytest.fixture
def redis_cache(settings):
    """The API cache on Redis under a prefix of this test's own; the local tier on."""
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"kp-tier-{uuid.uuid4().hex[:8]}",
    }
    settings.CACHES = {**settings.CACHES, "default": config}
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_SHARED": None}
    local_tier.reset()
    yield config
    caches["default"].clear()
    local_tier.reset()


@pytest.fixture
def other_host(redis_cache):
    """An independent client of the same Redis, as another host's process has."""
    return RedisCache(redis_cache["LOCATION"], {"KEY_PREFIX": redis_cache["KEY_PREFIX"]})


@pytest.fixture
def redis_reads(monkeypatch):
    """How many times the API cache was asked for entries (each one a round trip)."""
    calls = []
    original = RedisCache.get_many

    def counting(self, keys, version=None):
        calls.append(list(keys))
        return original(self, keys, version=version)

    monkeypatch.setattr(RedisCache, "get_many", counting)
    return calls


def _detail(client, page):
    return client.get(f"/api/v2/pages/{page.pk}/")


def _change_title_silently(page, title):
    """A change no signal announces here, so only Redis's notice can make it visible."""
    ArticlePage.objects.filter(pk=page.pk).update(title=title)


@pytest.mark.django_db
def test_a_repeated_read_is_answered_without_fetching_it_from_redis(
    client, article, redis_cache, redis_reads
):
    first = _detail(client, article)
    assert first.status_code == 200
    asked = len(redis_reads)
    second = _detail(client, article)
    assert second.status_code == 200
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert len(redis_reads) == asked  # only a PING on the notice connection for the hit
    assert local_tier._current is not None and local_tier._current.hits >= 1


@pytest.mark.django_db
def test_a_notice_slower_than_the_change_is_waited_for(
    client, article, redis_cache, other_host, monkeypatch, settings
):
    """Redis queues a notice before it acknowledges the change, but the two travel on
    different connections: to another host the notice may arrive after that host is asked
    to read (a congested link, a retransmission). A hit is served only once a round trip
    on the notice connection shows nothing is still on its way."""
    from urllib.parse import urlsplit

    from tests.faults.harness import Proxy

    target = urlsplit(REDIS_URL)
    # Only the notices come this way, slower than a read but within the read timeout.
    slow = Proxy(target.port or 6379, delay=0.1)
    # Every hit waits for its own barrier (by default one vouches for 10 ms of hits).
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_LOCAL_BARRIER_SECONDS": 0}
    monkeypatch.setattr(
        local_tier, "redis_url", lambda alias: f"redis://127.0.0.1:{slow.port}{target.path}"
    )
    local_tier.reset()
    try:
        assert _detail(client, article).json()["title"] == article.title
        assert _detail(client, article).json()["title"] == article.title  # served locally
        _change_title_silently(article, "Corrected elsewhere")
        other_host.set(versions.page_version_key(article.pk), uuid.uuid4().hex, timeout=None)
        assert _detail(client, article).json()["title"] == "Corrected elsewhere"
        assert local_tier.current("default", versions.VERSION_PREFIXES) is not None
    finally:
        local_tier.reset()
        slow.close()


@pytest.mark.django_db
def test_one_barrier_vouches_for_the_hits_of_its_window_and_no_longer(
    client, article, redis_cache, other_host, monkeypatch, settings
):
    """A change acknowledged by Redis is seen by every read that begins a barrier window
    after it, even when its notice is slower than that: the next barrier waits for it."""
    from urllib.parse import urlsplit

    from tests.faults.harness import Proxy

    target = urlsplit(REDIS_URL)
    slow = Proxy(target.port or 6379, delay=0.1)  # notices slower than the window
    monkeypatch.setattr(
        local_tier, "redis_url", lambda alias: f"redis://127.0.0.1:{slow.port}{target.path}"
    )
    clock = [time.monotonic()]  # the tier's clock, moved by the test
    monkeypatch.setattr(
        local_tier, "time", SimpleNamespace(monotonic=lambda: clock[0], time=time.time)
    )
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_LOCAL_BARRIER_SECONDS": 0.05}
    local_tier.reset()
    try:
        _detail(client, article)  # a miss: remembered locally
        _detail(client, article)  # the first hit: one barrier
        tier = local_tier._current
        assert (tier.hits, tier.barriers) == (1, 1)
        for _ in range(5):  # hits inside the window: no round trip
            clock[0] += 0.005
            assert _detail(client, article).json()["title"] == article.title
        assert (tier.hits, tier.barriers) == (6, 1)
        _change_title_silently(article, "Corrected elsewhere")
        other_host.set(versions.page_version_key(article.pk), uuid.uuid4().hex, timeout=None)
        clock[0] += 0.05  # a window after the change: the barrier waits for its notice
        assert _detail(client, article).json()["title"] == "Corrected elsewhere"
        assert tier.barriers == 2 and local_tier._current is tier
    finally:
        local_tier.reset()
        slow.close()


@pytest.mark.django_db
def test_a_version_bumped_by_another_host_is_seen_on_the_next_read(
    client, article, redis_cache, other_host
):
    assert _detail(client, article).json()["title"] == article.title
    _change_title_silently(article, "Corrected elsewhere")
    # Until someone announces the change, the local copy is still the current one...
    assert _detail(client, article).json()["title"] == article.title
    # ...and the next read after another host's invalidation is fresh.
    other_host.set(versions.page_version_key(article.pk), uuid.uuid4().hex, timeout=None)
    assert _detail(client, article).json()["title"] == "Corrected elsewhere"


@pytest.mark.django_db
def test_a_site_wide_change_elsewhere_reaches_every_local_copy(
    client, article, redis_cache, other_host
):
    _detail(client, article)
    _change_title_silently(article, "After a settings change")
    other_host.set(versions.GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    assert _detail(client, article).json()["title"] == "After a settings change"


@pytest.mark.django_db
def test_a_flushed_cache_empties_the_local_tier(client, article, redis_cache, other_host):
    _detail(client, article)
    _change_title_silently(article, "After a flush")
    other_host.clear()
    assert _detail(client, article).json()["title"] == "After a flush"


@pytest.mark.django_db
def test_a_lost_notice_link_means_nothing_local_is_trusted(
    client, article, redis_cache, other_host
):
    import redis

    _detail(client, article)
    tier = local_tier._current
    assert tier is not None
    # The link dies; a change is announced while nobody hears it.
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=tier.client_id)
    _change_title_silently(article, "Changed while deaf")
    other_host.set(versions.page_version_key(article.pk), uuid.uuid4().hex, timeout=None)
    assert _detail(client, article).json()["title"] == "Changed while deaf"
    assert local_tier._current is not tier


@pytest.mark.django_db
def test_a_redis_reached_over_tls_serves_local_hits_and_hears_changes(
    client, article, settings, tmp_path
):
    """Managed Redis often speaks TLS only: the notice connection is then an SSL socket,
    which cannot peek, and a hit must still be served (and a change still heard)."""
    from tests.faults.harness import RedisServer

    server = RedisServer(tmp_path, tls=True)
    try:
        config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}
        settings.CACHES = {**settings.CACHES, "default": config}
        settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_SHARED": None}
        local_tier.reset()
        _detail(client, article)
        assert _detail(client, article).json()["title"] == article.title
        tier = local_tier._current
        assert tier is not None and tier.hits >= 1
        _change_title_silently(article, "Corrected over TLS")
        elsewhere = RedisCache(server.url, {})
        elsewhere.set(versions.page_version_key(article.pk), uuid.uuid4().hex, timeout=None)
        assert _detail(client, article).json()["title"] == "Corrected over TLS"
        assert local_tier._current is tier  # never dropped: no failed hit on the way
    finally:
        local_tier.reset()
        server.stop()


@pytest.mark.django_db
def test_a_dropped_tier_never_connects_again(client, article, redis_cache):
    """Another thread may still hold a tier that was just dropped: it must fail rather than
    let redis-py open a fresh connection, which would hear of no change at all."""
    _detail(client, article)
    _detail(client, article)
    tier = local_tier._current
    assert tier is not None and tier.hits >= 1
    version_keys = [versions.GENERATION_KEY, versions.page_version_key(article.pk)]
    entry_key = next(key for key in tier._entries if f":page:{article.pk}:" in key)
    local_tier.drop(tier)
    with pytest.raises(ConnectionError):
        tier.sync()
    assert tier.read(version_keys, entry_key) is None
    assert tier._connection._sock is None  # nothing was opened behind its back


@pytest.mark.django_db
def test_local_versions_are_read_again_after_their_time(
    client, article, redis_cache, redis_reads, settings
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_LOCAL_SECONDS": 1e-9}
    _detail(client, article)
    asked = len(redis_reads)
    assert _detail(client, article).status_code == 200
    assert len(redis_reads) == asked + 1


@pytest.mark.django_db
def test_switched_off_every_read_asks_redis(client, article, redis_cache, redis_reads, settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_LOCAL": False}
    _detail(client, article)
    asked = len(redis_reads)
    _detail(client, article)
    assert len(redis_reads) == asked + 1
    assert local_tier._current is None


@pytest.mark.django_db
def test_responses_larger_than_a_quarter_of_the_budget_are_not_kept(
    client, article, redis_cache, redis_reads, settings
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE_LOCAL_BYTES": 64}
    _detail(client, article)
    asked = len(redis_reads)
    assert _detail(client, article).status_code == 200
    assert len(redis_reads) == asked + 1


@pytest.mark.django_db
def test_an_unpublished_page_stops_being_served_locally(client, article, redis_cache):
    assert _detail(client, article).status_code == 200
    article.unpublish()
    assert _detail(client, article).status_code == 404


@pytest.mark.django_db
def test_no_redis_to_connect_to_serves_uncached(client, article, settings):
    settings.CACHES = {
        **settings.CACHES,
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "broken"}
    local_tier.reset()
    try:
        for _ in range(2):
            assert _detail(client, article).json()["title"] == article.title
        assert local_tier._current is None
    finally:
        local_tier.reset()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("API_CACHE_LOCAL", "yes"),
        ("API_CACHE_LOCAL_SECONDS", 0),
        ("API_CACHE_LOCAL_BYTES", "lots"),
        ("API_CACHE_LOCAL_BARRIER_SECONDS", -1),
    ],
)
def test_bad_local_tier_settings_fail_the_checks(settings, name, value):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, name: value}
    messages = [m for m in run_checks() if name in m.msg]
    assert messages and all(m.id in {"kratom_pages.E045", "kratom_pages.E046"} for m in messages)


@pytest.mark.django_db
def test_a_version_read_before_a_notice_another_thread_applied_is_not_kept(redis_cache, other_host):
    """Thread A reads a version from Redis; meanwhile it changes and thread B applies the
    notice. A must not then remember what it read, or the old version would stick."""
    tier = local_tier.current("default", versions.VERSION_PREFIXES)
    key = versions.page_version_key(1)
    tier.remember(tier.sync(), {key: "v0"})  # the key is now tracked by name
    epoch_of_a = tier.sync()
    other_host.set(key, "v2", timeout=None)  # while A's read of "v1" is in flight
    local_tier.current("default", versions.VERSION_PREFIXES)  # B applies the notice
    tier.remember(epoch_of_a, {key: "v1"}, "entry", (("v1",), b"{}", 1e12))
    assert tier.read([key], "entry") is None
