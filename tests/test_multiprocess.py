"""Many processes, one truth: two separate server processes (as two hosts would be) share
PostgreSQL and Redis. Content is changed through one and read through the other; no read
may be stale.

Needs PostgreSQL (KP_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test)
and Redis (KP_TEST_REDIS_URL, default redis://127.0.0.1:6379/14); skipped, saying why,
where either is unreachable. CI always has both.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import redis_unreachable

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("KP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
READS = 50


def _reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}"
    return redis_unreachable(REDIS_URL)


pytestmark = pytest.mark.skipif(bool(_reachable()), reason=_reachable() or "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, method: str = "GET", data: dict | None = None) -> tuple[int, bytes]:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module", params=["redis", "locmem"])
def servers(request):
    """Two servers on one database; with "locmem" each keeps its own cache, as a project
    without CACHES would, and the app must then refuse to cache rather than go stale."""
    import psycopg

    name = f"kp_multiprocess_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(POSTGRES_URL, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    database_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.multiprocess_settings",
        "KP_MULTIPROCESS_DATABASE_URL": database_url,
        "KP_MULTIPROCESS_REDIS_URL": REDIS_URL,
        "KP_MULTIPROCESS_CACHE_PREFIX": name,
        "KP_MULTIPROCESS_CACHE": request.param,
    }
    processes = []
    try:
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=300,
        )
        urls = []
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}"]
                    + ["--noreload"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_until_serving(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _wait_until_serving(url: str, deadline_seconds: float = 180) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            _request(url + "/api/v2/pages/")
            return
        except OSError:
            time.sleep(0.1)  # the process is still starting
    raise RuntimeError(f"{url} did not start within {deadline_seconds} s")


def _stale_reads(url: str, page_id: int, expect) -> int:
    """Stale answers among READS rounds of reads of the page through API v2 and v3 (v3's
    cache hits are answered before django-ninja runs, v2's before DRF)."""
    stale = 0
    for _ in range(READS):
        for version in ("v2", "v3"):
            status, body = _request(f"{url}/api/{version}/pages/{page_id}/")
            if not expect(status, body):
                stale += 1
    return stale


LISTING = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=title,body"


def _listed_titles(url: str, page_id: int) -> list[str]:
    """The page's title as the v2 listing shows it ([] when it is not listed): listings that
    miss are assembled from per-page items, which must be as fresh as the detail."""
    status, body = _request(url + LISTING)
    assert status == 200, body
    return [item["title"] for item in json.loads(body)["items"] if item["id"] == page_id]


def _stale_listing_reads(url: str, page_id: int, expected: list[str]) -> int:
    return sum(_listed_titles(url, page_id) != expected for _ in range(READS))


def test_changes_through_one_process_are_never_stale_in_another(servers):
    editor, reader = servers
    status, body = _request(f"{editor}/_test/set-up/", "POST", {})
    assert status == 200, body
    page_id = json.loads(body)["article"]

    # Warm the reader's (shared) cache, then change through the editor.
    for version in ("v2", "v3"):
        status, body = _request(f"{reader}/api/{version}/pages/{page_id}/")
        assert status == 200 and json.loads(body)["title"] == "Original title"
    assert _listed_titles(reader, page_id) == ["Original title"]  # its listing item too
    _request(f"{editor}/_test/pages/{page_id}/edit/", "POST", {"title": "Corrected title"})
    assert (
        _stale_reads(
            reader, page_id, lambda s, b: s == 200 and json.loads(b)["title"] == "Corrected title"
        )
        == 0
    )
    assert _stale_listing_reads(reader, page_id, ["Corrected title"]) == 0

    # On Redis the reader answered those from its local tier (no fetch of the response), not stale.
    tier = json.loads(_request(f"{reader}/_test/local-tier/")[1])
    assert tier["hits"] > 0 or tier["backend"] == "LocMemCache"

    _request(f"{editor}/_test/pages/{page_id}/unpublish/", "POST", {})
    assert _stale_reads(reader, page_id, lambda s, b: s == 404) == 0
    assert _stale_listing_reads(reader, page_id, []) == 0

    _request(f"{editor}/_test/pages/{page_id}/republish/", "POST", {})
    assert _request(f"{reader}/api/v2/pages/{page_id}/")[0] == 200
    assert _listed_titles(reader, page_id) == ["Corrected title"]
    _request(f"{editor}/_test/pages/{page_id}/restrict/", "POST", {})
    assert _stale_reads(reader, page_id, lambda s, b: s == 404) == 0
    assert _stale_listing_reads(reader, page_id, []) == 0
