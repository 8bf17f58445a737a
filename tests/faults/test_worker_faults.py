"""The task worker dies mid-task (SIGKILL) and the CDN refuses purges: the work is done
anyway, at least once. A replaced webhook delivery repeats its ``webhook-id`` (receivers
deduplicate by it); a purge is retried until the CDN takes it. Leases are 3 s here
(``WORK_LEASE_SECONDS`` in tests/faults/settings.py; 300 s by default)."""

import json

import pytest

from tests.faults.common import new_article, reads, retitle, stale, state
from tests.faults.harness import request, wait_for
from tests.webhook_receiver import Reply

pytestmark = pytest.mark.faults


@pytest.fixture(autouse=True)
def worker_running(faults):
    if faults.site.worker.poll() is not None:  # a worker the database test left dead
        faults.site.start_worker()


def _requests_about(receiver, page_id: int) -> list[dict]:
    found = []
    for sent in list(receiver.requests):
        event = json.loads(sent["body"])
        if page_id in event.get("affected_page_ids", []):
            found.append({"id": sent["headers"]["webhook-id"], "action": event["action"]})
    return found


def _settled(faults) -> bool:
    return all(d["status"] != "pending" for d in state(faults)["deliveries"])


def test_a_webhook_delivery_survives_its_worker_being_killed(faults):
    receiver = faults.receiver
    page_id = new_article(faults)
    wait_for(lambda: _settled(faults), 30, "earlier deliveries to settle")
    already = len(_requests_about(receiver, page_id))
    receiver.released.clear()
    receiver.script = [Reply(hang=True)]  # the next delivery is held: the worker waits on it
    retitle(faults, page_id, "Announced despite the crash")
    wait_for(lambda: len(_requests_about(receiver, page_id)) > already, 30, "the delivery")
    faults.site.kill_worker()  # in the middle of the POST
    receiver.released.set()
    faults.site.start_worker()
    # The follow-up scheduled before the attempt runs when the lease ends, and sends again.
    wait_for(
        lambda: len(_requests_about(receiver, page_id)) >= already + 2,
        30,
        "the delivery to be sent again",
    )
    sent = _requests_about(receiver, page_id)[already:]
    assert {each["id"] for each in sent} == {sent[0]["id"]}  # one event, one webhook-id
    wait_for(lambda: _settled(faults), 30, "the delivery to succeed")
    assert state(faults)["deliveries"][-1]["status"] == "succeeded"
    # The task the dead worker held is not shown running for ever.
    wait_for(lambda: state(faults)["tasks_running"] == 0, 30, "no task left running")


def test_a_purge_interrupted_by_a_killed_worker_is_done_again(faults):
    purges = faults.purges
    page_id = new_article(faults)
    path = f"/api/v2/pages/{page_id}/"
    purges.held.clear()
    purges.release.clear()
    purges.hang.set()
    retitle(faults, page_id, "Purged despite the crash")
    wait_for(purges.held.is_set, 30, "the purge to reach the CDN")
    faults.site.kill_worker()
    purges.hang.clear()
    purges.release.set()
    faults.site.start_worker()
    wait_for(lambda: path in purges.purged, 30, "the purge to be sent again")
    wait_for(lambda: not state(faults)["work_owed"], 30, "no work left owed")


def test_a_purge_the_cdn_refused_is_retried_until_it_takes(faults):
    varnish = faults.varnish
    page_id = new_article(faults)
    through_cdn = f"{varnish.url}/api/v2/pages/{page_id}/"
    for _ in range(2):
        status, body, _ = request(through_cdn)
    assert json.loads(body)["title"] == "Original"
    varnish.refuse_purges(True)  # the CDN serves on, but its purge API fails
    try:
        retitle(faults, page_id, "Reaches the CDN once it takes purges")
        wait_for(lambda: state(faults)["work_owed"], 10, "the purge to be owed")
        # Direct reads are fresh meanwhile; only the CDN's copy waits for the purge.
        assert not stale(reads(faults, page_id, 8), "Reaches the CDN once it takes purges")
    finally:
        varnish.refuse_purges(False)
    wait_for(lambda: not state(faults)["work_owed"], 30, "the purge to be retried and taken")
    titles = [json.loads(request(through_cdn)[1])["title"] for _ in range(50)]
    assert titles == ["Reaches the CDN once it takes purges"] * 50
