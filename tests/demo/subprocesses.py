"""Running the example site's manage.py in a subprocess, with a clean environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by the test run itself; a subprocess names its own.
_INHERITED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}


def run_manage(*args: str, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python example_site/manage.py *args`` with ``env`` on top of ours (less the test
    run's database, cache and settings)."""
    base = {key: value for key, value in os.environ.items() if key not in _INHERITED}
    return subprocess.run(
        [sys.executable, "example_site/manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
