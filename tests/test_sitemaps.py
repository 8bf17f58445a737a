"""The sitemap (/sitemap.xml, /api/v2/sitemap/, /api/v3/sitemap/): what it lists, its
lastmod, alternates and images, the index past SITEMAP_PAGE_SIZE, validity against the
sitemaps.org schema, caching and renewal, and queries that do not grow with the site."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import Locale, Page, PageViewRestriction, Site

from kratom_pages.models import ArticlePage, ReviewRecord
from tests.conftest import publish
from tests.factories import ArticlePageFactory, FAQPageFactory

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NS = {"s": SITEMAP_NS, "xhtml": XHTML_NS, "image": IMAGE_NS}


def _article(parent, slug, **fields):
    page = ArticlePageFactory.build(slug=slug, title=slug.title(), **fields)
    parent.add_child(instance=page)
    return publish(page)


def _locs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return etree.fromstring(response.content).xpath("//s:url/s:loc/text()", namespaces=NS)


@pytest.fixture
def uncached(settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy"}


# --- validity ---------------------------------------------------------------------------


class _LocalSchemas(etree.Resolver):
    """XHTML's schema imports the XML namespace's from w3.org: the packaged copy instead."""

    def __init__(self, xml_xsd: Path):
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, url, pubid, context):
        if url.endswith("/xml.xsd"):
            return self.resolve_filename(str(self.xml_xsd), context)
        return None


@pytest.fixture(scope="module")
def sitemap_schema():
    """The sitemaps.org schema (npm's `sitemap` package, fetched by `make install-test`)
    with XHTML 1.0's (the xmlschema package), for the hreflang links. No registry this
    project reaches ships Google's image extension schema, so ``assert_valid`` checks
    image:image against Google's documented rules and the rest against the schemas."""
    import sys

    import xmlschema

    # This virtualenv's, or the checkout's .venv (make matrix runs in virtualenvs of nox's).
    places = [Path(sys.prefix), Path(__file__).resolve().parents[1] / ".venv"]
    found = [p / "schemas/sitemap/schema/sitemap.xsd" for p in places]
    sitemap_xsd = next((path for path in found if path.exists()), None)
    if sitemap_xsd is None:
        pytest.skip(f"{found[0]} is missing: `make install-test` fetches it with npm")
    packaged = Path(xmlschema.__file__).parent / "schemas"
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas(packaged / "XML" / "xml.xsd"))
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
        <xsd:import namespace="{SITEMAP_NS}" schemaLocation="{sitemap_xsd}"/>
        <xsd:import namespace="{XHTML_NS}"
                    schemaLocation="{packaged / "XHTML" / "xhtml1-strict.xsd"}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


def assert_valid(schema, body: bytes) -> etree._Element:
    document = etree.fromstring(body)
    checked = etree.fromstring(body)
    for image in checked.iter(f"{{{IMAGE_NS}}}image"):
        # Google's image extension: one image:loc, an absolute URL, nothing else required.
        children = [child.tag for child in image]
        assert children == [f"{{{IMAGE_NS}}}loc"], children
        assert urlsplit(image[0].text).scheme in ("http", "https"), image[0].text
        image.getparent().remove(image)
    assert schema.validate(checked), schema.error_log
    return document


@pytest.mark.django_db
@pytest.mark.urls("tests.syndication_i18n_urls")
def test_sitemap_with_translations_and_heroes_validates(client, index_page, sitemap_schema):
    hero = wagtail_factories.ImageFactory()
    article = _article(index_page, "recovery", hero_image=hero)
    french = Locale.objects.create(language_code="fr")
    translation = article.copy_for_translation(french, copy_parents=True)
    translation.save_revision().publish()

    document = assert_valid(sitemap_schema, client.get("/sitemap.xml").content)

    (url,) = document.xpath("//s:url[s:loc='http://testserver/en/recovery/']", namespaces=NS)
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in url.xpath("xhtml:link[@rel='alternate']", namespaces=NS)
    }
    assert alternates == {
        "en": "http://testserver/en/recovery/",
        "fr": "http://testserver/fr/recovery/",
    }
    (image,) = url.xpath("image:image/image:loc/text()", namespaces=NS)
    assert image.startswith("http://testserver/media/images/") and ".fill-1200x630" in image
    # The French page is listed with the same alternates; a page without translations has none.
    fr_url = document.xpath("//s:url[s:loc='http://testserver/fr/recovery/']", namespaces=NS)[0]
    assert len(fr_url.xpath("xhtml:link", namespaces=NS)) == 2


@pytest.mark.django_db
def test_sitemap_past_the_page_size_is_an_index_of_valid_files(
    client, settings, index_page, sitemap_schema
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "SITEMAP_PAGE_SIZE": 2}
    for slug in ("one", "two", "three"):
        _article(index_page, slug)

    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    files = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert files == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-pages.xml?p=2",
    ]
    assert all(index.xpath("//s:sitemap/s:lastmod/text()", namespaces=NS))
    listed = []
    for url in files:
        parts = urlsplit(url)
        response = client.get(parts.path, {"p": parts.query[2:]} if parts.query else {})
        assert_valid(sitemap_schema, response.content)
        listed += _locs(response)
    assert listed == [
        "http://testserver/",
        "http://testserver/one/",
        "http://testserver/two/",
        "http://testserver/three/",
    ]
    assert client.get("/sitemap-pages.xml", {"p": 3}).status_code == 404
    # The API splits the same way.
    second = client.get("/api/v2/sitemap/?page=2").json()
    assert second["meta"] == {"total_count": 4, "page": 2, "pages": 2, "page_size": 2}
    assert [item["url"] for item in second["items"]] == listed[2:]


# --- what is listed ---------------------------------------------------------------------


@pytest.mark.django_db
def test_unpublished_expired_and_private_pages_are_absent(client, index_page):
    shown = _article(index_page, "shown")
    draft = ArticlePageFactory.build(slug="draft", live=False)
    index_page.add_child(instance=draft)
    draft.save_revision()
    unpublished = _article(index_page, "unpublished")
    unpublished.unpublish()
    # Past its expiry but still live: publish_scheduled has not run yet.
    expired = _article(index_page, "expired")
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    private = _article(index_page, "private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    expected = ["http://testserver/", shown.full_url]
    assert _locs(client.get("/sitemap.xml")) == expected
    for version in ("v2", "v3"):
        items = client.get(f"/api/{version}/sitemap/").json()["items"]
        assert [item["url"] for item in items] == expected


@pytest.mark.django_db
def test_a_headless_site_lists_its_frontend_addresses(client, index_page):
    # The Site carries the frontend's hostname; the API answers on another host.
    Site.objects.filter(is_default_site=True).update(hostname="frontend.example", port=443)
    article = _article(index_page, "hosted", hero_image=wagtail_factories.ImageFactory())

    document = etree.fromstring(client.get("/sitemap.xml").content)
    assert document.xpath("//s:url/s:loc/text()", namespaces=NS) == [
        "https://frontend.example/",
        "https://frontend.example/hosted/",
    ]
    # The image is the page's Open Graph rendition, at the address the API gives it.
    (image,) = document.xpath("//image:loc/text()", namespaces=NS)
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert image == detail["seo"]["og_image"]["url"]
    item = client.get("/api/v2/sitemap/").json()["items"][1]
    assert item["url"] == "https://frontend.example/hosted/" and item["images"] == [image]


@pytest.mark.django_db
def test_hero_in_a_restricted_collection_is_not_listed(client, index_page):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    hero = wagtail_factories.ImageFactory(collection=private)
    _article(index_page, "hidden-hero", hero_image=hero)
    assert client.get("/api/v2/sitemap/").json()["items"][1]["images"] == []


# --- lastmod ----------------------------------------------------------------------------


def _backdate(page, days=3):
    earlier = timezone.now() - timedelta(days=days)
    Page.objects.filter(pk=page.pk).update(last_published_at=earlier)
    return earlier.replace(microsecond=0)


def _lastmod(client, url) -> str:
    items = client.get("/api/v2/sitemap/").json()["items"]
    return next(item["lastmod"] for item in items if item["url"] == url)


def _review(page, outcome=ReviewRecord.Outcome.APPROVED, revision=None, when=None):
    revision = revision or page.live_revision
    return ReviewRecord.objects.create(
        page=page,
        revision=revision,
        revision_number=revision.pk,
        outcome=outcome,
        reviewed_on=timezone.localdate(),
        created_at=when or timezone.now(),
    )


@pytest.mark.django_db
def test_a_newly_reviewed_page_has_its_review_as_lastmod_at_once(client, index_page):
    article = _article(index_page, "reviewed")
    published = _backdate(article)
    assert _lastmod(client, article.full_url) == published.strftime("%Y-%m-%dT%H:%M:%SZ")
    before = client.get("/sitemap.xml").content  # now cached

    reviewed_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    _review(article, when=reviewed_at)

    # The review renewed the cached sitemap (the one invalidation rule), XML and API alike.
    after = client.get("/sitemap.xml").content
    assert after != before
    assert reviewed_at.isoformat() in after.decode()
    assert _lastmod(client, article.full_url) == reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.django_db
def test_a_rejection_or_a_review_of_an_unpublished_draft_leaves_lastmod(client, index_page):
    article = _article(index_page, "pending")
    published = _backdate(article)
    _review(article, outcome=ReviewRecord.Outcome.REJECTED)
    draft = article.save_revision()  # a newer revision, not live
    _review(article, revision=draft)
    assert _lastmod(client, article.full_url) == published.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- fresh and cheap --------------------------------------------------------------------


@pytest.mark.django_db
def test_sitemap_is_served_from_the_cache_until_a_page_changes(client, index_page):
    _article(index_page, "first")
    assert len(_locs(client.get("/sitemap.xml"))) == 2
    with CaptureQueriesContext(connection) as queries:
        hit = client.get("/sitemap.xml")
    assert len(queries) == 0 and hit["X-Robots-Tag"] and hit.has_header("ETag")
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    assert client.post("/sitemap.xml").status_code == 405
    # Junk parameters share the entry instead of forcing a render.
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap.xml?utm_source=x")
    assert len(queries) == 0

    second = _article(index_page, "second")
    assert second.full_url in _locs(client.get("/sitemap.xml"))
    second.unpublish()
    assert second.full_url not in _locs(client.get("/sitemap.xml"))


@pytest.mark.django_db
def test_v2_and_v3_send_the_same_sitemap_bytes(client, index_page):
    _article(index_page, "same", hero_image=wagtail_factories.ImageFactory())
    v2 = client.get("/api/v2/sitemap/")
    v3 = client.get("/api/v3/sitemap/")
    assert v2.content == v3.content and v2["Content-Type"] == "application/json"
    assert client.get("/api/v2/sitemap/?pge=2").status_code == 400  # a misspelt parameter
    assert client.get("/api/v2/sitemap/?page=0").status_code == 400
    assert client.get("/api/v3/sitemap/?page=9").status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # renditions are made once, on first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_sitemap_queries_do_not_grow_with_the_site(client, uncached, index_page):
    section = index_page.add_child(instance=FAQPageFactory.build(slug="faq"))
    publish(section)
    urls = ("/sitemap.xml", "/api/v2/sitemap/", "/api/v3/sitemap/")

    def grow_to(count):
        while (n := ArticlePage.objects.count()) < count:
            _article(index_page, f"a{n}", hero_image=wagtail_factories.ImageFactory())
        return [_queries(client, url) for url in urls]

    small = grow_to(5)
    large = grow_to(30)
    assert small == large, (small, large)
    print("sitemap queries (XML, v2, v3) at 5 and 30 articles:", small, large)
