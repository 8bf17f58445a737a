"""The blocks imported content needed (quotation, code, table, embed, image group): their
API values in v2 and v3, their templates, and damaged stored values."""

import pytest
import wagtail_factories
from django.test import override_settings
from wagtail.embeds.finders import get_finders
from wagtail.embeds.finders.base import EmbedFinder

from kratom_pages.blocks import TableBlock
from tests.factories import ArticlePageFactory


class OfflineFinder(EmbedFinder):
    """A provider for example.test addresses only, answered without the network."""

    def accept(self, url):
        return url.startswith("https://video.example.test/")

    def find_embed(self, url, max_width=None, max_height=None):
        return {
            "title": "A talk",
            "type": "video",
            "width": 640,
            "height": 360,
            "html": '<iframe src="https://p.test/1"></iframe>',
        }


@pytest.fixture(autouse=True)
def offline_embeds():
    get_finders.cache_clear()
    finders = [{"class": "tests.test_import_wordpress_blocks.OfflineFinder"}]
    with override_settings(WAGTAILEMBEDS_FINDERS=finders):
        yield
    get_finders.cache_clear()


@pytest.fixture
def imported_shapes(index_page):
    image = wagtail_factories.ImageFactory(title="Leaves")
    page = ArticlePageFactory.build(slug="shapes")
    page.body = [
        {
            "type": "quote",
            "value": {
                "quote": "<p>Self-reported benefits are not trial evidence.</p>",
                "citation": "An editor (fictional)",
                "source_url": "",
            },
        },
        {"type": "code", "value": {"language": "html", "code": "<script>\n  x & y\n</script>"}},
        {
            "type": "table",
            "value": {
                "caption": "Labels <compared>",
                "columns": [
                    {"type": "text", "heading": "Field"},
                    {"type": "text", "heading": "A & B"},
                ],
                "rows": [{"values": ["<p>Weight</p>", '<p><a href="https://example.org/">x</a></p>']}],
            },
        },
        {"type": "embed", "value": {"url": "https://video.example.test/talk", "caption": "Talk"}},
        {"type": "embed", "value": {"url": "https://unknown.example.test/a", "caption": ""}},
        {
            "type": "gallery",
            "value": {
                "caption": "Two photos",
                "images": [
                    {"image": image.pk, "alt_text": "", "caption": "First", "credit": ""},
                    {"image": None, "alt_text": "gone", "caption": "Missing one", "credit": ""},
                ],
            },
        },
    ]  # fmt: skip
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page, image


def _body(client, page, version):
    response = client.get(f"/api/{version}/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return {child["type"]: child["value"] for child in response.json()["body"]}


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_new_blocks_serve_their_documented_values(client, imported_shapes, version):
    page, image = imported_shapes
    body = _body(client, page, version)

    assert body["quote"] == {
        "quote": "<p>Self-reported benefits are not trial evidence.</p>",
        "citation": "An editor (fictional)",
        "source_url": "",
    }
    assert body["code"] == {"language": "html", "code": "<script>\n  x & y\n</script>"}
    assert body["table"]["header"] == ["Field", "A & B"]
    assert body["table"]["caption"] == "Labels <compared>"
    assert body["table"]["rows"][0][1].startswith('<p><a href="https://example.org/"')
    assert body["embed"]["provider"] == "unknown.example.test"  # the last of the two
    gallery = body["gallery"]
    assert [i["caption"] for i in gallery["images"]] == ["First", "Missing one"]
    assert gallery["images"][0]["image"]["id"] == image.pk
    assert gallery["images"][1]["image"] is None


@pytest.mark.django_db
def test_v2_and_v3_agree_on_the_new_blocks(client, imported_shapes):
    page, _image = imported_shapes
    assert _body(client, page, "v2") == _body(client, page, "v3")


@pytest.mark.django_db
def test_new_blocks_render_escaped_and_in_order(client, imported_shapes):
    page, _image = imported_shapes
    html = client.get(page.url).content.decode()

    assert "<cite>An editor (fictional)</cite>" in html
    assert '<pre class="kp-code" data-language="html"><code>&lt;script&gt;\n  x &amp; y\n' in html
    assert "<caption>Labels &lt;compared&gt;</caption>" in html
    assert '<th scope="col">A &amp; B</th>' in html
    assert '<iframe src="https://p.test/1"></iframe>' in html  # the provider's player
    assert '<a href="https://unknown.example.test/a">' in html  # unknown provider: a link
    assert "Two photos" in html and "First" in html
    assert html.index("kp-quote") < html.index("kp-code") < html.index("kp-table")


def test_a_damaged_table_reads_as_an_empty_table():
    block = TableBlock()

    for raw in ("junk", 5, {"columns": "x"}, {"columns": [{"type": "nope"}], "rows": [1]}):
        value = block.to_python(raw)
        assert block.get_api_representation(value) == {"caption": "", "header": [], "rows": []}
