"""A new Wagtail project gets every promise: ``wagtail start``, the wheel, the README's
install steps applied literally (``readme_snippets``), and then what a new user checks:
each page type in v2 and v3, what must stay hidden (drafts, private and expired pages) in
both APIs and the HTML, preview, a signed webhook, a reply, a WordPress import, freshness
after a change made by another process, and ``check --deploy`` clean with the README's
production settings. On Django 5.2 (Python 3.11) and 6.1 (Python 3.12+: what Wagtail 8's
template pins).

Run with ``make newproject`` (CI does). Each version builds a virtualenv in a temporary
folder (pip's cache makes the second run quick) and needs network access to PyPI, or a
warm pip cache.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.new_project.readme_snippets import apply, install_snippets
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.newproject

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_" + "bmV3LXByb2plY3Qtd2ViaG9vay1zZWNyZXQ="


def _python(version: str) -> str | None:
    found = shutil.which(f"python{version}")
    if found and "shims" not in found:
        return found
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    builds = sorted(pyenv.glob(f"{version}.*/bin/python{version}"))
    return str(builds[-1]) if builds else None


def _run(args, cwd, env=None, timeout=900, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _post(url: str, data: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, json.dumps(data).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from this checkout, which the build must leave untouched."""
    before = _run(["git", "status", "--porcelain", "--ignored"], ROOT).stdout
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT], ROOT)
    assert _run(["git", "status", "--porcelain", "--ignored"], ROOT).stdout == before
    return next(out.glob("kratom_pages-*.whl"))


SET_UP = textwrap.dedent(
    """
    import json
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page, PageViewRestriction

    from kratom_pages.models import (
        ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage, WebhookEndpoint,
    )

    WebhookEndpoint.objects.create(name="frontend", url="{hook}", secret="{secret}")
    home = Page.objects.get(depth=2)
    index = home.add_child(instance=KratomIndexPage(title="Kratom", slug="kratom"))
    index.save_revision().publish()

    def page(model, slug, **fields):
        made = index.add_child(instance=model(title=slug.replace("-", " "), slug=slug, **fields))
        made.save_revision().publish()
        return made

    ids = {{
        "index": index.pk,
        "article": page(ArticlePage, "an-article").pk,
        "guidelines": page(GuidelineListPage, "some-guidelines").pk,
        "faq": page(FAQPage, "an-faq").pk,
    }}
    draft = index.add_child(instance=ArticlePage(title="draft", slug="a-draft", live=False))
    draft.save_revision()
    ids["draft"] = draft.pk
    private = page(ArticlePage, "a-private-page")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    ids["private"] = private.pk
    expired = page(ArticlePage, "an-expired-page")
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    ids["expired"] = expired.pk
    preview = draft.create_page_preview()
    preview.save()
    ids["preview_token"] = preview.token
    print("IDS" + json.dumps(ids))
    """
)

RETITLE = (
    "from kratom_pages.models import ArticlePage; p = ArticlePage.objects.get(pk={pk}); "
    "p.title = 'Retitled from a shell'; p.save_revision().publish()"
)


class Project:
    """A ``wagtail start`` project in its own virtualenv, with the README's steps applied."""

    def __init__(self, root: Path, python: str, django: str, wheel: Path):
        self.root = root
        venv = root / "venv"
        _run([python, "-m", "venv", venv], root)
        self.python = str(venv / "bin" / "python")
        pip = [self.python, "-m", "pip", "install", "-q"]
        _run([*pip, "--upgrade", "pip"], root)
        _run([*pip, f"{wheel}[production]", f"Django~={django}.0"], root, timeout=1800)
        _run([venv / "bin" / "wagtail", "start", "mysite"], root)
        self.dir = root / "mysite"
        if django == "6.1":  # what the template's own requirements ask for
            _run([*pip, "-r", self.dir / "requirements.txt"], root, timeout=1800)
        for snippet in install_snippets():
            apply(snippet, self.dir)
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "mysite.settings.dev",
        }

    def manage(self, *args, env=None, check=True, timeout=900):
        return _run(
            [self.python, "manage.py", *args], self.dir, {**self.env, **(env or {})}, timeout, check
        )


@pytest.fixture(
    scope="module", params=[("5.2", "3.11"), ("6.1", "3.12")], ids=["django5.2", "django6.1"]
)
def project(request, tmp_path_factory, wheel):
    django, python_version = request.param
    python = _python(python_version) or (_python("3.13") if django == "6.1" else None)
    if python is None:
        pytest.skip(f"no Python {python_version} here for Django {django}")
    project = Project(tmp_path_factory.mktemp(f"django{django}"), python, django, wheel)
    receiver = Receiver()
    # Test scaffolding beside the README's steps: the webhook receiver is on 127.0.0.1.
    (project.dir / "mysite" / "settings" / "local.py").write_text(
        "from .base import KRATOM_PAGES as _BASE\n"
        "KRATOM_PAGES = {**_BASE, 'WEBHOOK_ALLOW_HTTP': True,"
        " 'WEBHOOK_ALLOWED_HOSTS': ['127.0.0.1']}\n"
    )
    project.manage("migrate", "--noinput", "-v", "0")
    made = project.manage("shell", "-c", SET_UP.format(hook=receiver.url, secret=SECRET))
    project.ids = json.loads(made.stdout.split("IDS", 1)[1])
    project.receiver = receiver
    port = _free_port()
    server = subprocess.Popen(
        [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=project.dir,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    project.url = f"http://127.0.0.1:{port}"
    _wait(project.url + "/api/v2/pages/")
    yield project
    server.terminate()
    server.wait(timeout=30)
    receiver.server.shutdown()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str) -> None:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_the_readme_steps_are_all_there():
    hows = {(s.path, s.how) for s in install_snippets()}
    assert hows == {
        ("mysite/settings/base.py", "append"),
        ("mysite/api.py", "new file"),
        ("mysite/urls.py", "before Wagtail's catch-all"),
        ("mysite/settings/production.py", "append"),
    }


def test_check_is_clean(project):
    result = project.manage("check", "--fail-level", "WARNING", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_type_in_both_apis(project):
    for key in ("article", "guidelines", "faq", "index"):
        for version in ("v2", "v3"):
            status, body = _get(f"{project.url}/api/{version}/pages/{project.ids[key]}/")
            assert status == 200, (key, version, body[:300])
    for listing in ("/api/v2/pages/?type=kratom_pages.ArticlePage", "/api/v3/pages/"):
        status, body = _get(project.url + listing)
        assert status == 200, body[:300]
        listed = {item["id"] for item in json.loads(body)["items"]}
        assert project.ids["article"] in listed
        assert not listed & {project.ids[k] for k in ("draft", "private", "expired")}


@pytest.mark.parametrize("hidden", ["draft", "private", "expired"])
def test_hidden_pages_stay_hidden_everywhere(project, hidden):
    page_id = project.ids[hidden]
    for version in ("v2", "v3"):
        assert _get(f"{project.url}/api/{version}/pages/{page_id}/")[0] == 404, version
    slug = {"draft": "a-draft", "private": "a-private-page", "expired": "an-expired-page"}[hidden]
    status, body = _get(f"{project.url}/kratom/{slug}/")
    # The private page answers Wagtail's password form, never the page itself.
    assert status == 404 or (status == 200 and b'name="password"' in body), (hidden, status)


def test_preview_serves_the_draft(project):
    query = f"content_type=kratom_pages.articlepage&token={project.ids['preview_token']}"
    for version in ("v2", "v3"):
        status, body = _get(f"{project.url}/api/{version}/page_preview/?{query}")
        assert status == 200, (version, body[:300])
        assert json.loads(body)["title"] == "draft"


def test_publishing_sent_a_signed_webhook(project):
    from standardwebhooks.webhooks import Webhook

    assert project.receiver.requests, "no webhook was delivered"
    for sent in project.receiver.requests:
        Webhook(SECRET).verify(sent["body"], sent["headers"])  # raises when forged
    events = project.receiver.events()
    assert project.ids["article"] in {e["page"]["id"] for e in events if e.get("page")}


def test_a_reply_is_taken(project):
    status, body = _post(
        f"{project.url}/api/v2/replies/",
        {
            "page": project.ids["article"],
            "display_name": "Reader",
            "email": "reader@example.com",
            "body": "A question for the editors.",
        },
    )
    assert status == 201, body


def test_changes_from_another_process_show_at_once(project):
    detail = f"{project.url}/api/v2/pages/{project.ids['article']}/"
    listing = f"{project.url}/api/v2/pages/?fields=title"

    def titles() -> list[str]:
        return [item["title"] for item in json.loads(_get(listing)[1])["items"]]

    _get(detail)  # cached by the running server (local memory, in DEBUG)
    before = titles()
    project.manage("shell", "-c", RETITLE.format(pk=project.ids["article"]))
    assert json.loads(_get(detail)[1])["title"] == "Retitled from a shell"
    assert "Retitled from a shell" in titles()
    export = ROOT / "tests" / "fixtures" / "wordpress" / "export.xml"
    report = project.manage("import_wordpress", export, "--parent", "/kratom/", "--publish")
    assert "Published: 1" in report.stdout, report.stdout
    assert "Kratom safety points" in titles() and "Kratom safety points" not in before


def test_check_deploy_is_clean_with_the_readme_production_settings(project, tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "mysite.settings.production",
        "SECRET_KEY": "new-project-" + "Zq9!x7#Lm2$Rt5%Wv8^Np3&Hs6*Jd4(Fg1)" * 2,
        "ALLOWED_HOSTS": "health.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }
    project.manage("migrate", "--noinput", "-v", "0", env=env)
    project.manage("createcachetable", env=env)
    result = project.manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
