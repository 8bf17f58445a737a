"""What sanitising rich text and checking input bounds cost on the uncached detail.

``python -m benchmarks.output_checks`` builds a small throwaway site (the demo-size
article of ``benchmarks.build``), then serializes the article's uncached v2 detail
in-process, in interleaved rounds, with the checks on and with them switched off (nh3
replaced by the identity, bounds checks by no-ops), and prints the ratio. Target: the
checks add under 5 %.

Environment: OUTPUT_CHECKS_REQUESTS per round (default 40), OUTPUT_CHECKS_ROUNDS (5).
"""

import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from benchmarks.run import env_int, setup_django


@contextmanager
def checks_off():
    from kratom_pages import rich_text
    from kratom_pages.api import bounds

    with (
        mock.patch.object(rich_text, "sanitise", lambda html: html),
        mock.patch.object(bounds, "check_query", lambda *args, **kwargs: None),
    ):
        yield


def time_requests(client, url: str, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]
    return (time.perf_counter() - started) / count


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kratom-output-checks-"))
    setup_django(workdir)
    from django.core.management import call_command
    from django.test import Client

    from benchmarks.build import build

    call_command("migrate", verbosity=0)
    ids = build(5, 5)
    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/bench/uncached/v2/pages/{ids['article']}/"
    count, rounds = env_int("OUTPUT_CHECKS_REQUESTS", 40), env_int("OUTPUT_CHECKS_ROUNDS", 5)
    time_requests(client, url, 5)  # warm renditions and imports
    on, off = [], []
    for _ in range(rounds):
        on.append(time_requests(client, url, count))
        with checks_off():
            off.append(time_requests(client, url, count))
    with_checks, without = statistics.median(on), statistics.median(off)
    ratio = with_checks / without
    print(
        f"uncached v2 detail, {count} requests x {rounds} interleaved rounds "
        f"({os.cpu_count()} cores):"
    )
    print(f"  checks off (baseline) {without * 1000:8.2f} ms/request")
    print(f"  checks on             {with_checks * 1000:8.2f} ms/request   {ratio:.3f}x")
    print(f"target checks add < 5%  {'MET' if ratio < 1.05 else 'NOT MET'}")


if __name__ == "__main__":
    main()
