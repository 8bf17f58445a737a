"""End-to-end: the example site, the demo frontend and a real Chromium.

Runs with `make e2e`. Starts Django (runserver, SQLite in a temp dir, demo content) and the
frontend on free ports on 127.0.0.1, and drives Debian's /usr/bin/chromium through
Playwright. Skips, saying why, where no browser can be had.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Every wait is on a state (an element, a URL, a text); these bounds only say when to give
# up. On a 2-core machine with both cores busy an admin view can take 10 s to settle, so
# they are generous: a passing run is as fast as the page allows.
ACTION_TIMEOUT_MS = 30_000
EXPECT_TIMEOUT_MS = 20_000
ADMIN_PASSWORD = "e2e-admin-password"
MODERATOR_PASSWORD = "e2e-moderator-password"
# E2E_TRACE=1 records a Playwright trace of every browser context and keeps those of
# failed tests in test-artifacts/e2e/failures/; E2E_TRACE=all keeps every test's, in
# test-artifacts/e2e/traces/.
TRACE = os.environ.get("E2E_TRACE") in {"1", "all"}
KEEP_EVERY_TRACE = os.environ.get("E2E_TRACE") == "all"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="session")
def browser_path():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"No Chromium at {CHROMIUM}: `make e2e` installs Debian's chromium when run as root"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[testing]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def servers(browser_path):
    workdir = Path(tempfile.mkdtemp(prefix="kratom-e2e-"))
    api_port, frontend_port = _free_port(), _free_port()
    api, frontend = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{frontend_port}"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
        },
        "DJANGO_SETTINGS_MODULE": "example_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PORT": str(api_port),
        "FRONTEND_ORIGINS": frontend,
        "FRONTEND_PREVIEW_URL": f"{frontend}/preview",
        "DEMO_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "API_URL": api,
        "FRONTEND_PORT": str(frontend_port),
    }
    manage = [sys.executable, "example_site/manage.py"]
    for command in (["migrate", "--noinput"], ["load_demo_content"], ["ensure_demo_admin"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    # Named like the demo's own accounts (Wagtail's Account form requires a name).
    make_moderator = (
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('moderator', 'mod@example.com', '{MODERATOR_PASSWORD}', "
        "first_name='Demo', last_name='Moderator'); "
        "u.groups.add(Group.objects.get(name='Reply moderators'))"
    )
    subprocess.run(
        manage + ["shell", "-c", make_moderator], cwd=ROOT, env=env, check=True, capture_output=True
    )
    processes = [
        subprocess.Popen(
            manage + ["runserver", f"127.0.0.1:{api_port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "example_site/frontend/serve.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        _wait_for(f"{api}/api/v2/pages/")
        _wait_for(f"{frontend}/")
        yield {"api": api, "frontend": frontend}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(browser_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


FAILURES = ARTIFACTS / "failures"


def _save_failure(page, name: str) -> list[str]:
    """What ``page`` showed when its test failed: a screenshot, its HTML, its URL and its
    console errors, under test-artifacts/e2e/failures/. Returns the files written."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        path = FAILURES / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, timeout=15_000)
        written.append(str(path))
    except Exception as exc:  # noqa: BLE001 - a diagnostic must never hide the failure
        written.append(f"(no screenshot: {exc})")
    try:
        html = page.content()
    except Exception as exc:  # noqa: BLE001
        html = f"<!-- no HTML: {exc} -->"
    path = FAILURES / f"{name}.html"
    path.write_text(
        f"<!-- {page.url}\n console errors: {getattr(page, 'console_errors', [])} -->\n{html}"
    )
    written.append(str(path))
    return written


@pytest.fixture
def new_page(browser, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    contexts = []
    pages = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        if TRACE:
            context.tracing.start(screenshots=True, snapshots=True)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "report_call", None)
    if KEEP_EVERY_TRACE and not (report is not None and report.failed):
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)[:120]
        (ARTIFACTS / "traces").mkdir(exist_ok=True)
        for number, context in enumerate(contexts, 1):
            context.tracing.stop(path=str(ARTIFACTS / "traces" / f"{stem}-context{number}.zip"))
    if report is not None and report.failed:
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)[:120]
        written = []
        for number, page in enumerate(pages, 1):
            if not page.is_closed():
                written += _save_failure(page, f"{stem}-page{number}")
        for number, context in enumerate(contexts, 1):
            if TRACE:  # open with `playwright show-trace <file>`
                path = FAILURES / f"{stem}-context{number}-trace.zip"
                context.tracing.stop(path=str(path))
                written.append(str(path))
        # Shown in the failure's report section: where to look.
        report.sections.append(("e2e failure artefacts", "\n".join(written)))
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def screenshot(page, name: str, width: int, height: int = 900) -> Path:
    """A full-page screenshot of ``page`` at ``width`` px into the artifacts folder; the
    viewport keeps that width afterwards."""
    page.set_viewport_size({"width": width, "height": height})
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def reviewer_password(servers):
    """The demo reviewer's password. `ensure_demo_admin` takes it from
    DEMO_REVIEWER_PASSWORD, which the `servers` fixture may not set (then it is random):
    set a known one in the site's database unless conftest provides it."""
    provided = globals().get("REVIEWER_PASSWORD")
    if provided:
        return provided
    from tests.e2e.site_access import run_in_site

    password = "e2e-reviewer-password"
    run_in_site(
        servers["api"],
        "from django.contrib.auth.models import User; "
        "u = User.objects.get(username='reviewer'); "
        f"u.set_password('{password}'); u.save(); print('true')",
    )
    return password
