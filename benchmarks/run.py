"""kratom-pages API benchmark: ``make bench`` (or ``python -m benchmarks.run``).

Builds a throwaway site, serves it with gunicorn on 127.0.0.1, drives each scenario with a
bounded closed-loop load generator in interleaved rounds, and prints requests/s, p50/p99
latency and SQL queries per request, each also as a ratio to the core-Wagtail baseline (b)
and to precomputed bytes (c) measured in the same run.

Environment: BENCH_LISTING_LARGE (default 10000), BENCH_SECONDS per scenario per round
(default 3), BENCH_ROUNDS (3), BENCH_CONCURRENCY (4), BENCH_WORKERS (2), DATABASE_URL to
benchmark on PostgreSQL instead of SQLite (the database is dropped and rebuilt).
"""

import datetime
import http.client
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.setdefault("BENCH_DB", str(workdir / "bench.sqlite3"))
    os.environ.setdefault("BENCH_MEDIA", str(workdir / "media"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_site() -> dict:
    from django.core.management import call_command

    from benchmarks.build import build

    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    cache.clear()  # entries of an earlier run would name this run's page ids
    started = time.monotonic()
    ids = build(100, env_int("BENCH_LISTING_LARGE", 10000), progress=print)
    print(f"Built the site in {time.monotonic() - started:.0f}s ({ids['blocks']} blocks).")
    return ids


def scenarios(ids: dict) -> dict[str, str]:
    listing = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=*&limit=20&child_of={}"
    return {
        "(a) ours v2 detail, uncached": f"/bench/uncached/v2/pages/{ids['article']}/",
        "(b) core v2 detail, ids only": f"/bench/core/v2/pages/{ids['plain']}/",
        "(c) precomputed bytes": "/bench/precomputed/",
        "(d) ours v2 detail, cached": f"/api/v2/pages/{ids['article']}/",
        "(e) listing fields=*, 100 pages": listing.format(ids["small"]),
        "(e) listing fields=*, 10k pages": listing.format(ids["large"]),
        "(f) ours v3 detail": f"/api/v3/pages/{ids['article']}/",
    }


def count_queries(urls: dict[str, str]) -> dict[str, int]:
    """SQL queries per request, measured in-process on a warm second request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    # (c) serves the exact bytes of (a).
    body = client.get(urls["(a) ours v2 detail, uncached"]).content
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "precomputed.json").write_bytes(body)
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code, response.content[:300])
        counts[name] = len(queries)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "benchmarks.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(env_int("BENCH_WORKERS", 2)),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                "GET", "/bench/precomputed/"
            )
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def drive(port: int, url: str, seconds: float, concurrency: int) -> tuple[list[float], int]:
    """Closed loop: each client sends its next request when the last one returns."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kratom-bench-"))
    setup_django(workdir)
    ids = build_site()
    urls = scenarios(ids)
    queries = count_queries(urls)
    from django.db import connection

    vendor = connection.vendor
    connection.close()

    port = free_port()
    server = start_gunicorn(port)
    seconds, rounds = float(os.environ.get("BENCH_SECONDS", 3)), env_int("BENCH_ROUNDS", 3)
    concurrency = env_int("BENCH_CONCURRENCY", 4)
    results = {name: {"latencies": [], "errors": 0, "time": 0.0} for name in urls}
    try:
        for url in urls.values():  # warm each worker's caches
            drive(port, url, 0.5, concurrency)
        for round_number in range(1, rounds + 1):
            for name, url in urls.items():  # interleaved: every scenario in every round
                latencies, errors = drive(port, url, seconds, concurrency)
                results[name]["latencies"] += latencies
                results[name]["errors"] += errors
                results[name]["time"] += seconds
            print(f"round {round_number}/{rounds} done")
    finally:
        server.terminate()
        server.wait(timeout=10)

    report(results, queries, vendor, seconds, rounds, concurrency)


def report(results, queries, vendor, seconds, rounds, concurrency) -> None:
    rps = {name: len(r["latencies"]) / r["time"] for name, r in results.items()}
    p50 = {name: percentile(r["latencies"], 0.50) * 1000 for name, r in results.items()}
    p99 = {name: percentile(r["latencies"], 0.99) * 1000 for name, r in results.items()}
    baseline, limit = "(b) core v2 detail, ids only", "(c) precomputed bytes"
    print()
    print(
        f"kratom-pages benchmark, {datetime.date.today()}, {platform.machine()} "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {vendor}, "
        f"gunicorn {os.environ.get('BENCH_WORKERS', 2)} sync workers, "
        f"API cache {os.environ.get('BENCH_CACHE', 'redis')}, "
        f"{concurrency} clients, {rounds} interleaved rounds x {seconds:g}s"
    )
    header = (
        f"{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>7} "
        f"{'vs (b)':>7} {'vs (c)':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for name in results:
        print(
            f"{name:34} {rps[name]:8.1f} {p50[name]:8.2f} {p99[name]:8.2f} {queries[name]:7d} "
            f"{rps[name] / rps[baseline]:6.2f}x {rps[name] / rps[limit]:6.2f}x "
            f"{results[name]['errors']:6d}"
        )
    print()
    a, d = "(a) ours v2 detail, uncached", "(d) ours v2 detail, cached"
    small, large = "(e) listing fields=*, 100 pages", "(e) listing fields=*, 10k pages"
    checks = [
        ("(a) >= 1.0x (b) requests/s", rps[a] / rps[baseline], rps[a] >= rps[baseline]),
        ("(d) >= 0.8x (c) requests/s", rps[d] / rps[limit], rps[d] >= 0.8 * rps[limit]),
        (
            "(e) p50 at 10k <= 1.2x p50 at 100",
            p50[large] / p50[small],
            p50[large] <= 1.2 * p50[small],
        ),
        (
            "(e) queries at 10k == at 100",
            queries[large] - queries[small],
            queries[large] == queries[small],
        ),
    ]
    for label, value, met in checks:
        print(f"target {label:38} {value:6.2f}  {'MET' if met else 'NOT MET'}")
    total_errors = sum(r["errors"] for r in results.values())
    print(f"errors (non-200 or failed requests): {total_errors}")


if __name__ == "__main__":
    main()
