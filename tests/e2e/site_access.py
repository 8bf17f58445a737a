"""What the e2e tests beyond the headless story need from the running example site: its
database (through `manage.py shell`, for setup the admin cannot do, such as a webhook
delivery to a refused address) and logging in to the admin.

The `servers` fixture (conftest) does not say where its database is; the runserver it
started does, in its environment. It is found by the port it listens on, so parallel e2e
runs never share a database.
"""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def server_environment(api: str) -> dict[str, str]:
    """The environment of the runserver answering ``api`` (its DATABASE_URL, settings)."""
    listen = f"127.0.0.1:{urlsplit(api).port}".encode()
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            argv = (process / "cmdline").read_bytes().split(b"\0")
            if b"runserver" not in argv or listen not in argv:
                continue
            raw = (process / "environ").read_bytes()
        except OSError:  # the process ended, or is not ours
            continue
        pairs = (item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)
        return dict(pairs)
    raise RuntimeError(f"No runserver process listens on {listen.decode()}")


def run_in_site(api: str, code: str):
    """Run ``code`` in `manage.py shell` against the site's database; it may print one
    JSON value as its last line, which is returned."""
    result = subprocess.run(
        [sys.executable, "example_site/manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=server_environment(api),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py shell failed:\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def log_in(page, api: str, username: str, password: str) -> None:
    page.goto(f"{api}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{api}/admin/")
