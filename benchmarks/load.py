"""Load test: ``make load`` (or ``python -m benchmarks.load``).

Serves the benchmark site with gunicorn on 127.0.0.1 and runs mixed traffic (page details,
listings, reply listings and reply posts) from LOAD_CLIENTS concurrent clients (default
50) for LOAD_SECONDS (default 60). Passes when no request got a 5xx and every reply the
server accepted (201) is stored. Uses PostgreSQL when DATABASE_URL is set.
"""

import http.client
import json
import os
import random
import threading
import time
from collections import Counter

from benchmarks.run import env_int, free_port, setup_django, start_gunicorn


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
    accepted_ids: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: Counter = Counter()
        mine_ids = []
        sent = 0
        while time.monotonic() < stop_at:
            try:
                if rng.random() < 0.2:
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
                mine[response.status] += 1
                if response.status == 201:
                    mine_ids.append(json.loads(payload)["id"])
            except (OSError, http.client.HTTPException):
                mine["connection error"] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            statuses.update(mine)
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
    total = sum(statuses.values())
    server_errors = sum(
        n for status, n in statuses.items() if isinstance(status, int) and status >= 500
    )
    print(
        f"{clients} clients, {elapsed:.0f}s, {connection.vendor}: {total} requests "
        f"({total / elapsed:.0f}/s); statuses {dict(sorted(statuses.items(), key=str))}"
    )
    print(f"replies accepted (201): {len(accepted_ids)}, stored: {stored}")
    print(f"5xx responses: {server_errors}")
    ok = server_errors == 0 and stored == len(accepted_ids) and not statuses["connection error"]
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
