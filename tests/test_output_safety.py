"""Stored content is not trusted on output: rich text is sanitised and links to pages
readers cannot see lose their href, in every rendering (v2, v3, each rich text format,
templates, JSON-LD)."""

import json

import pytest
import wagtail_factories
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.conftest import publish
from tests.factories import ArticlePageFactory, FAQPageFactory

HOSTILE = (
    '<p>Click <a href="javascript:alert(1)">one</a>, <a href="JaVaScRiPt:alert(2)">two</a>, '
    '<a href="data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;">three</a>, '
    '<a href="https://example.org/ok" onclick="alert(4)">four</a>'
    '<img src="x" onerror="alert(5)"><script>alert(6)</script>'
    '<iframe src="https://evil.example/"></iframe><style>p{}</style></p>'
)


def _outputs(client, page) -> dict[str, str]:
    """Every public rendering of ``page``, as text."""
    return {
        "v2": client.get(f"/api/v2/pages/{page.pk}/").content.decode(),
        "v2 markdown": client.get(
            f"/api/v2/pages/{page.pk}/", {"rich_text_format": "markdown"}
        ).content.decode(),
        "v2 db_html": client.get(
            f"/api/v2/pages/{page.pk}/", {"rich_text_format": "db_html"}
        ).content.decode(),
        "v2 listing": client.get(
            "/api/v2/pages/", {"type": "kratom_pages.ArticlePage", "fields": "*"}
        ).content.decode(),
        "v3": client.get(f"/api/v3/pages/{page.pk}/").content.decode(),
        "template": client.get(page.url).content.decode(),
    }


@pytest.fixture
def hostile_article(index_page):
    page = ArticlePageFactory.build(
        slug="hostile",
        intro=HOSTILE,
        body=[
            {"type": "paragraph", "value": HOSTILE},
            {"type": "callout", "value": {"variant": "info", "title": "", "body": HOSTILE}},
        ],
    )
    index_page.add_child(instance=page)
    return publish(page)


@pytest.mark.django_db
def test_no_script_reaches_any_output(client, hostile_article):
    for name, text in _outputs(client, hostile_article).items():
        lowered = text.lower()
        for bad in ("javascript:", "data:text/html", "onclick", "onerror", "<script>alert"):
            assert bad not in lowered, (name, bad)
        assert "evil.example" not in lowered, name
        assert "example.org/ok" in lowered, name  # safe links survive


@pytest.fixture
def linked(index_page):
    hidden = {}
    for state in ("draft", "login", "password"):
        page = FAQPageFactory.build(slug=f"hidden-{state}", title=f"Hidden {state}")
        index_page.add_child(instance=page)
        if state == "draft":
            page.live = False
            page.save()
        else:
            publish(page)
            PageViewRestriction.objects.create(page=page, restriction_type=state, password="pw")
        hidden[state] = page
    links = "".join(
        f'<a linktype="page" id="{page.pk}">link to {state}</a> ' for state, page in hidden.items()
    )
    article = ArticlePageFactory.build(
        slug="links",
        body=[
            {"type": "paragraph", "value": f"<p>{links}</p>"},
            {
                "type": "related_pages",
                "value": {"heading": "More", "pages": [p.pk for p in hidden.values()]},
            },
        ],
    )
    index_page.add_child(instance=article)
    return publish(article), hidden


@pytest.mark.django_db
def test_links_to_hidden_pages_lose_their_url_everywhere(client, linked):
    article, hidden = linked
    for name, text in _outputs(client, article).items():
        for state, page in hidden.items():
            assert f"link to {state}" in text, (name, state)  # the text stays
            assert f"/hidden-{state}/" not in text, (name, state)
            assert f"Hidden {state}" not in text, (name, state)
            if "db_html" not in name:
                assert f'linktype="page" id="{page.pk}"' not in text, name


@pytest.mark.django_db
def test_images_in_restricted_collections_are_left_out(client, index_page):
    private = Collection.get_first_root_node().add_child(name="Members only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    image = wagtail_factories.ImageFactory(collection=private, title="Private scan")
    page = ArticlePageFactory.build(
        slug="private-image",
        hero_image=image,
        body=[{"type": "image", "value": {"image": image.pk, "caption": "A scan"}}],
    )
    index_page.add_child(instance=page)
    publish(page)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["hero_image"] is None
    assert data["body"][0]["value"]["image"] is None
    assert "og_image" not in json.dumps(data["structured_data"])
    html = client.get(page.url).content.decode()
    assert "Private scan" not in html and "/images/" not in html
