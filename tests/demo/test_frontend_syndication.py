"""The demo frontend serves /sitemap.xml and /feed.xml itself, from the API's JSON: its
serve.py against a live API on 127.0.0.1, with the demo content loaded."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import pytest
from django.core.management import call_command
from lxml import etree

from tests.test_sitemaps import NS, assert_valid, sitemap_schema  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def frontend(live_server):
    call_command("load_demo_content", verbosity=0)
    port = _free_port()
    env = {**os.environ, "API_URL": live_server.url, "FRONTEND_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "example_site/frontend/serve.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:  # until the server accepts connections (bounded)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["Content-Type"], response.read()


@pytest.mark.django_db(transaction=True)
def test_frontend_serves_its_sitemap_and_feed_from_the_api(frontend, sitemap_schema):  # noqa: F811
    content_type, body = _get(f"{frontend}/sitemap.xml")
    assert content_type.startswith("application/xml")
    document = assert_valid(sitemap_schema, body)
    locs = document.xpath("//s:url/s:loc/text()", namespaces=NS)
    # The demo's pages, at the frontend's own addresses.
    assert f"{frontend}/kratom-and-addiction-recovery/" in locs
    assert f"{frontend}/kratom-faq/" in locs and all(loc.startswith(frontend) for loc in locs)
    assert document.xpath("//image:image/image:loc/text()", namespaces=NS)  # the article's hero

    content_type, body = _get(f"{frontend}/feed.xml")
    assert content_type.startswith("application/atom+xml")
    parsed = feedparser.parse(body)
    assert parsed.version == "atom10" and not parsed.bozo, parsed.get("bozo_exception")
    links = [entry.link for entry in parsed.entries]
    assert f"{frontend}/kratom-and-addiction-recovery/" in links
    assert etree.fromstring(body).find("{http://www.w3.org/2005/Atom}author") is not None
