"""Every output of every demo page, byte for byte: API v2 and v3 (details in every
``fields=`` and ``rich_text_format=`` variant, listings), the rendered page and its JSON-LD.

The snapshots (``__snapshots__/``) are the contract a change to how outputs are built must
keep: a refactor passes only if it writes the same bytes. An intended change of output is
reviewed as a diff of the snapshots, after::

    .venv/bin/pytest tests/demo/test_output_snapshots.py --ds=tests.demo.settings --snapshot-update

The demo is loaded and read on a fixed day (time-machine), with primary keys that start
where the migrations left them (``_align_sequences``, on SQLite and PostgreSQL alike) and
media in a folder of its own, so what is compared is exact. Only the times of day (the
clock keeps ticking through the load), CSRF tokens and block ids (random UUIDs, numbered in
order of appearance) are replaced before comparing.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from wagtail.models import Page

from kratom_pages.models import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage

PAGE_MODELS = (KratomIndexPage, ArticlePage, GuidelineListPage, FAQPage)
V2_DETAIL_VARIANTS = {
    "default": "",
    "fields-all": "?fields=*",
    "fields-title-only": "?fields=_,title",
    "db_html": "?rich_text_format=db_html",
    "markdown": "?rich_text_format=markdown",
    "db_markdown": "?rich_text_format=db_markdown",
}
V3_DETAIL_VARIANTS = {"default": "", "markdown": "?rich_text_format=markdown"}
LISTINGS = {
    "v2-all-fields": "/api/v2/pages/?fields=*&limit=50",
    "v2-articles": "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=*",
    "v2-default": "/api/v2/pages/",
    "v3-all": "/api/v3/pages/?limit=50",
}

DAY = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
_VOLATILE = [
    # Times of day on DAY (ISO 8601, in UTC or with the site's offset).
    (re.compile(rb'(?<=T)\d{2}:\d{2}:\d{2}(?:\.\d+)?(?=Z|[+-]\d{2}:\d{2}|")'), b"<time>"),
    (re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]+'), b"<csrf-token>"),
]
# Block ids (uuid4), numbered in order of first appearance: the same block keeps its number.
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class RawJSONSnapshot(SingleFileSnapshotExtension):
    """One file per output, exactly the bytes compared (readable as JSON or HTML)."""

    _write_mode = WriteMode.BINARY
    file_extension = "txt"


@pytest.fixture
def snapshot_file(snapshot):
    return snapshot.use_extension(RawJSONSnapshot)


def _normalized(body: bytes) -> bytes:
    for pattern, replacement in _VOLATILE:
        body = pattern.sub(replacement, body)
    numbered: dict[bytes, bytes] = {}

    def block_id(match):
        return numbered.setdefault(match.group(0), b"<uuid-%d>" % (len(numbered) + 1))

    return _UUID.sub(block_id, body)


def _align_sequences() -> None:
    """Every primary-key sequence restarts right after the rows the migrations made, so
    the demo gets the same ids on SQLite and PostgreSQL, whatever ran before (sequences
    are not rolled back with a test's transaction on PostgreSQL)."""
    models = apps.get_models(include_auto_created=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence")
        return
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo as loaded and read on DAY, image files in an empty folder (so none is
    renamed to avoid another) and every cache empty: Wagtail keeps renditions in a cache
    that outlives an earlier test's rolled-back rows, and a rendition of an image with the
    same id would carry that test's file name."""
    settings.MEDIA_ROOT = str(tmp_path)
    for cache in caches.all():
        cache.clear()
    _align_sequences()
    with time_machine.travel(DAY, tick=True):
        call_command("load_demo_content", verbosity=0)
        yield {model.__name__: model.objects.get() for model in PAGE_MODELS}


def _get(client, url: str) -> bytes:
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.content


@pytest.mark.django_db
def test_v2_details(demo, client, snapshot_file):
    for name, page in demo.items():
        for variant, query in V2_DETAIL_VARIANTS.items():
            body = _get(client, f"/api/v2/pages/{page.pk}/{query}")
            assert _normalized(body) == snapshot_file(name=f"v2-{name}-{variant}")


@pytest.mark.django_db
def test_v3_details(demo, client, snapshot_file):
    for name, page in demo.items():
        for variant, query in V3_DETAIL_VARIANTS.items():
            body = _get(client, f"/api/v3/pages/{page.pk}/{query}")
            assert _normalized(body) == snapshot_file(name=f"v3-{name}-{variant}")


@pytest.mark.django_db
def test_listings(demo, client, snapshot_file):
    for name, url in LISTINGS.items():
        assert _normalized(_get(client, url)) == snapshot_file(name=name)


@pytest.mark.django_db
def test_rendered_pages_and_their_json_ld(demo, client, snapshot_file):
    for name, page in demo.items():
        html = _get(client, page.url)
        json_ld = re.findall(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert json_ld, f"{name} renders no JSON-LD"
        assert _normalized(html) == snapshot_file(name=f"html-{name}")
        assert _normalized(b"\n".join(json_ld)) == snapshot_file(name=f"json-ld-{name}")


@pytest.mark.django_db
def test_snapshots_cover_every_demo_page(demo):
    served = Page.objects.live().public().type(*PAGE_MODELS).count()
    assert served == len(demo)
