"""The feeds (/feed.xml Atom, /rss.xml RSS 2.0, per section under /sections/<id>/, and
/api/v2/feed/, /api/v3/feed/): valid as Atom 1.0 and RSS 2.0, newest first, what each entry
says, hidden pages absent, full sanitised content by setting, cached and renewed, and
queries that do not grow with the site.

Validity: feedparser (what feed readers use) must recognise the format (``atom10``,
``rss20``) and find nothing malformed (``bozo`` unset), and the elements RFC 4287 and the
RSS 2.0 specification require are checked with lxml: there is no schema to validate
against (Atom's is RELAX NG in the RFC's appendix, which no package here ships)."""

from datetime import date, timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import Page, PageViewRestriction

from kratom_pages.models import ArticlePage, Reviewer
from tests.conftest import publish
from tests.factories import ArticlePageFactory, KratomIndexPageFactory

ATOM = "http://www.w3.org/2005/Atom"
A = {"a": ATOM}


def _article(parent, slug, days_ago=0, **fields):
    page = ArticlePageFactory.build(slug=slug, title=slug.title(), **fields)
    parent.add_child(instance=page)
    publish(page)
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page


def _rfc3339(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)  # raises on anything else


def assert_valid_atom(body: bytes) -> etree._Element:
    parsed = feedparser.parse(body)
    assert parsed.version == "atom10" and not parsed.bozo, parsed.get("bozo_exception")
    feed = etree.fromstring(body)
    assert feed.tag == f"{{{ATOM}}}feed"
    # RFC 4287 4.1.1: exactly one id, title and updated; an author unless every entry has one.
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"a:{name}", A)) == 1, name
    _rfc3339(feed.findtext("a:updated", namespaces=A))
    assert feed.find("a:link[@rel='self']", A) is not None
    entries = feed.findall("a:entry", A)
    if not all(entry.find("a:author", A) is not None for entry in entries):
        assert feed.find("a:author/a:name", A) is not None
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", A)) == 1, name
        _rfc3339(entry.findtext("a:updated", namespaces=A))
        assert entry.find("a:link[@rel='alternate']", A).get("href").startswith("http")
        assert entry.find("a:summary", A).get("type") == "html"
    return feed


def assert_valid_rss(body: bytes) -> etree._Element:
    parsed = feedparser.parse(body)
    assert parsed.version == "rss20" and not parsed.bozo, parsed.get("bozo_exception")
    rss = etree.fromstring(body)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for name in ("title", "link", "description"):  # required channel elements
        assert channel.find(name) is not None, name
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822
        assert item.findtext("guid") == item.findtext("link")
    return rss


def _titles(feed) -> list[str]:
    return [entry.findtext("a:title", namespaces=A) for entry in feed.findall("a:entry", A)]


@pytest.mark.django_db
def test_site_feeds_are_valid_newest_first_with_byline_and_review(client, index_page):
    reviewer = Reviewer.objects.create(
        name="Dr. Ada Example (fictional)", credentials="MD", profile_url="https://example.org/a"
    )
    _article(index_page, "older", days_ago=3)
    _article(
        index_page,
        "newer",
        days_ago=1,
        reviewed_by=reviewer,
        last_reviewed=date(2026, 1, 5),
        author_url="https://example.org/team",
    )

    atom = assert_valid_atom(client.get("/feed.xml").content)
    assert _titles(atom) == ["Newer", "Older"]
    entry = atom.find("a:entry", A)
    assert entry.findtext("a:author/a:name", namespaces=A) == "Editorial team"
    assert entry.findtext("a:author/a:uri", namespaces=A) == "https://example.org/team"
    assert entry.findtext("a:contributor/a:name", namespaces=A) == "Dr. Ada Example (fictional), MD"
    assert entry.findtext("a:summary", namespaces=A) == "<p>A lede.</p>"
    assert entry.find("a:content", A) is None  # FEED_CONTENT is "summary" by default
    assert entry.findtext("a:id", namespaces=A) == "http://testserver/newer/"

    rss = assert_valid_rss(client.get("/rss.xml").content)
    item = rss.find("channel/item")
    assert item.findtext("title") == "Newer"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Editorial team"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}contributor").startswith("Dr. Ada")

    data = client.get("/api/v2/feed/").json()
    assert [item["title"] for item in data["items"]] == ["Newer", "Older"]
    assert data["items"][0]["reviewer"] == {
        "name": "Dr. Ada Example (fictional)",
        "credentials": "MD",
        "profile_url": "https://example.org/a",
    }
    assert data["items"][0]["reviewed_at"] == "2026-01-05"
    assert client.get("/api/v3/feed/").content == client.get("/api/v2/feed/").content


@pytest.mark.django_db
def test_a_section_feed_holds_only_that_section(client, index_page):
    _article(index_page, "elsewhere")
    section = KratomIndexPageFactory.build(slug="safety", title="Safety")
    index_page.add_child(instance=section)
    publish(section)
    _article(section, "inside")

    atom = assert_valid_atom(client.get(f"/sections/{section.pk}/feed.xml").content)
    assert atom.findtext("a:title", namespaces=A) == "Safety"
    assert atom.find("a:link[@rel='alternate']", A).get("href") == "http://testserver/safety/"
    assert _titles(atom) == ["Inside"]
    assert_valid_rss(client.get(f"/sections/{section.pk}/rss.xml").content)
    assert [
        i["title"] for i in client.get(f"/api/v2/feed/?section={section.pk}").json()["items"]
    ] == ["Inside"]
    assert set(_titles(assert_valid_atom(client.get("/feed.xml").content))) == {
        "Inside",
        "Elsewhere",
    }

    section.unpublish()
    assert client.get(f"/sections/{section.pk}/feed.xml").status_code == 404
    assert client.get(f"/api/v2/feed/?section={section.pk}").status_code == 404
    assert client.get("/sections/999999/rss.xml").status_code == 404


@pytest.mark.django_db
def test_unpublished_expired_and_private_pages_are_absent(client, index_page):
    _article(index_page, "shown")
    _article(index_page, "unpublished").unpublish()
    expired = _article(index_page, "expired")
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    private = _article(index_page, "private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = ArticlePageFactory.build(slug="draft", title="Draft", live=False)
    index_page.add_child(instance=draft)

    assert _titles(assert_valid_atom(client.get("/feed.xml").content)) == ["Shown"]
    rss = assert_valid_rss(client.get("/rss.xml").content)
    assert [item.findtext("title") for item in rss.iter("item")] == ["Shown"]
    for version in ("v2", "v3"):
        items = client.get(f"/api/{version}/feed/").json()["items"]
        assert [item["title"] for item in items] == ["Shown"]


@pytest.mark.django_db
def test_full_content_is_the_sanitised_body_with_absolute_links(client, settings, index_page):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "FEED_CONTENT": "full"}
    body = [
        {"type": "heading", "value": {"text": "What is kratom?", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": '<p>See <a href="/about/">about</a>.</p><script>alert(1)</script>',
        },
        {"type": "callout", "value": {"variant": "info", "title": "", "body": "<p>Note</p>"}},
    ]
    _article(index_page, "full", body=body)

    entry = assert_valid_atom(client.get("/feed.xml").content).find("a:entry", A)
    content = entry.find("a:content", A)
    assert content.get("type") == "html"
    html = content.text
    assert "What is kratom?" in html and "Note" in html
    assert 'href="http://testserver/about/"' in html
    assert "<script" not in html and "alert(1)" not in html
    rss = assert_valid_rss(client.get("/rss.xml").content)
    encoded = rss.findtext("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded == html
    assert client.get("/api/v2/feed/").json()["items"][0]["content"] == html


@pytest.mark.django_db
def test_feeds_are_cached_and_show_a_publish_at_once(client, index_page):
    _article(index_page, "first")
    client.get("/feed.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feed.xml").status_code == 200
    assert len(queries) == 0
    _article(index_page, "second")
    assert _titles(assert_valid_atom(client.get("/feed.xml").content)) == ["Second", "First"]


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["summary", "full"])
def test_feed_queries_do_not_grow_with_the_site(client, settings, index_page, content):
    settings.KRATOM_PAGES = {
        **settings.KRATOM_PAGES,
        "API_CACHE": "dummy",
        "FEED_ITEMS": 3,
        "FEED_CONTENT": content,
    }
    urls = ("/feed.xml", "/rss.xml", f"/sections/{index_page.pk}/feed.xml", "/api/v2/feed/")

    def grow_to(count):
        while (n := ArticlePage.objects.count()) < count:
            _article(index_page, f"a{n}")
        counts = []
        for url in urls:
            client.get(url)  # content types and site settings are read once, then kept
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    small, large = grow_to(5), grow_to(25)
    assert small == large, (small, large)
    print(f"feed queries ({content}; Atom, RSS, section, API) at 5 and 25 pages:", small, large)
