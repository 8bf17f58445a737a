"""API responses behind a real Varnish: what changes reaches readers through the CDN.

The test starts Varnish on 127.0.0.1 in front of Django's live server, with the VCL the
README recommends (PURGE bans the path and every query-string variant of it), configures
``WAGTAILFRONTENDCACHE`` to purge through it, and checks that a publish, the unpublish of
a linked page and a view restriction each reach readers with no stale read.

Varnish comes from Debian's ``varnish`` package: installed here when missing and running
as root with apt-get; otherwise skipped, saying why.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from wagtail.models import PageViewRestriction, Site

from tests.conftest import publish
from tests.factories import ArticlePageFactory

VCL = """
vcl 4.1;

backend django {{ .host = "127.0.0.1"; .port = "{port}"; }}

sub vcl_recv {{
    if (req.method == "PURGE") {{
        if (client.ip != "127.0.0.1") {{ return (synth(405, "Not allowed")); }}
        # The detail path and every variant of it (?fields=..., ?rich_text_format=...).
        ban("obj.http.x-url ~ ^" + regsub(req.url, "\\?.*$", ""));
        return (synth(200, "Purged"));
    }}
}}

sub vcl_backend_response {{
    set beresp.http.x-url = bereq.url;
}}

sub vcl_deliver {{
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {{ set resp.http.X-Cache = "HIT"; }}
    unset resp.http.x-url;
}}
"""


def _varnishd() -> str | None:
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    subprocess.run(
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish",
        shell=True,
        capture_output=True,
        timeout=600,
    )
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture
def varnish(live_server):
    binary = _varnishd()
    if binary is None:
        pytest.skip("Varnish is not installed and cannot be installed here (needs root + apt)")
    workdir = tempfile.mkdtemp(prefix="kp-varnish-")
    vcl_path = os.path.join(workdir, "default.vcl")
    with open(vcl_path, "w") as vcl:
        vcl.write(VCL.format(port=live_server.url.rsplit(":", 1)[1]))
    # varnishd drops root for its own user, which must read the VCL and the work dir.
    os.chmod(workdir, 0o755)
    os.chmod(vcl_path, 0o644)
    port = _free_port()
    process = subprocess.Popen(
        [binary, "-F", "-a", f"127.0.0.1:{port}", "-f", vcl_path, "-n", workdir]
        + ["-s", "malloc,32m", "-p", "default_grace=0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("varnishd exited: " + process.stderr.read().decode()[-2000:])
        try:
            _get(url + "/api/v2/pages/")
            break
        except OSError:
            time.sleep(0.1)  # varnishd is still compiling its VCL
    yield url
    process.terminate()
    process.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def cdn_settings(settings, varnish, live_server):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish,
        }
    }
    host, port = live_server.url.split("//")[1].split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    return settings


def _read(varnish, page, query="") -> tuple[int, dict | None, str]:
    status, body, headers = _get(f"{varnish}/api/v2/pages/{page.pk}/{query}")
    import json

    return status, (json.loads(body) if status == 200 else None), headers.get("X-Cache", "")


@pytest.mark.django_db(transaction=True)
def test_changes_reach_readers_through_varnish(cdn_settings, varnish, index_page, faq_page):
    article = ArticlePageFactory.build(
        slug="behind-cdn",
        title="Before",
        body=[{"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}}],
    )
    index_page.add_child(instance=article)
    publish(article)

    for query in ("", "?fields=title"):
        _read(varnish, article, query)
        status, data, cache_state = _read(varnish, article, query)
        assert status == 200 and cache_state == "HIT"  # Varnish really is caching

    article.title = "After"
    publish(article)
    for query in ("", "?fields=title"):
        status, data, _state = _read(varnish, article, query)
        assert data["title"] == "After", query

    _read(varnish, article)
    faq_page.unpublish()
    status, data, _state = _read(varnish, article)
    assert data["body"][0]["value"]["pages"] == []

    _read(varnish, article)
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert _read(varnish, article)[0] == 404
