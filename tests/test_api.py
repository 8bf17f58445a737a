"""The headless API: expanded block values, both API versions, bulk loading, SEO."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kratom_pages.blocks import ArticleBodyBlock
from tests.factories import ArticlePageFactory, faq_block, numbered_block


def _detail(client, page, version="v2", **params):
    response = client.get(f"/api/{version}/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _by_type(body, block_type):
    return [child["value"] for child in body if child["type"] == block_type]


def _walk(value, path="body"):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, f"{path}[{index}]")
    else:
        yield path, value


def _image_block(image):
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": "", "caption": "c", "credit": ""},
    }


def _related_block(*pages):
    return {"type": "related_pages", "value": {"heading": "More", "pages": [p.pk for p in pages]}}


@pytest.fixture
def image(db):
    return wagtail_factories.ImageFactory(title="Leaves", file__width=1600, file__height=900)


@pytest.fixture
def rich_article(index_page, faq_page, image):
    page = ArticlePageFactory.build(slug="rich", hero_image=image)
    page.body = [
        {"type": "heading", "value": {"text": "What is kratom?", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": f'<p>See <a linktype="page" id="{faq_page.pk}">the FAQ</a>.</p>',
        },
        _image_block(image),
        numbered_block("Pain relief", "Withdrawal"),
        _related_block(faq_page),
        faq_block("Is it approved?"),
    ]
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_article_detail_has_no_bare_ids_in_body(client, rich_article, faq_page, image):
    data = _detail(client, rich_article)
    body = data["body"]
    [img] = _by_type(body, "image")
    assert img["image"]["id"] == image.pk
    assert set(img["image"]) == {
        *("id", "title", "alt", "decorative", "width", "height", "aspect_ratio"),
        *("focal_point", "dominant_color", "placeholder", "sources", "fallback", "sizes"),
        "renditions",
    }
    assert set(img["image"]["renditions"]) == {"small", "medium", "large", "og"}
    assert img["image"]["renditions"]["small"]["url"].startswith("http://testserver/")
    [related] = _by_type(body, "related_pages")
    assert related["pages"] == [
        {"id": faq_page.pk, "title": faq_page.title, "url": "/faq/", "type": "kratom_pages.FAQPage"}
    ]
    for path, value in _walk(body):
        if type(value) is int and not path.endswith(("number", "width", "height", "year")):
            assert path.endswith(".id"), f"bare id at {path}"


@pytest.mark.django_db
def test_rich_text_comes_as_frontend_html_by_default(client, rich_article):
    body = _detail(client, rich_article)["body"]
    [paragraph] = _by_type(body, "paragraph")
    assert paragraph == '<p>See <a href="/faq/">the FAQ</a>.</p>'
    db_html = _by_type(
        _detail(client, rich_article, rich_text_format="db_html")["body"], "paragraph"
    )
    assert 'linktype="page"' in db_html[0]


@pytest.mark.django_db
def test_unknown_rich_text_format_is_a_400_with_a_message(client, rich_article):
    response = client.get(f"/api/v2/pages/{rich_article.pk}/", {"rich_text_format": "pdf"})
    assert response.status_code == 400
    assert "message" in response.json()


@pytest.mark.django_db
def test_block_values_are_explicit(client, rich_article):
    body = _detail(client, rich_article)["body"]
    [heading] = _by_type(body, "heading")
    assert heading == {"text": "What is kratom?", "level": "h2", "anchor": "what-is-kratom"}
    [sections] = _by_type(body, "numbered_sections")
    assert [(i["number"], i["heading"]) for i in sections["items"]] == [
        (1, "Pain relief"),
        (2, "Withdrawal"),
    ]
    citation = sections["items"][0]["citations"][0]
    assert citation["number"] == 1
    assert citation["source"]["url"].startswith("https://example.org/study-")
    assert sections["items"][0]["evidence_level"] == "limited"
    [faq] = _by_type(body, "faq")
    assert faq["items"] == [
        {
            "question": "Is it approved?",
            "answer": "<p>Answer to Is it approved?</p>",
            "citations": [],
        }
    ]


@pytest.mark.django_db
def test_guideline_kind_is_explicit(client, guideline_page):
    body = _detail(client, guideline_page)["body"]
    item = body[0]["value"]["items"][0]
    assert item["kind"] == "caution" and item["kind_label"] == "Caution"
    assert item["label"] == "Start low"


@pytest.mark.django_db
def test_deleted_image_and_unpublished_page_do_not_break_the_api(
    client, rich_article, image, faq_page
):
    faq_page.unpublish()
    image.delete()
    data = _detail(client, rich_article)
    [img] = _by_type(data["body"], "image")
    assert img["image"] is None
    assert _by_type(data["body"], "related_pages")[0]["pages"] == []
    assert data["hero_image"] is None
    assert data["seo"]["og_image"] is None


@pytest.mark.django_db
def test_private_page_is_not_linked(client, rich_article, faq_page):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=faq_page, restriction_type="login")
    data = _detail(client, rich_article)
    assert _by_type(data["body"], "related_pages")[0]["pages"] == []


@pytest.mark.django_db
def test_seo_fields(client, rich_article, image):
    seo = _detail(client, rich_article)["seo"]
    assert seo["title"] == rich_article.title
    assert seo["canonical_url"] == "http://testserver/rich/"
    assert seo["og_image"]["width"] == 1200 and seo["og_image"]["height"] == 630
    assert seo["description"] == "A lede."


@pytest.fixture
def uncached_api(settings):
    """Measure serialization itself, not the representation cache."""
    settings.KRATOM_PAGES = {**getattr(settings, "KRATOM_PAGES", {}), "API_CACHE": "dummy"}


def _count_queries(client, url):
    client.get(url)  # warm: renditions are made once, on first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _article_with_blocks(index_page, slug, count, image, linked):
    body = []
    for _ in range(count):
        body += [_image_block(image), _related_block(linked)]
        body.append(
            {"type": "paragraph", "value": f'<p><a linktype="page" id="{linked.pk}">x</a></p>'}
        )
    page = ArticlePageFactory.build(slug=slug, hero_image=image, body=body)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_detail_query_count_is_the_same_for_1_and_50_blocks(
    client, uncached_api, index_page, faq_page
):
    images = [wagtail_factories.ImageFactory() for _ in range(2)]
    small = _article_with_blocks(index_page, "small", 1, images[0], faq_page)
    large = _article_with_blocks(index_page, "large", 50, images[1], faq_page)
    for version in ("v2", "v3"):
        small_count = _count_queries(client, f"/api/{version}/pages/{small.pk}/")
        large_count = _count_queries(client, f"/api/{version}/pages/{large.pk}/")
        assert small_count == large_count, (version, small_count, large_count)


@pytest.mark.django_db
def test_detail_query_count_is_the_same_for_1_and_50_distinct_images(
    client, settings, uncached_api, index_page, faq_page
):
    # No rendition cache: renditions must come from the bulk prefetch, not a warm cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

    def build(slug, count):
        body = [_image_block(wagtail_factories.ImageFactory()) for _ in range(count)]
        page = ArticlePageFactory.build(slug=slug, body=body)
        index_page.add_child(instance=page)
        page.save_revision().publish()
        return page

    one, fifty = build("one", 1), build("fifty", 50)
    assert _count_queries(client, f"/api/v2/pages/{one.pk}/") == _count_queries(
        client, f"/api/v2/pages/{fifty.pk}/"
    )


@pytest.mark.django_db
def test_listing_query_count_is_the_same_for_10_and_50_pages(
    client, uncached_api, index_page, faq_page
):
    # Serialization itself; listings assembled from cached items: tests/test_listing_items.py
    url = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=*&limit={}"
    for n in range(50):
        image = wagtail_factories.ImageFactory()
        _article_with_blocks(index_page, f"a{n}", 2, image, faq_page)
    ten = _count_queries(client, url.format(10))
    fifty = _count_queries(client, url.format(50))
    assert ten == fifty, (ten, fifty)


@pytest.mark.django_db
def test_v3_openapi_types_every_block(client):
    schema = client.get("/api/v3/openapi.json").json()
    components = schema["components"]["schemas"]
    body = components["ArticlePageSchema"]["properties"]["body"]
    assert {"$ref": "#/components/schemas/ArticleBodyItem"} in [
        option.get("items") for option in body["anyOf"]
    ]
    union = components["ArticleBodyItem"]
    assert union["discriminator"]["propertyName"] == "type"
    assert set(union["discriminator"]["mapping"]) == set(ArticleBodyBlock().child_blocks)
    for ref in union["discriminator"]["mapping"].values():
        item = components[ref.rsplit("/", 1)[1]]
        assert item["properties"]["type"]["const"] in union["discriminator"]["mapping"]
        value = item["properties"]["value"]
        assert value.get("$ref") or value.get("type") == "string", item
    for name in ("GuidelineBodyItem", "FAQBodyItem", "KratomImageSchema", "PageLinkSchema"):
        assert name in components


@pytest.mark.django_db
def test_v3_detail_serves_the_same_body_as_v2(client, rich_article):
    v2 = _detail(client, rich_article, "v2")
    v3 = _detail(client, rich_article, "v3")
    assert [c["type"] for c in v3["body"]] == [c["type"] for c in v2["body"]]
    assert _by_type(v3["body"], "heading") == _by_type(v2["body"], "heading")
    assert _by_type(v3["body"], "numbered_sections") == _by_type(v2["body"], "numbered_sections")
    assert v3["hero_image"]["renditions"]["og"]["url"].startswith("http://testserver/")


@pytest.mark.django_db
def test_cors_allows_only_the_configured_frontend(client, article):
    allowed = client.get("/api/v2/pages/", HTTP_ORIGIN="http://frontend.test")
    assert allowed["Access-Control-Allow-Origin"] == "http://frontend.test"
    other = client.get("/api/v2/pages/", HTTP_ORIGIN="http://evil.test")
    assert "Access-Control-Allow-Origin" not in other
    page = client.get(article.url, HTTP_ORIGIN="http://frontend.test")
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.django_db
def test_uncached_v2_detail_reads_parent_locale_and_link_visibility_with_other_queries(
    client, uncached_api, rich_article
):
    """The breadcrumbs' ancestors also give Wagtail's ``parent`` and the page's locale, and
    the pages rich text links to are read with the pages blocks choose (one visibility
    rule, read once): no query of their own. The total is pinned so that a new query per
    request is a decision, not an accident."""
    url = f"/api/v2/pages/{rich_article.pk}/"
    client.get(url)  # renditions are made on first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["parent"]["id"] == rich_article.get_parent().pk
    assert data["meta"]["locale"] == rich_article.locale.language_code
    sqls = [query["sql"] for query in queries]
    # (Only the active locale is read by code, for rich text links: I18N is on in tests.)
    assert not [sql for sql in sqls if '"wagtailcore_locale"."id" = ' in sql], sqls
    assert not [sql for sql in sqls if '"wagtailcore_page"."path" = ' in sql], sqls  # get_parent
    link_checks = [
        sql
        for sql in sqls
        if sql.startswith('SELECT "wagtailcore_page"."id" AS "pk"')
        and '"wagtailcore_page"."live"' in sql
        and '"wagtailcore_page"."id" IN' in sql
    ]
    assert link_checks == []  # visible_page_ids of the links: answered by the pages' load
    # Restrictions, expiries, site, page, specific page, ancestors, collections, images,
    # renditions, chosen and linked pages, Wagtail's rich text link pages (content types,
    # specific, and the active locale: I18N is on here), sources, review records, the
    # parent's visibility, health settings. (21 before the parent, the locale and the
    # links' visibility were folded into other queries.)
    assert len(queries) == 18, "\n".join(sqls)
