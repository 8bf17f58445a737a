"""In-process A/B of the read paths: ``python -m benchmarks.inprocess``.

Serves each scenario through Django's WSGI handler in this process (no gunicorn, no
network), so a busy or shared machine disturbs it far less than ``benchmarks.run``'s wrk:
it reports CPU time per request (``time.process_time``, best and median of interleaved
rounds) and Python function calls per request (cProfile's count, which does not depend on
the machine at all), each cached read also as a ratio to precomputed bytes (c).

Builds a small site (the demo-size article, listings of 100 and BENCH_LISTING_LARGE pages,
default 100) in a temporary directory unless BENCH_DB names one built before (its page ids
and media are kept next to it: BENCH_DB.ids.json, BENCH_DB.media). BENCH_CACHE and
BENCH_REDIS_URL as for ``benchmarks.run``; BENCH_REQUESTS per scenario per round (2000; a
twentieth for the uncached renders), BENCH_ROUNDS (5).
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import env_int, scenarios, setup_django

UNCACHED = ("(a) ours v2 detail, uncached", "(b) core v2 detail, ids only")


def _site() -> dict:
    ids_file = Path(os.environ["BENCH_DB"] + ".ids.json")
    if ids_file.exists():
        return json.loads(ids_file.read_text())
    from django.core.management import call_command

    from benchmarks.build import build

    call_command("migrate", verbosity=0)
    ids = build(100, env_int("BENCH_LISTING_LARGE", 100))
    ids_file.write_text(json.dumps(ids))
    return ids


def _environ(url: str) -> dict:
    path, _, query = url.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "*/*",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> None:
    if "BENCH_DB" in os.environ:
        workdir = Path(os.environ["BENCH_DB"]).parent
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kratom-inprocess-"))
        os.environ["BENCH_DB"] = str(workdir / "bench.sqlite3")
    os.environ.setdefault("BENCH_MEDIA", os.environ["BENCH_DB"] + ".media")
    setup_django(workdir)
    from django.conf import settings
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client

    urls = scenarios(_site())
    cache.clear()
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    body = Client(HTTP_HOST="127.0.0.1").get(urls[UNCACHED[0]]).content
    Path(settings.MEDIA_ROOT, "precomputed.json").write_bytes(body)  # (c) serves (a)'s bytes

    handler, statuses = WSGIHandler(), []

    def get(url: str) -> None:
        answer = handler(_environ(url), lambda status, headers, exc_info=None: None)
        b"".join(answer)
        answer.close()

    def check(url: str) -> None:
        response = handler(_environ(url), lambda status, headers, exc_info=None: None)
        statuses.append(response.status_code)
        response.close()

    for url in urls.values():  # warm: imports, renditions, cache entries, the local tier
        for _ in range(3):
            check(url)
    assert set(statuses) == {200}, statuses

    requests, rounds = env_int("BENCH_REQUESTS", 2000), env_int("BENCH_ROUNDS", 5)
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    for _round in range(rounds):
        for name, url in urls.items():  # interleaved: every scenario in every round
            count = max(1, requests // 20) if name in UNCACHED else requests
            started = time.process_time()
            for _ in range(count):
                get(url)
            cpu[name].append((time.process_time() - started) / count * 1e6)
    calls = {}
    for name, url in urls.items():
        count = 10 if name in UNCACHED else 200
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(count):
            get(url)
        profile.disable()
        calls[name] = pstats.Stats(profile).total_calls / count

    limit = min(cpu["(c) precomputed bytes"])
    print(
        f"in-process, {requests} requests x {rounds} interleaved rounds (uncached: a "
        f"twentieth), CPU µs per request, API cache {os.environ.get('BENCH_CACHE', 'redis')}"
    )
    print(f"{'scenario':34} {'best':>9} {'median':>9} {'calls':>8} {'vs (c)':>7}")
    for name, times in cpu.items():
        ratio = "" if name in UNCACHED else f"{limit / min(times):6.2f}x"
        print(
            f"{name:34} {min(times):9.1f} {statistics.median(times):9.1f} "
            f"{calls[name]:8.0f} {ratio:>7}"
        )
    a, b = (min(cpu[name]) for name in UNCACHED)
    print(f"(a) / (b) CPU time: {a / b:.2f} (requests/s ratio (a) vs (b) would be {b / a:.2f}x)")


if __name__ == "__main__":
    main()
