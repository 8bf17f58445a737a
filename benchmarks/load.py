"""Load test: ``make load`` (or ``python -m benchmarks.load``).

Serves the benchmark site with gunicorn on 127.0.0.1 and runs mixed traffic (page details,
listings, reply listings and reply posts) from LOAD_CLIENTS concurrent clients (default
50) for LOAD_SECONDS (default 60). A share of each client's requests (LOAD_HOSTILE_SHARE,
default 0.25) is hostile: malformed query strings, bodies and numbers (``hostile_requests``)
interleaved with the normal ones. Passes when no request got a 5xx, no hostile reply was
accepted, and every reply the server accepted (201) is stored. Uses PostgreSQL when
DATABASE_URL is set.
"""

import http.client
import json
import os
import random
import threading
import time
from collections import Counter

from benchmarks.run import env_int, free_port, setup_django, start_gunicorn

HUGE = "99999999999999999999"
JSON = {"Content-Type": "application/json"}


def hostile_requests(ids: dict) -> list[tuple[str, str, bytes | None, dict]]:
    """(method, path, body, headers) a client must never see a 5xx for: issue 13's
    findings and their neighbours, against v2, v3, replies, preview and template pages."""
    article = ids["article"]
    gets = [
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?search=a%22%20OR%201%3D1--",
        "/api/v3/pages/?search=a%22%20OR%201%3D1--",
        "/api/v3/pages/?search=%22",
        # Kept under gunicorn's 4 KB request line, so the app answers, not the server.
        "/api/v2/pages/?search=" + "a+" * 1900,
        "/api/v3/pages/?search=" + "a+" * 1900,
        f"/api/v2/pages/?offset={HUGE}",
        f"/api/v3/pages/?offset={HUGE}",
        f"/api/v2/replies/?page={article}&offset={HUGE}",
        f"/api/v3/replies/?page={article}&offset={HUGE}",
        "/api/v2/pages/?search=%ff%fe",
        "/api/v3/pages/?limit=1&limit=2",
        "/api/v3/pages/?offset[]=1",
        f"/api/v2/pages/?child_of={HUGE}",
        "/api/v2/pages/find/?id=",
        "/api/v2/pages/?fields=" + "title(" * 600,
        "/api/v2/page_preview/?content_type=%00&token=%ff",
        "/api/v3/page_preview/?content_type=kratom_pages.articlepage&token=nope",
        f"/api/v2/images/?offset={HUGE}",
        f"/?page={HUGE}",
        "/?page=%00&page=%ff",
    ]
    posts = [
        b'{"page": 1e400, "display_name": "a", "email": "a@example.com", "body": "b"}',
        b"[" * 30000 + b"]" * 30000,
        b'{"page": %d, "parent": 1e400}' % article,
        b'{"page": "\xff\xfe"}',
        b"\xff\xfe",
    ]
    return [("GET", path, None, {}) for path in gets] + [
        ("POST", "/api/v2/replies/", body, JSON) for body in posts
    ]


def main() -> int:
    import tempfile
    from pathlib import Path

    os.environ.setdefault("BENCH_LISTING_LARGE", "200")
    os.environ["BENCH_REPLY_RATE_LIMIT"] = "1000000/1m"  # every client shares 127.0.0.1
    setup_django(Path(tempfile.mkdtemp(prefix="kratom-load-")))
    from benchmarks.run import build_site

    ids = build_site()
    from django.db import connection

    from kratom_pages.models import ReaderReply

    connection.close()
    clients, seconds = env_int("LOAD_CLIENTS", 50), env_int("LOAD_SECONDS", 60)
    hostile_share = float(os.environ.get("LOAD_HOSTILE_SHARE", "0.25"))
    hostile = hostile_requests(ids)
    port = free_port()
    os.environ.setdefault("BENCH_WORKERS", "4")
    server = start_gunicorn(port)
    reads = [
        f"/api/v2/pages/{ids['article']}/",
        f"/api/v2/pages/?type=kratom_pages.ArticlePage&fields=*&limit=20&child_of={ids['small']}",
        f"/api/v3/pages/{ids['article']}/",
        f"/api/v2/replies/?page={ids['article']}",
    ]
    statuses: Counter = Counter()
    hostile_statuses: Counter = Counter()
    accepted_ids: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: Counter = Counter()
        mine_hostile: Counter = Counter()
        mine_ids = []
        sent = 0
        while time.monotonic() < stop_at:
            attack = rng.random() < hostile_share
            try:
                if attack:
                    method, path, body, headers = rng.choice(hostile)
                    connection.request(method, path, body, {**headers, "Host": "127.0.0.1"})
                elif rng.random() < 0.2:
                    sent += 1
                    body = json.dumps(
                        {
                            "page": ids["article"],
                            "display_name": f"Load {number}",
                            "email": f"load{number}@example.com",
                            "body": f"Load reply {number}-{sent}",
                        }
                    )
                    connection.request(
                        "POST",
                        "/api/v2/replies/",
                        body,
                        {"Content-Type": "application/json", "Host": "127.0.0.1"},
                    )
                else:
                    connection.request("GET", rng.choice(reads), headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                payload = response.read()
                (mine_hostile if attack else mine)[response.status] += 1
                if response.status == 201 and not attack:
                    mine_ids.append(json.loads(payload)["id"])
            except (OSError, http.client.HTTPException):
                mine["connection error"] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            statuses.update(mine)
            hostile_statuses.update(mine_hostile)
            accepted_ids.extend(mine_ids)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    elapsed = time.monotonic() - started

    stored = ReaderReply.objects.filter(pk__in=accepted_ids).count()
    total = sum(statuses.values()) + sum(hostile_statuses.values())
    server_errors = sum(
        n
        for status, n in (statuses + hostile_statuses).items()
        if isinstance(status, int) and status >= 500
    )
    # A hostile request may be answered (a search PostgreSQL reads as text), never stored.
    hostile_accepted = hostile_statuses[201]
    print(
        f"{clients} clients, {elapsed:.0f}s, {connection.vendor}: {total} requests "
        f"({total / elapsed:.0f}/s); statuses {dict(sorted(statuses.items(), key=str))}"
    )
    print(f"hostile requests: {dict(sorted(hostile_statuses.items(), key=str))}")
    print(f"replies accepted (201): {len(accepted_ids)}, stored: {stored}")
    print(f"5xx responses: {server_errors}; hostile replies accepted: {hostile_accepted}")
    ok = (
        server_errors == 0
        and hostile_accepted == 0
        and stored == len(accepted_ids)
        and not statuses["connection error"]
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
