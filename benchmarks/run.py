"""kratom-pages API benchmark: ``make bench`` (or ``python -m benchmarks.run``).

Builds a throwaway site, serves it with gunicorn on 127.0.0.1, drives each scenario with
wrk (``benchmarks.drivers``; a Python client when wrk is missing, with a note) in
interleaved rounds, and prints requests/s, p50/p99 latency and SQL queries per request,
each also as a ratio to the core-Wagtail baseline (b) and to precomputed bytes (c)
measured in the same run, then sitemaps and feeds at 100 and 10,000 pages
(``benchmarks.syndication``) and the reads around publishes (``benchmarks.publishing``).
Every target's verdict is printed.

Environment: BENCH_CACHE (redis, the default, or locmem), BENCH_LISTING_LARGE (default
10000), BENCH_SECONDS per scenario per round (default 3), BENCH_ROUNDS (3),
BENCH_CONNECTIONS (8), BENCH_WORKERS (2), DATABASE_URL to benchmark on PostgreSQL instead
of SQLite (the database is dropped and rebuilt).
"""

import datetime
import http.client
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import drivers, publishing, syndication

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
        "(c') precomputed bytes under /api/": "/api/bench/precomputed/",
        "(d) ours v2 detail, cached": f"/api/v2/pages/{ids['article']}/",
        "(e) listing fields=*, 100 pages": listing.format(ids["small"]),
        "(e) listing fields=*, 10k pages": listing.format(ids["large"]),
        "(f) ours v3 detail": f"/api/v3/pages/{ids['article']}/",
        "(g) v3 listing, 20 of 100 pages": (
            f"/api/v3/pages/?type=kratom_pages.ArticlePage&limit=20&child_of={ids['small']}"
        ),
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


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kratom-bench-"))
    setup_django(workdir)
    ids = build_site()
    syndication.add_sites(ids)
    urls = {**scenarios(ids), **syndication.scenarios(ids)}
    from django.test import Client

    syndication.store_precomputed(Client(HTTP_HOST="127.0.0.1"), urls)
    queries = count_queries(urls)
    cold = syndication.cold_renders({name: urls[name] for name in syndication.scenarios(ids)})
    from django.db import connection
    from wagtail.models import Page

    storm_ids = list(
        Page.objects.filter(depth__gt=1)
        .child_of(Page.objects.get(pk=ids["small"]))
        .values_list("pk", flat=True)
    )
    vendor = connection.vendor
    connection.close()

    port = free_port()
    server = start_gunicorn(port)
    seconds, rounds = float(os.environ.get("BENCH_SECONDS", 3)), env_int("BENCH_ROUNDS", 3)
    connections = env_int("BENCH_CONNECTIONS", 8)
    results: dict[str, list[drivers.Result]] = {name: [] for name in urls}
    publishing_results = None
    try:
        for url in urls.values():  # warm each worker (imports, caches, renditions)
            drivers.drive(port, url, 2, connections)
        for round_number in range(1, rounds + 1):
            for name, url in urls.items():  # interleaved: every scenario in every round
                results[name].append(drivers.drive(port, url, seconds, connections))
            print(f"round {round_number}/{rounds} done")
        if os.environ.get("BENCH_CACHE", "redis") == "redis":
            listed = storm_ids[0]  # shown by the 100-page listing, ordered by id
            publishing_results = (
                publishing.first_reads_after_publish(port, ids["article"], times=10),
                publishing.first_listing_reads_after_publish(
                    port, listed, urls["(e) listing fields=*, 100 pages"] + "&order=id", times=10
                ),
                publishing.publish_storm(port, storm_ids, readers=4),
            )
    finally:
        server.terminate()
        server.wait(timeout=10)

    report(results, queries, vendor, seconds, rounds, connections)
    syndication.report({name: best(runs) for name, runs in results.items()}, cold)
    report_publishing(publishing_results, results)


def best(runs: list) -> "drivers.Result":
    """The round with the most requests/s: on a shared machine, the least disturbed."""
    return max(runs, key=lambda result: result.rps)


def report(results, queries, vendor, seconds, rounds, connections) -> None:
    chosen = {name: best(runs) for name, runs in results.items()}
    rps = {name: result.rps for name, result in chosen.items()}
    baseline, limit = "(b) core v2 detail, ids only", "(c) precomputed bytes"
    print()
    print(
        f"kratom-pages benchmark, {datetime.date.today()}, {platform.machine()} "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {vendor}, "
        f"gunicorn {os.environ.get('BENCH_WORKERS', 2)} sync workers, "
        f"API cache {os.environ.get('BENCH_CACHE', 'redis')}, load from {drivers.name()}, "
        f"{connections} connections, best of {rounds} interleaved rounds x {seconds:g}s"
    )
    header = (
        f"{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>7} "
        f"{'vs (b)':>7} {'vs (c)':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, result in chosen.items():
        print(
            f"{name:34} {rps[name]:8.1f} {result.p50_ms:8.2f} {result.p99_ms:8.2f} "
            f"{queries[name]:7d} {rps[name] / rps[baseline]:6.2f}x "
            f"{rps[name] / rps[limit]:6.2f}x {sum(r.errors for r in results[name]):6d}"
        )
    print()
    a, d, f = "(a) ours v2 detail, uncached", "(d) ours v2 detail, cached", "(f) ours v3 detail"
    small, large = "(e) listing fields=*, 100 pages", "(e) listing fields=*, 10k pages"
    checks = [
        ("(a) >= 1.0x (b) requests/s", rps[a] / rps[baseline], rps[a] >= rps[baseline]),
        ("(d) >= 0.8x (c) requests/s", rps[d] / rps[limit], rps[d] >= 0.8 * rps[limit]),
        ("(f) >= 0.8x (c) requests/s", rps[f] / rps[limit], rps[f] >= 0.8 * rps[limit]),
        (
            "(e) 100 pages >= 0.5x (c) requests/s",
            rps[small] / rps[limit],
            rps[small] >= 0.5 * rps[limit],
        ),
        (
            "(e) p50 at 10k <= 1.2x p50 at 100",
            chosen[large].p50_ms / chosen[small].p50_ms,
            chosen[large].p50_ms <= 1.2 * chosen[small].p50_ms,
        ),
        (
            "(e) queries at 10k == at 100",
            queries[large] - queries[small],
            queries[large] == queries[small],
        ),
    ]
    for label, value, met in checks:
        print(f"target {label:38} {value:6.2f}  {'MET' if met else 'NOT MET'}")
    total_errors = sum(r.errors for runs in results.values() for r in runs)
    print(f"errors (non-200 or failed requests): {total_errors}")


def report_publishing(publishing_results, results) -> None:
    print()
    if publishing_results is None:
        print(
            "publish scenarios skipped: with per-process caches (BENCH_CACHE=locmem) a publish "
            "in another process cannot reach the workers (the app refuses them in production)"
        )
        return
    first, listing, (storm, stale, seconds) = publishing_results
    cached_p50 = best(results["(d) ours v2 detail, cached"]).p50_ms
    print(
        f"first read after a publish, p50: {first['prerendered']:.2f} ms prerendered, "
        f"{first['prerender off']:.2f} ms with prerendering off; stale: {first['stale']}"
    )
    print(
        f"first listing read after a publish (fields=*, 20 of 100), p50: "
        f"{listing['items']:.2f} ms from per-page items, {listing['whole']:.2f} ms rendered "
        f"whole ({listing['whole'] / listing['items']:.1f}x); stale: {listing['stale']}"
    )
    print(
        f"publish storm: {storm.requests} reads while publishing 100 pages "
        f"in {seconds:.1f}s: p50 {storm.p50_ms:.2f} ms, p99 {storm.p99_ms:.2f} ms, "
        f"stale {stale}, errors {storm.errors}"
    )
    checks = [
        (
            "first read after publish <= 3x (d) p50",
            first["prerendered"] / cached_p50,
            first["prerendered"] <= 3 * cached_p50,
        ),
        (
            "listing after publish <= 0.5x whole",
            listing["items"] / listing["whole"],
            listing["items"] <= 0.5 * listing["whole"],
        ),
        (
            "stale reads == 0",
            first["stale"] + listing["stale"] + stale,
            first["stale"] + listing["stale"] + stale == 0,
        ),
        ("storm errors == 0", storm.errors, storm.errors == 0),
    ]
    for label, value, met in checks:
        print(f"target {label:38} {value:6.2f}  {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
