"""JSON-LD in the API and in templates; locales."""

import json
import re

import pytest
import wagtail_factories
from wagtail.models import Locale

from kratom_pages.models import ArticlePage


def _graph(data):
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def _json_ld_in(html):
    [payload] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(payload)


def _template_json_ld(client, page):
    return _json_ld_in(client.get(page.url).content.decode())


@pytest.mark.django_db
def test_article_json_ld_has_the_required_properties(client, article):
    article.hero_image = wagtail_factories.ImageFactory()
    article.save_revision().publish()
    data = client.get(f"/api/v2/pages/{article.pk}/").json()["structured_data"]
    node, faq = _graph(data)
    assert node["@type"] == ["Article", "MedicalWebPage"]
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
    [node] = _graph(client.get(f"/api/v2/pages/{faq_page.pk}/").json()["structured_data"])
    assert node["@type"] == "FAQPage"
    assert [q["name"] for q in node["mainEntity"]] == ["What is it?", "Is it legal?"]
    assert node["mainEntity"][1]["acceptedAnswer"]["text"] == "<p>Answer to Is it legal?</p>"


@pytest.mark.django_db
def test_guideline_page_json_ld_is_an_item_list(client, guideline_page):
    page_node, item_list = _graph(
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
