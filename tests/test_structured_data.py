"""JSON-LD in the API and in templates; locales."""

import datetime
import json
import re

import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale

from kratom_pages.models import ArticlePage, Reviewer, Source
from tests.factories import ArticlePageFactory, FAQPageFactory, SourceFactory, numbered_block

# ISO 8601 to the second with a UTC offset: what Google asks of article dates.
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def _graph(data):
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def _json_ld_in(html):
    [payload] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(payload)


def _template_json_ld(client, page):
    return _json_ld_in(client.get(page.url).content.decode())


@pytest.mark.django_db
def test_article_json_ld_has_the_required_properties(client, settings, article):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "FAQ_MARKUP": "every_page"}
    article.hero_image = wagtail_factories.ImageFactory()
    article.save_revision().publish()
    data = client.get(f"/api/v2/pages/{article.pk}/").json()["structured_data"]
    node, faq, breadcrumb = _graph(data)
    assert node["@type"] == ["Article", "MedicalWebPage"]
    assert breadcrumb["@type"] == "BreadcrumbList"
    for key in (
        "headline",
        "description",
        "image",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "url",
        "inLanguage",
    ):
        assert node[key], key
    assert node["author"] == {"@type": "Person", "name": "Editorial team"}
    assert node["image"][0].startswith("http://testserver/media/images/")
    assert faq["@type"] == "FAQPage"
    assert [q["name"] for q in faq["mainEntity"]] == ["Is it approved?", "Is it addictive?"]
    assert faq["mainEntity"][0]["acceptedAnswer"]["@type"] == "Answer"


@pytest.mark.django_db
def test_faq_page_json_ld_is_an_faq_page(client, faq_page):
    node, _breadcrumb = _graph(
        client.get(f"/api/v2/pages/{faq_page.pk}/").json()["structured_data"]
    )
    assert node["@type"] == "FAQPage"
    assert [q["name"] for q in node["mainEntity"]] == ["What is it?", "Is it legal?"]
    assert node["mainEntity"][1]["acceptedAnswer"]["text"] == "<p>Answer to Is it legal?</p>"


@pytest.mark.django_db
def test_guideline_page_json_ld_is_an_item_list(client, guideline_page):
    page_node, item_list, _breadcrumb = _graph(
        client.get(f"/api/v2/pages/{guideline_page.pk}/").json()["structured_data"]
    )
    assert page_node["@type"] == "MedicalWebPage"
    assert item_list["@type"] == "ItemList"
    assert [(i["position"], i["name"]) for i in item_list["itemListElement"]] == [
        (1, "Start low"),
        (2, "Avoid sedatives"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["article", "guideline_page", "faq_page"])
def test_template_embeds_the_same_json_ld_as_the_api(client, request, fixture):
    page = request.getfixturevalue(fixture)
    api = client.get(f"/api/v2/pages/{page.pk}/").json()["structured_data"]
    assert _template_json_ld(client, page) == api


@pytest.mark.django_db
def test_json_ld_in_templates_cannot_break_out_of_its_script(client, faq_page):
    faq_page.body = [
        {
            "type": "faq",
            "value": {
                "heading": "",
                "items": [{"question": "</script><script>alert(1)</script>", "answer": "<p>x</p>"}],
            },
        }
    ]
    faq_page.save_revision().publish()
    html = client.get(faq_page.url).content.decode()
    assert "</script><script>alert(1)" not in html
    data = _template_json_ld(client, faq_page)
    assert data["@graph"][0]["mainEntity"][0]["name"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
def test_translated_article_serves_through_locale_filter(client, rf, article):
    french = Locale.objects.create(language_code="fr")
    translation = article.copy_for_translation(french, copy_parents=True)
    translation.title = "Kratom et rétablissement"
    translation.save_revision().publish()

    url = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=structured_data"
    fr_items = client.get(url + "&locale=fr").json()["items"]
    assert [item["title"] for item in fr_items] == ["Kratom et rétablissement"]
    assert fr_items[0]["structured_data"]["@graph"][0]["inLanguage"] == "fr"
    en_items = client.get(url + "&locale=en").json()["items"]
    assert [item["id"] for item in en_items] == [article.pk]
    assert en_items[0]["structured_data"]["@graph"][0]["inLanguage"] == "en"
    # The French tree is not routed by a Site in this project, so serve the page directly.
    fr_page = ArticlePage.objects.get(pk=translation.pk)
    response = fr_page.serve(rf.get("/"))
    response.render()
    assert _json_ld_in(response.content.decode())["@graph"][0]["inLanguage"] == "fr"


def _api_graph(client, page):
    return _graph(client.get(f"/api/v2/pages/{page.pk}/").json()["structured_data"])


def _nodes_of(graph, type_name):
    return [
        n
        for n in graph
        if type_name in (n["@type"] if isinstance(n["@type"], list) else [n["@type"]])
    ]


@pytest.mark.django_db
def test_faq_page_without_questions_is_a_web_page_without_main_entity(client, index_page):
    page = FAQPageFactory.build(slug="empty-faq", body=[])
    index_page.add_child(instance=page)
    page.save_revision().publish()
    graph = _api_graph(client, page)
    assert not _nodes_of(graph, "FAQPage")
    assert "mainEntity" not in json.dumps(graph)
    assert graph[0]["@type"] == "WebPage"


@pytest.mark.django_db
def test_article_without_faq_blocks_has_no_faq_node(client, index_page):
    page = ArticlePageFactory.build(slug="no-faq", body=[numbered_block("Pain")])
    index_page.add_child(instance=page)
    page.save_revision().publish()
    assert not _nodes_of(_api_graph(client, page), "FAQPage")


@pytest.mark.django_db
def test_the_editor_chooses_an_organisation_as_author_and_its_url(client, article):
    article.author_type = "organization"
    article.author_url = "https://example.org/about/editorial-team"
    article.save_revision().publish()
    [node] = _nodes_of(_api_graph(client, article), "Article")
    assert node["author"] == {
        "@type": "Organization",
        "name": "Editorial team",
        "url": "https://example.org/about/editorial-team",
    }


@pytest.mark.django_db
def test_a_person_author_is_the_default_and_has_no_url_unless_given(client, article):
    [node] = _nodes_of(_api_graph(client, article), "Article")
    assert node["author"] == {"@type": "Person", "name": "Editorial team"}


@pytest.mark.django_db
def test_reviewer_with_a_profile_has_a_url(client, article):
    article.reviewed_by = Reviewer.objects.create(
        name="Dr Rev", credentials="PharmD", profile_url="https://example.org/people/rev"
    )
    article.last_reviewed = datetime.date(2026, 1, 15)
    article.save_revision().publish()
    [node] = _nodes_of(_api_graph(client, article), "Article")
    assert node["reviewedBy"]["url"] == "https://example.org/people/rev"


@pytest.mark.django_db
def test_citation_authors_are_people_or_one_organisation_and_journals_are_not_authors(
    client, index_page
):
    people = SourceFactory(
        kind=Source.Kind.OBSERVATIONAL,
        authors="Smith KE, Dunn KE, Garcia-Romeu A, et al.",
        publication="Drug and Alcohol Dependence",
    )
    agency = SourceFactory(authors="U.S. Food and Drug Administration (FDA)")
    page = ArticlePageFactory.build(
        slug="cited", body=[numbered_block("Pain", sources=[people, agency])]
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()
    [node] = _nodes_of(_api_graph(client, page), "Article")
    first, second = node["citation"]
    assert first["author"] == [
        {"@type": "Person", "name": "Smith KE"},
        {"@type": "Person", "name": "Dunn KE"},
        {"@type": "Person", "name": "Garcia-Romeu A"},
    ]
    assert first["isPartOf"] == {"@type": "Periodical", "name": "Drug and Alcohol Dependence"}
    assert second["author"] == {
        "@type": "Organization",
        "name": "U.S. Food and Drug Administration (FDA)",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["article", "guideline_page", "faq_page"])
def test_every_page_has_a_breadcrumb_from_the_site_root(client, request, fixture, index_page):
    page = request.getfixturevalue(fixture)
    [breadcrumb] = _nodes_of(_api_graph(client, page), "BreadcrumbList")
    assert [(i["position"], i["name"], i["item"]) for i in breadcrumb["itemListElement"]] == [
        (1, index_page.title, "http://testserver/"),
        (2, page.title, f"http://testserver/{page.slug}/"),
    ]


@pytest.mark.django_db
def test_index_page_is_a_collection_page_listing_its_children(
    client, index_page, article, faq_page
):
    graph = _template_json_ld(client, index_page)["@graph"]
    [collection] = _nodes_of(graph, "CollectionPage")
    items = collection["mainEntity"]["itemListElement"]
    assert {(i["name"], i["url"]) for i in items} == {
        (article.title, f"http://testserver/{article.slug}/"),
        (faq_page.title, f"http://testserver/{faq_page.slug}/"),
    }
    assert [i["position"] for i in items] == [1, 2]
    assert _nodes_of(graph, "BreadcrumbList")


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_api_gives_the_index_page_the_graph_its_template_embeds(
    client, index_page, article, version
):
    data = client.get(f"/api/{version}/pages/{index_page.pk}/").json()
    graph = data["structured_data"]["@graph"]
    [collection] = _nodes_of(graph, "CollectionPage")
    assert [i["name"] for i in collection["mainEntity"]["itemListElement"]] == [article.title]
    assert graph == _template_json_ld(client, index_page)["@graph"]


@pytest.mark.django_db
def test_dates_are_seconds_with_a_time_zone(client, article, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    [node] = _nodes_of(_api_graph(client, article), "Article")
    for key in ("datePublished", "dateModified"):
        assert ISO_WITH_ZONE.match(node[key]), node[key]
    first = timezone.localtime(article.first_published_at)
    assert node["datePublished"] == first.isoformat(timespec="seconds")


@pytest.mark.django_db
def test_an_editors_publication_date_is_midnight_in_the_sites_time_zone(client, article):
    article.published_date = datetime.date(2020, 5, 1)
    article.save_revision().publish()
    [node] = _nodes_of(_api_graph(client, article), "Article")
    assert node["datePublished"] == "2020-05-01T00:00:00+00:00"


@pytest.mark.django_db
def test_by_default_only_faq_pages_mark_up_faq_questions(client, article, faq_page):
    """An FAQ repeated across a site is marked up once: on the FAQ page."""
    for page in (article, faq_page):
        data = client.get(f"/api/v2/pages/{page.pk}/").json()["structured_data"]
        types = [node["@type"] for node in data["@graph"]]
        assert (types.count("FAQPage") == 1) == (page is faq_page), types
    assert "FAQPage" not in str(_template_json_ld(client, article))


@pytest.mark.django_db
def test_every_page_mode_leaves_out_questions_an_faq_page_marks_up(
    client, settings, index_page, faq_page
):
    from tests.conftest import publish
    from tests.factories import ArticlePageFactory

    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "FAQ_MARKUP": "every_page"}
    repeated = faq_page.body[0].value["items"][0]["question"]
    page = ArticlePageFactory.build(
        slug="copies",
        body=[
            {
                "type": "faq",
                "value": {
                    "heading": "Questions",
                    "items": [
                        {"question": repeated.upper() + "  ", "answer": "<p>Copied.</p>"},
                        {"question": "Does it interact with alcohol?", "answer": "<p>It can.</p>"},
                    ],
                },
            }
        ],
    )
    index_page.add_child(instance=page)
    publish(page)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()["structured_data"]
    faq = next(node for node in data["@graph"] if node["@type"] == "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == ["Does it interact with alcohol?"]
