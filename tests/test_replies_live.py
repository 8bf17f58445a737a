"""Concurrent reply posts against a live server: nothing lost, no 5xx.

Runs on PostgreSQL (DATABASE_URL); .ci/run runs the suite there whenever a server answers.
"""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from kratom_pages.models import ReaderReply

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "needs a server database: the test run's in-memory SQLite is one connection shared "
        "by every live-server thread. Run with DATABASE_URL=postgres://... (CI does)."
    ),
)

TOTAL = 200
THREADS = 25


def _post(url: str, payload: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_replies_are_all_stored(live_server, settings, article):
    settings.KRATOM_PAGES = {"REPLY_RATE_LIMIT": "100000/1m"}
    url = f"{live_server.url}/api/v2/replies/"
    payloads = [
        {
            "page": article.pk,
            "display_name": f"Reader {n}",
            "email": f"r{n}@example.com",
            "body": f"Reply number {n}",
        }
        for n in range(TOTAL)
    ]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(lambda p: _post(url, p), payloads))
    assert statuses.count(201) == TOTAL, sorted(set(statuses))
    assert ReaderReply.objects.filter(page=article).count() == TOTAL
    bodies = set(ReaderReply.objects.values_list("body", flat=True))
    assert bodies == {f"Reply number {n}" for n in range(TOTAL)}
