"""Change, then read: a cached API response always equals what a cold read returns.

Each test warms the cache, makes one kind of change through the ORM the way an editor, a
shell or a scheduled job would, and compares the (possibly cached) response with one built
with caching switched off.
"""

from datetime import timedelta

import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from kratom_pages.models import KratomIndexPage
from kratom_pages.publishing import cache as caching
from tests.conftest import cold_get, publish
from tests.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def detail(page) -> str:
    return f"/api/v2/pages/{page.pk}/"


def assert_fresh(client, settings, url) -> dict | None:
    """The served response equals a cold one, status and body."""
    served = client.get(url)
    cold = cold_get(client, settings, url)
    assert served.status_code == cold.status_code, (served.status_code, cold.status_code)
    if cold.status_code != 200:
        return None
    assert served.json() == cold.json()
    return served.json()


@pytest.fixture
def child(index_page):
    page = ArticlePageFactory.build(slug="child", title="Child")
    index_page.add_child(instance=page)
    return publish(page)


@pytest.fixture
def linking(index_page, faq_page):
    """An article linking ``faq_page`` from rich text and a related-pages block."""
    page = ArticlePageFactory.build(
        slug="linking",
        body=[
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{faq_page.pk}">the FAQ</a>.</p>',
            },
            {"type": "related_pages", "value": {"heading": "More", "pages": [faq_page.pk]}},
        ],
    )
    index_page.add_child(instance=page)
    return publish(page)


def _links(data) -> tuple[str, list]:
    return data["body"][0]["value"], data["body"][1]["value"]["pages"]


@pytest.mark.django_db
def test_direct_save_of_a_live_page_is_served(client, settings, article):
    client.get(detail(article))
    article.title = "Saved without publishing"
    article.save()
    assert assert_fresh(client, settings, detail(article))["title"] == "Saved without publishing"


@pytest.mark.django_db
def test_parent_republished_with_new_title_reaches_children(client, settings, index_page, child):
    assert client.get(detail(child)).json()["meta"]["parent"]["title"] == index_page.title
    index_page.title = "Renamed section"
    publish(index_page)
    data = assert_fresh(client, settings, detail(child))
    assert data["meta"]["parent"]["title"] == "Renamed section"


@pytest.fixture
def section_child(index_page):
    """A section index under the site root, with an article in it."""
    section = KratomIndexPage(title="Section", slug="section")
    index_page.add_child(instance=section)
    publish(section)
    page = ArticlePageFactory.build(slug="deep")
    section.add_child(instance=page)
    return section, publish(page)


@pytest.mark.django_db
def test_parent_slug_change_reaches_children_urls(client, settings, section_child):
    section, page = section_child
    assert client.get(detail(page)).json()["meta"]["html_url"].endswith("/section/deep/")
    section.slug = "renamed"
    publish(section)
    data = assert_fresh(client, settings, detail(page))
    assert data["meta"]["html_url"].endswith("/renamed/deep/")


@pytest.mark.django_db
def test_unpublished_parent_reaches_children(client, settings, section_child):
    section, page = section_child
    assert client.get(detail(page)).json()["meta"]["parent"]["id"] == section.pk
    section.unpublish()
    after = assert_fresh(client, settings, detail(page))
    assert after["meta"]["parent"] is None  # the section is no longer public


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["unpublish", "delete", "login", "password", "expired"])
def test_linked_page_leaving_the_public_unlinks_it(client, settings, linking, faq_page, change):
    text, related = _links(client.get(detail(linking)).json())
    assert "href" in text and related
    if change == "unpublish":
        faq_page.unpublish()
    elif change == "delete":
        faq_page.delete()
    elif change == "expired":
        faq_page.expire_at = timezone.now() - timedelta(seconds=1)
        faq_page.save()
    else:
        PageViewRestriction.objects.create(page=faq_page, restriction_type=change, password="x")
    text, related = _links(assert_fresh(client, settings, detail(linking)))
    assert "href" not in text and "the FAQ" in text
    assert related == []


@pytest.mark.django_db
def test_restricting_an_ancestor_of_a_linked_page_unlinks_it(
    client, settings, index_page, linking, faq_page
):
    client.get(detail(linking))
    PageViewRestriction.objects.create(page=index_page, restriction_type="login")
    assert client.get(detail(linking)).status_code == 404  # the linking page is inside too
    assert cold_get(client, settings, detail(linking)).status_code == 404


@pytest.mark.django_db
def test_moving_a_linked_page_updates_the_link(client, settings, index_page, linking, faq_page):
    client.get(detail(linking))
    other = KratomIndexPage(title="Other", slug="other")
    index_page.add_child(instance=other)
    publish(other)
    faq_page.move(other, pos="last-child")
    text, related = _links(assert_fresh(client, settings, detail(linking)))
    assert "/other/faq/" in text and related[0]["url"].endswith("/other/faq/")


@pytest.mark.django_db
def test_renamed_document_linked_from_the_body_is_served(client, settings, index_page):
    document = Document.objects.create(title="Leaflet", file="documents/leaflet.pdf")
    page = ArticlePageFactory.build(
        slug="with-document",
        body=[
            {
                "type": "paragraph",
                "value": f'<p><a linktype="document" id="{document.pk}">Leaflet</a></p>',
            }
        ],
    )
    index_page.add_child(instance=page)
    publish(page)
    assert "leaflet.pdf" in client.get(detail(page)).json()["body"][0]["value"]
    document.file.name = "documents/leaflet-2026.pdf"
    document.save()
    body = assert_fresh(client, settings, detail(page))["body"][0]["value"]
    assert "leaflet-2026.pdf" in body


@pytest.mark.django_db
def test_restricting_an_image_collection_hides_the_image(client, settings, index_page):
    private = Collection.get_first_root_node().add_child(name="Private")
    image = wagtail_factories.ImageFactory(collection=private)
    page = ArticlePageFactory.build(slug="with-image", hero_image=image)
    index_page.add_child(instance=page)
    publish(page)
    assert client.get(detail(page)).json()["hero_image"]["id"] == image.pk
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    assert assert_fresh(client, settings, detail(page))["hero_image"] is None


@pytest.mark.django_db
def test_site_hostname_change_is_served(client, settings, article):
    client.get(detail(article))
    site = Site.objects.get(is_default_site=True)
    site.port = 8080
    site.save()
    assert ":8080/" in assert_fresh(client, settings, detail(article))["meta"]["html_url"]


@pytest.mark.django_db
def test_entries_never_outlive_a_scheduled_expiry(settings):
    soon = timezone.now() + timedelta(seconds=90)
    assert 0 < caching.entry_timeout([None, soon]) <= 90
    assert caching.entry_timeout([timezone.now() - timedelta(seconds=5)]) <= 0
    assert caching.entry_timeout([None]) == settings.KRATOM_PAGES.get(
        "API_CACHE_TIMEOUT", caching.conf.DEFAULTS["API_CACHE_TIMEOUT"]
    )


@pytest.mark.django_db
def test_expired_but_still_live_page_is_not_served(client, settings, article):
    client.get(detail(article))
    article.expire_at = timezone.now() - timedelta(seconds=1)
    article.save()
    assert client.get(detail(article)).status_code == 404
    assert client.get(f"/api/v3/pages/{article.pk}/").status_code == 404
    for listing in ("/api/v2/pages/", "/api/v3/pages/"):
        listed = client.get(listing, {"limit": 100}).json()["items"]
        assert article.pk not in [item["id"] for item in listed], listing


@pytest.mark.django_db
def test_search_across_page_types_applies_the_visibility_rule(client, article, faq_page):
    response = client.get("/api/v2/pages/", {"search": article.title})
    assert response.status_code == 200, response.content[:300]
    assert article.pk in [item["id"] for item in response.json()["items"]]
    article.expire_at = timezone.now() - timedelta(seconds=1)
    article.save()
    response = client.get("/api/v2/pages/", {"search": article.title})
    assert article.pk not in [item["id"] for item in response.json()["items"]]


def _listed(data) -> list[str]:
    [collection] = [n for n in data["structured_data"]["@graph"] if n["@type"] == "CollectionPage"]
    return [item["name"] for item in collection["mainEntity"]["itemListElement"]]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_a_section_front_lists_its_children_as_they_change(
    client, settings, index_page, child, version
):
    url = f"/api/{version}/pages/{index_page.pk}/"
    assert _listed(assert_fresh(client, settings, url)) == ["Child"]

    sibling = ArticlePageFactory.build(slug="sibling", title="Sibling", live=False)
    index_page.add_child(instance=sibling)
    publish(sibling)
    assert set(_listed(assert_fresh(client, settings, url))) == {"Child", "Sibling"}

    child.title = "Child renamed"
    publish(child)
    assert set(_listed(assert_fresh(client, settings, url))) == {"Child renamed", "Sibling"}

    sibling.unpublish()
    assert _listed(assert_fresh(client, settings, url)) == ["Child renamed"]

    elsewhere = KratomIndexPage(title="Elsewhere", slug="elsewhere")
    index_page.add_child(instance=elsewhere)
    assert_fresh(client, settings, f"/api/{version}/pages/{elsewhere.pk}/")
    child.move(elsewhere, pos="last-child")
    assert "Child renamed" not in _listed(assert_fresh(client, settings, url))
    assert _listed(assert_fresh(client, settings, f"/api/{version}/pages/{elsewhere.pk}/")) == [
        "Child renamed"
    ]
