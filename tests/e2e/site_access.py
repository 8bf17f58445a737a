"""What the e2e tests need from the running example site: its database (through
`manage.py shell`, for setup the admin cannot do, such as a webhook delivery to a refused
address), logging in to the admin, and composing a page in the editor.

The `servers` fixture (conftest) does not say where its database is; the runserver it
started does, in its environment. It is found by the port it listens on, so parallel e2e
runs never share a database.
"""

import json
import re
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


# Wagtail's autosave (the page editor's form): settled when no save is in flight or queued
# and the form holds what the last save sent (w-unsaved takes that as its new starting
# point on each autosave success). A page without autosave, with it switched off, or
# paused by an error it does not retry, counts as settled.
AUTOSAVE_SETTLED = """() => {
    const app = window.wagtail && window.wagtail.app;
    const form = document.querySelector("form[data-edit-form]");
    if (!app || !form) return true;
    const autosave = app.getControllerForElementAndIdentifier(form, "w-autosave");
    const unsaved = app.getControllerForElementAndIdentifier(form, "w-unsaved");
    if (!autosave || !autosave.activeValue || !unsaved) return true;
    if (autosave.submitPromise || autosave.stateValue === "saving") return false;
    // Paused by an error (a validation error: nothing was saved) and not retrying.
    if (autosave.stateValue === "paused" && !autosave.retryTimeout) return true;
    return unsaved.initialFormData !== undefined && unsaved.formData === unsaved.initialFormData;
}"""


def wait_for_autosave(page) -> None:
    """Wait until the editor's autosave has caught up with the form, before an explicit
    Save draft, Publish or Submit. Pressed while an autosave is in flight, they race it:
    the first autosave of a new page creates the page, and a Save draft sent to the create
    URL meanwhile fails on its own slug ("already in use"); a later one makes Wagtail ask
    about "a new version saved in another window"."""
    page.wait_for_function(AUTOSAVE_SETTLED, polling=100)


def insert_block(page, label: str) -> None:
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def type_rich_text(page, field_id: str, text: str) -> None:
    from playwright.sync_api import expect

    editor = (
        page.locator(f"[data-contentpath] input#{field_id}")
        .locator("xpath=..")
        .locator("[contenteditable=true]")
    )
    if not editor.count():
        editor = page.locator(f"#{field_id}").locator("xpath=..").locator("[contenteditable=true]")
    editor.first.click()
    page.keyboard.type(text)
    # Draftail copies its content into the form's input a moment later: a save or submit
    # pressed before that sends the field empty (and is refused for it).
    expect(page.locator(f"input#{field_id}").first).to_have_value(re.compile(re.escape(text)))
