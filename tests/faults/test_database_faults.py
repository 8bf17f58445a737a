"""PostgreSQL goes away under load and comes back: every connection of the site is cut,
then the database refuses connections for a while. Readers get 200, or a 503 with a JSON
message while it is gone (never a 500 or a traceback); no reply that was answered 201 is
lost; and the site recovers without a restart (``CONN_HEALTH_CHECKS``)."""

import json
import threading
import time
import uuid

import pytest

from tests.faults.common import new_article, reads, stale
from tests.faults.harness import request

pytestmark = pytest.mark.faults


def _cut_connections(faults) -> None:
    faults.admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [faults.database],
    )


def _allow_connections(faults, allow: bool) -> None:
    faults.admin.execute(
        f'ALTER DATABASE "{faults.database}" WITH ALLOW_CONNECTIONS {"true" if allow else "false"}'
    )


def test_the_database_going_away_under_load_loses_nothing(faults):
    page_id = new_article(faults, "Read under load")
    outcomes: list[tuple[str, int, bytes, str]] = []
    stop = threading.Event()

    paths = (f"/api/v2/pages/{page_id}/", "/api/v2/pages/", f"/api/v3/pages/{page_id}/")

    def load(server: int) -> None:
        base = faults.site.urls[server]
        while not stop.is_set():
            for path in paths:
                status, body, _ = request(base + path)
                outcomes.append(("read", status, body, ""))
            text = f"load reply {uuid.uuid4().hex}"
            status, body, _ = request(
                base + "/api/v2/replies/",
                "POST",
                {"page": page_id, "display_name": "L", "email": "l@example.com", "body": text},
            )
            outcomes.append(("reply", status, body, text))

    threads = [threading.Thread(target=load, args=(server,)) for server in (0, 1)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        for _ in range(3):  # every connection the site holds, cut under its feet
            _cut_connections(faults)
            time.sleep(0.5)
        _allow_connections(faults, False)  # gone: new connections are refused
        _cut_connections(faults)
        time.sleep(3)
        _allow_connections(faults, True)
        time.sleep(2)
    finally:
        _allow_connections(faults, True)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    statuses = {status for _kind, status, _body, _text in outcomes}
    assert statuses <= {200, 201, 503}, statuses
    assert 503 in statuses, "the outage was never seen: the test did not cut anything"
    for _kind, status, body, _text in outcomes:
        if status == 503:
            assert "temporarily unavailable" in json.loads(body)["message"]
    # Recovered without a restart.
    assert not stale(reads(faults, page_id, 20), "Read under load")
    # Every reply answered 201 is stored; none that failed is half there.
    stored = set(json.loads(request(faults.site.urls[0] + "/_test/state/")[1])["reply_bodies"])
    accepted = {text for kind, status, _b, text in outcomes if kind == "reply" and status == 201}
    refused = {text for kind, status, _b, text in outcomes if kind == "reply" and status != 201}
    assert accepted and accepted <= stored
    assert not (refused & stored), "a reply answered as failed was stored anyway"
