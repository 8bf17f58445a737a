"""Reads around publishes, for ``make bench``: the first read after a publish, and reads
during a publish storm. The benchmark process publishes (as an editor's process would) while
gunicorn serves; both share the database and the API cache, so this needs a shared cache:
with per-process caches (BENCH_CACHE=locmem) another process's publish cannot reach the
workers, which is why the app refuses such a cache in production and these are skipped.
"""

import http.client
import json
import random
import threading
import time

from benchmarks.drivers import Result


def _get(port: int, path: str) -> tuple[float, int, dict | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    data = json.loads(body) if response.status == 200 else None
    return elapsed, response.status, data


def _publish(page_id: int, title: str) -> None:
    from kratom_pages.models import ArticlePage

    page = ArticlePage.objects.get(pk=page_id)
    page.title = title
    page.save_revision().publish()


def first_reads_after_publish(port: int, page_id: int, times: int) -> dict[str, float]:
    """p50 of the first read after each of ``times`` publishes, with and without
    prerendering; a read showing the previous title counts as stale."""
    from django.conf import settings

    results, stale = {}, 0
    for label, prerender in (("prerendered", True), ("prerender off", False)):
        settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_PRERENDER": prerender}
        latencies = []
        for n in range(times):
            title = f"Demo-size article, {label} {n}"
            _publish(page_id, title)
            elapsed, status, data = _get(port, f"/api/v2/pages/{page_id}/")
            latencies.append(elapsed)
            stale += status != 200 or data["title"] != title
        latencies.sort()
        results[label] = latencies[len(latencies) // 2]
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_PRERENDER": True}
    results["stale"] = stale
    return results


def first_listing_reads_after_publish(
    port: int, page_id: int, listing: str, times: int
) -> dict[str, float]:
    """p50 of the first read of ``listing`` (which shows page ``page_id``) after each of
    ``times`` publishes of that page: any change renews every listing, so each read misses.
    Assembled from per-page items (the published page's item prerendered) against the same
    listing rendered whole (``/bench/whole/``); a read without the new title is stale."""
    whole = listing.replace("/api/v2/", "/bench/whole/v2/", 1)
    latencies: dict[str, list[float]] = {"items": [], "whole": []}
    stale = 0
    for n in range(times):
        title = f"Listed article, publish {n}"
        _publish(page_id, title)
        for label, path in (("items", listing), ("whole", whole)):
            elapsed, status, data = _get(port, path)
            latencies[label].append(elapsed)
            titles = [item["title"] for item in (data or {}).get("items", [])]
            stale += status != 200 or title not in titles
    results = {label: sorted(each)[len(each) // 2] for label, each in latencies.items()}
    results["stale"] = stale
    return results


def publish_storm(port: int, page_ids: list[int], readers: int) -> tuple[Result, int, float]:
    """Publish every page of ``page_ids`` once while ``readers`` threads read them at random.
    A read is stale when it shows an older title than the one committed before it was sent.
    Returns the reads, the stale count and the seconds the publishes took."""
    committed = dict.fromkeys(page_ids, 0)
    latencies: list[float] = []
    stale, errors = [0], [0]
    lock = threading.Lock()
    done = threading.Event()

    def reader():
        mine, my_stale, my_errors = [], 0, 0
        while not done.is_set():
            page_id = random.choice(page_ids)
            known = committed[page_id]
            elapsed, status, data = _get(port, f"/api/v2/pages/{page_id}/")
            mine.append(elapsed)
            if status != 200:
                my_errors += 1
            elif _storm_round(data["title"]) < known:
                my_stale += 1
        with lock:
            latencies.extend(mine)
            stale[0] += my_stale
            errors[0] += my_errors

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for page_id in page_ids:
        _publish(page_id, f"Storm article {page_id} round 1")
        committed[page_id] = 1
    seconds = time.monotonic() - started
    done.set()
    for thread in threads:
        thread.join()
    latencies.sort()
    result = Result(
        requests=len(latencies),
        seconds=seconds,
        p50_ms=latencies[len(latencies) // 2] if latencies else 0.0,
        p99_ms=latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0,
        errors=errors[0],
    )
    return result, stale[0], seconds


def _storm_round(title: str) -> int:
    return 1 if title.startswith("Storm article") else 0
