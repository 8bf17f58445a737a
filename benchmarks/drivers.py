"""Load generators for ``make bench``: wrk when it is installed, else a Python client.

wrk is compiled and event-driven, so it can saturate the server without competing for the
interpreter; the Python client (threads, one connection each) tops out long before the
fastest scenarios do and then measures itself. Both are closed loops on keep-alive
connections and return the same ``Result``.
"""

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

WRK = shutil.which("wrk")


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers and failed connections

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def name() -> str:
    return "wrk" if WRK else "Python threads (install wrk to measure near the top)"


def drive(port: int, path: str, seconds: float, connections: int) -> Result:
    if WRK:
        return _wrk(port, path, seconds, connections)
    return _python(port, path, seconds, connections)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str, seconds: float) -> Result:
    """wrk's ``--latency`` report as a Result."""
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: (.*)$", output, re.MULTILINE):
        errors += sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    return Result(
        requests=requests,
        seconds=seconds,
        p50_ms=_milliseconds(latency["50"]) if "50" in latency else 0.0,
        p99_ms=_milliseconds(latency["99"]) if "99" in latency else 0.0,
        errors=errors,
    )


def _wrk(port: int, path: str, seconds: float, connections: int) -> Result:
    command = [
        WRK,
        "--latency",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        "--header=Host: 127.0.0.1",
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output, max(1, round(seconds)))


def _python(port: int, path: str, seconds: float, connections: int) -> Result:
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
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
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

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)

    def percentile(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    return Result(
        requests=len(ordered),
        seconds=seconds,
        p50_ms=percentile(0.50) if ordered else 0.0,
        p99_ms=percentile(0.99) if ordered else 0.0,
        errors=errors[0],
    )
