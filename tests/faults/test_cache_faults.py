"""Redis fails in every way an operator meets: down, hung, restarted from an older snapshot,
flushed, failed over to a replica that missed writes. While it is broken readers get
200s (uncached) and publishing works; once it answers again no read is stale.

Every case reads 50 times across the two server processes (four gunicorn workers), through
API v2 and v3. The site runs the shipped production settings (tests/faults/settings.py).
"""

import time

import pytest

from tests.faults.common import new_article, reads, retitle, stale
from tests.faults.harness import RedisServer, request, wait_for

pytestmark = pytest.mark.faults

# The breaker keeps a process off a failed cache this long (API_CACHE_RETRY_SECONDS).
RETRY_SECONDS = 5


def _other_reads_answer(faults, page_id: int) -> list[tuple[str, int]]:
    """Listings, replies and a page's HTML, through both servers: (url, status)."""
    paths = [
        "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=title",
        "/api/v3/pages/",
        f"/api/v2/replies/?page={page_id}",
        f"/api/v3/replies/?page={page_id}",
    ]
    return [(url + path, request(url + path)[0]) for url in faults.site.urls for path in paths]


def test_a_publish_while_redis_is_down_is_never_served_stale_after(faults):
    page_id = new_article(faults)
    faults.redis.save()
    faults.redis.kill()  # down: connections refused

    during = reads(faults, page_id, 20)
    assert not stale(during, "Original"), during
    assert all(status == 200 for _url, status in _other_reads_answer(faults, page_id))
    assert retitle(faults, page_id, "Retracted during the outage") < 2  # publishing works
    status, body, _ = request(
        faults.site.urls[1] + "/api/v2/replies/",
        "POST",
        {"page": page_id, "display_name": "R", "email": "r@example.com", "body": "outage reply"},
    )
    assert status == 201, body
    assert not stale(reads(faults, page_id, 20), "Retracted during the outage")

    faults.redis.start()  # back from its own snapshot: the old entries and versions
    assert not stale(reads(faults, page_id), "Retracted during the outage")
    time.sleep(RETRY_SECONDS + 1)  # every breaker has closed: reads go to Redis again
    assert not stale(reads(faults, page_id), "Retracted during the outage")


def test_a_restart_from_an_older_snapshot_serves_nothing_stale(faults):
    page_id = new_article(faults)
    faults.redis.save()
    retitle(faults, page_id, "Corrected after the snapshot")
    assert not stale(reads(faults, page_id, 8), "Corrected after the snapshot")  # now cached
    faults.redis.kill()
    faults.redis.start()  # the correction's invalidation and the stamp are gone
    assert not stale(reads(faults, page_id), "Corrected after the snapshot")


def test_a_hung_redis_costs_each_request_little_and_loses_nothing(faults):
    page_id = new_article(faults)
    faults.redis.hang()  # accepts connections, answers nothing
    try:
        during = reads(faults, page_id, 20)
        assert not stale(during, "Original"), during
        slowest = max(seconds for _status, _title, seconds in during)
        assert slowest < 1.0, f"a read waited {slowest:.2f} s on a hung Redis"
        assert retitle(faults, page_id, "Changed while Redis hung", server=1) < 2
    finally:
        faults.redis.resume()
    time.sleep(RETRY_SECONDS + 1)
    assert not stale(reads(faults, page_id), "Changed while Redis hung")


def test_a_flushed_redis_serves_nothing_stale(faults):
    page_id = new_article(faults)
    retitle(faults, page_id, "Before the flush")
    reads(faults, page_id, 8)
    faults.redis.client().flushall()
    assert not stale(reads(faults, page_id), "Before the flush")


def test_a_failover_to_a_replica_that_missed_writes_serves_nothing_stale(faults, tmp_path):
    replica = RedisServer(tmp_path, replica_of=faults.redis.port)
    try:
        page_id = new_article(faults)
        wait_for(
            lambda: replica.client().dbsize() == faults.redis.client().dbsize(),
            30,
            "the replica to catch up",
        )
        replica.client().replicaof("NO", "ONE")  # cut off: it misses what follows
        retitle(faults, page_id, "Written to the old primary only")
        assert not stale(reads(faults, page_id, 8), "Written to the old primary only")
        faults.proxy.switch(replica.port)  # failover: the address now leads to the replica
        assert not stale(reads(faults, page_id), "Written to the old primary only")
    finally:
        faults.proxy.switch(faults.redis.port)  # the old primary again, for later tests
        replica.stop()
    assert not stale(reads(faults, page_id), "Written to the old primary only")
