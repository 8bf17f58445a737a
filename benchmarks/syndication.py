"""Sitemap and feed scenarios of ``make bench``, at 100 and 10,000 pages.

Two sites are added over the benchmark's sections (``small.bench``, ``large.bench``) and
named with ``?site=``, as the API lets any frontend do, so one server holds a 101-URL and a
10,001-URL sitemap; the feeds are the two sections' (``FEED_ITEMS`` entries each). Served
through gunicorn they are cache hits, measured against (s) the same 10,000-URL sitemap
file's bytes served with no work at all, from the same run. Cold renders are measured
in-process with the API cache off: time and SQL queries, which must not grow with pages.
"""

import time
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

SMALL, LARGE = "(h) sitemap.xml, 101 URLs", "(h) sitemap file, 10,000 URLs"
API_SMALL, API_LARGE = "(i) API sitemap, 101 URLs", "(i) API sitemap, 10,000 URLs"
FEED_SMALL, FEED_LARGE = "(j) Atom feed, section of 100", "(j) Atom feed, section of 10,000"
LIMIT = "(s) precomputed sitemap bytes"


def add_sites(ids: dict) -> None:
    from wagtail.models import Site

    for hostname, section in (("small.bench", ids["small"]), ("large.bench", ids["large"])):
        Site.objects.update_or_create(
            hostname=hostname, port=80, defaults={"root_page_id": section}
        )


def scenarios(ids: dict) -> dict[str, str]:
    return {
        SMALL: "/sitemap.xml?site=small.bench",
        # 10,001 URLs: /sitemap.xml is an index of two files; the first holds 10,000.
        LARGE: "/sitemap-pages.xml?site=large.bench",
        API_SMALL: "/api/v2/sitemap/?site=small.bench",
        API_LARGE: "/api/v2/sitemap/?site=large.bench",
        FEED_SMALL: f"/sections/{ids['small']}/feed.xml",
        FEED_LARGE: f"/sections/{ids['large']}/feed.xml",
        LIMIT: "/bench/precomputed-sitemap/",
    }


def _precomputed_path() -> Path:
    return Path(settings.MEDIA_ROOT) / "precomputed-sitemap.xml"


def store_precomputed(client, urls: dict[str, str]) -> None:
    """(s) serves the exact bytes of the 10,000-URL sitemap file."""
    _precomputed_path().parent.mkdir(parents=True, exist_ok=True)
    _precomputed_path().write_bytes(client.get(urls[LARGE]).content)


_precomputed = None


def precomputed(request):
    global _precomputed
    if _precomputed is None:
        _precomputed = _precomputed_path().read_bytes()
    return HttpResponse(_precomputed, content_type="application/xml")


urlpatterns = [path("bench/precomputed-sitemap/", precomputed)]


def cold_renders(urls: dict[str, str], times: int = 3) -> dict[str, tuple[float, int, int]]:
    """Best-of-``times`` milliseconds, SQL queries and bytes of each scenario rendered with
    the API cache off (every request a miss), in-process."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    measured = {}
    uncached = {**settings.KRATOM_PAGES, "API_CACHE": None}
    with override_settings(KRATOM_PAGES=uncached):
        for name, url in urls.items():
            if name == LIMIT:
                continue
            client.get(url)  # renditions and content types, once
            best = float("inf")
            for _ in range(times):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    best = min(best, (time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            measured[name] = (best, len(queries), len(response.content))
    return measured


def report(chosen: dict, cold: dict) -> None:
    """Cold renders, then the verdicts (``chosen``: the best round of each scenario)."""
    print()
    print("sitemaps and feeds, cold (API cache off, in-process, best of 3):")
    for name, (ms, queries, size) in cold.items():
        print(f"  {name:34} {ms:9.1f} ms {queries:4d} queries {size / 1024:9.1f} KiB")
    rps = {name: result.rps for name, result in chosen.items()}
    checks = [
        ("sitemap queries at 10k == at 100", cold[LARGE][1] - cold[SMALL][1]),
        ("API sitemap queries at 10k == at 100", cold[API_LARGE][1] - cold[API_SMALL][1]),
        ("feed queries at 10k == at 100", cold[FEED_LARGE][1] - cold[FEED_SMALL][1]),
    ]
    for label, difference in checks:
        print(f"target {label:38} {difference:6d}  {'MET' if difference == 0 else 'NOT MET'}")
    ratio = rps[LARGE] / rps[LIMIT]
    print(
        f"target {'(h) 10k cached >= 0.8x (s) requests/s':38} {ratio:6.2f}  "
        f"{'MET' if ratio >= 0.8 else 'NOT MET'}"
    )
    feed_ratio = chosen[FEED_LARGE].p50_ms / chosen[FEED_SMALL].p50_ms
    print(
        f"target {'(j) feed p50 at 10k <= 1.2x at 100':38} {feed_ratio:6.2f}  "
        f"{'MET' if feed_ratio <= 1.2 else 'NOT MET'}"
    )
