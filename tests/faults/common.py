"""Reads and checks the fault tests share."""

import json
import time
import uuid

from tests.faults.harness import request

READS = 50
DETAILS = ("/api/v2/pages/{id}/", "/api/v3/pages/{id}/")


def new_article(faults, title: str = "Original") -> int:
    page_id = faults.site.call("/_test/articles/", {"slug": uuid.uuid4().hex[:12], "title": title})[
        "id"
    ]
    for _ in range(2):  # cached in every process that will be read
        for url in faults.site.urls:
            for path in DETAILS:
                request(url + path.format(id=page_id))
    return page_id


def retitle(faults, page_id: int, title: str, server: int = 0) -> float:
    """Publish a new title through one server; how long the publish took."""
    started = time.monotonic()
    faults.site.call(f"/_test/articles/{page_id}/title/", {"title": title}, server=server)
    return time.monotonic() - started


def reads(faults, page_id: int, count: int = READS) -> list[tuple[int, str | None, float]]:
    """``count`` reads of the page, alternating servers and API versions:
    (status, title, seconds)."""
    results = []
    for i in range(count):
        url = faults.site.urls[i % 2] + DETAILS[(i // 2) % 2].format(id=page_id)
        status, body, seconds = request(url)
        title = json.loads(body).get("title") if status == 200 else None
        results.append((status, title, seconds))
    return results


def stale(results, title: str) -> list:
    """Every read that is not a 200 carrying ``title``."""
    return [r for r in results if r[0] != 200 or r[1] != title]


def state(faults) -> dict:
    status, body, _ = request(faults.site.urls[0] + "/_test/state/")
    assert status == 200, body
    return json.loads(body)
