"""Sources, citations, evidence levels, disclaimers, medical review and publish checks."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kratom_pages.models import ArticlePage, HealthContentSettings, Reviewer, Source
from tests.factories import ArticlePageFactory, SourceFactory, faq_block


def _source(**fields):
    defaults = {"title": "T", "authors": "A", "url": "https://example.org/x"}
    return Source(**{**defaults, **fields})


def test_source_rejects_a_bad_url():
    with pytest.raises(ValidationError) as excinfo:
        _source(url="not a url").full_clean()
    assert "url" in excinfo.value.message_dict


def test_source_rejects_a_bad_doi_naming_the_field():
    with pytest.raises(ValidationError) as excinfo:
        _source(doi="doi-is-wrong").full_clean()
    assert "is not a DOI" in excinfo.value.message_dict["doi"][0]


@pytest.mark.django_db
def test_source_accepts_a_doi_link_and_stores_the_bare_doi():
    source = _source(url="", doi="https://doi.org/10.1016/j.drugalcdep.2017.03.007")
    source.full_clean()
    assert source.doi == "10.1016/j.drugalcdep.2017.03.007"
    assert source.link == "https://doi.org/10.1016/j.drugalcdep.2017.03.007"


def test_source_needs_a_url_or_a_doi():
    with pytest.raises(ValidationError) as excinfo:
        _source(url="", doi="").full_clean()
    assert "URL or a DOI" in excinfo.value.message_dict["url"][0]


@pytest.mark.django_db
def test_source_admin_shows_field_errors_and_saves_nothing(admin_client):
    response = admin_client.post(
        "/admin/kratom_pages/source/create/",
        {"title": "Bad", "authors": "X", "url": "", "doi": "nope", "kind": "trial"},
    )
    assert response.status_code == 200
    assert "is not a DOI" in response.content.decode()
    assert not Source.objects.exists()
    listing = admin_client.get("/admin/kratom_pages/source/", {"kind": "trial", "q": "x"})
    assert listing.status_code == 200


def _cited(*sources):
    return {
        "type": "cited_paragraph",
        "value": {"text": "<p>Claim.</p>", "citations": [s.pk for s in sources]},
    }


def _numbered(*items):
    return {
        "type": "numbered_sections",
        "value": {
            "heading": "Claims",
            "items": [
                {
                    "heading": h,
                    "body": "<p>b</p>",
                    "evidence_level": level,
                    "citations": [s.pk for s in sources],
                }
                for h, level, sources in items
            ],
        },
    }


@pytest.fixture
def cited_article(index_page):
    first, second, third = SourceFactory(), SourceFactory(), SourceFactory()
    body = [
        _cited(second),
        _numbered(("Pain", "limited", [first, second]), ("Mood", "anecdotal", [third])),
        faq_block("Is it approved?"),
    ]
    body[2]["value"]["items"][0]["citations"] = [first.pk]
    page = ArticlePageFactory.build(slug="cited", body=body)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page, (first, second, third)


@pytest.mark.django_db
def test_citations_are_numbered_in_order_of_first_use_across_the_article(client, cited_article):
    page, (first, second, third) = cited_article
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [(r["number"], r["source"]["id"]) for r in data["references"]] == [
        (1, second.pk),
        (2, first.pk),
        (3, third.pk),
    ]
    paragraph, numbered, faq = (child["value"] for child in data["body"])
    assert [c["number"] for c in paragraph["citations"]] == [1]
    assert [c["number"] for c in numbered["items"][0]["citations"]] == [2, 1]
    assert [c["number"] for c in numbered["items"][1]["citations"]] == [3]
    assert [c["number"] for c in faq["items"][0]["citations"]] == [2]
    source = paragraph["citations"][0]["source"]
    assert set(source) == {
        "id",
        "title",
        "authors",
        "publication",
        "year",
        "url",
        "doi",
        "link",
        "kind",
        "kind_label",
    }
    assert numbered["items"][0]["evidence_level"] == "limited"
    assert numbered["items"][1]["evidence_level_label"] == "Anecdotal"


@pytest.mark.django_db
def test_reference_list_and_markers_render_in_the_template(client, cited_article):
    page, (first, second, third) = cited_article
    html = client.get(page.url).content.decode()
    refs = re.findall(r'<li id="ref-(\d+)" value="\d+">\s*(.*?)\s*\(', html)
    assert [(n, name) for n, name in refs] == [
        ("1", second.authors),
        ("2", first.authors),
        ("3", third.authors),
    ]
    assert html.count('href="#ref-2"') == 2  # the numbered item and the FAQ answer
    assert 'class="kp-evidence kp-evidence--limited"' in html
    assert "Evidence: Limited" in " ".join(html.split())


@pytest.mark.django_db
def test_deleted_source_is_left_out(client, cited_article):
    page, (first, second, third) = cited_article
    third.delete()
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [r["source"]["id"] for r in data["references"]] == [second.pk, first.pk]
    assert data["body"][1]["value"]["items"][1]["citations"] == []
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_query_count_does_not_grow_with_citations(client, settings, index_page):
    settings.KRATOM_PAGES = {"API_CACHE": "dummy"}

    def build(slug, count):
        sources = [SourceFactory() for _ in range(count)]
        body = [_cited(source) for source in sources]
        page = ArticlePageFactory.build(slug=slug, body=body)
        index_page.add_child(instance=page)
        page.save_revision().publish()
        return page

    def count(page):
        client.get(f"/api/v2/pages/{page.pk}/")
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/api/v2/pages/{page.pk}/")
        return len(queries)

    assert count(build("one", 1)) == count(build("fifty", 50))


@pytest.mark.django_db
def test_disclaimer_falls_back_to_the_site_default_and_can_be_overridden(client, article):
    site = Site.objects.get(is_default_site=True)
    HealthContentSettings.objects.create(site=site, default_disclaimer="<p>Site default.</p>")
    data = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert data["disclaimer"] == "<p>Site default.</p>"
    assert "Site default." in client.get(article.url).content.decode()

    article.disclaimer_override = "<p>Page's own.</p>"
    article.save_revision().publish()
    assert client.get(f"/api/v2/pages/{article.pk}/").json()["disclaimer"] == "<p>Page's own.</p>"
    html = client.get(article.url).content.decode()
    assert "Page&#x27;s own." in html or "Page's own." in html
    assert "Site default." not in html


@pytest.mark.django_db
def test_review_fields_in_api_and_json_ld_without_the_reviewer_email(client, article):
    reviewer = Reviewer.objects.create(name="Dr Rev", credentials="MD", email="rev@example.com")
    article.reviewed_by = reviewer
    article.last_reviewed = datetime.date(2026, 1, 15)
    article.body = [_numbered(("Pain", "limited", [SourceFactory(title="Cited study")]))]
    article.save_revision().publish()
    response = client.get(f"/api/v2/pages/{article.pk}/")
    data = response.json()
    assert data["reviewed_by"] == {"name": "Dr Rev", "credentials": "MD", "profile_url": ""}
    assert data["last_reviewed"] == "2026-01-15"
    assert "rev@example.com" not in response.content.decode()
    node = data["structured_data"]["@graph"][0]
    assert node["lastReviewed"] == "2026-01-15"
    assert node["reviewedBy"] == {"@type": "Person", "name": "Dr Rev", "jobTitle": "MD"}
    assert node["citation"][0]["@type"] == "CreativeWork"
    assert node["citation"][0]["name"] == "Cited study"
    assert "Medically reviewed by Dr Rev, MD" in client.get(article.url).content.decode()


@pytest.mark.django_db
def test_overdue_review_report_lists_only_overdue_pages(
    admin_client, article, faq_page, guideline_page
):
    today = datetime.date.today()
    article.last_reviewed = today - datetime.timedelta(days=400)
    article.save_revision().publish()
    faq_page.last_reviewed = today - datetime.timedelta(days=10)
    faq_page.save_revision().publish()
    # guideline_page was never reviewed: overdue too.
    response = admin_client.get(reverse("kratom_pages_overdue_reviews"))
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html and guideline_page.title in html
    assert faq_page.title not in html
    dashboard = " ".join(admin_client.get("/admin/").content.decode().split())
    assert "2 health pages are overdue for medical review." in dashboard


def _article_form_data(page, body):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text("A lede."),
            "hero_image": "",
            "body": streamfield(body),
            "author_name": "",
            "published_date": "",
            "reviewed_by": "",
            "last_reviewed": "",
            "disclaimer_override": rich_text(""),
            "seo_title": "",
            "search_description": "",
            "allow_replies": "on",
        }
    )


def _unsourced_claim_body():
    return [
        (
            "numbered_sections",
            {
                "heading": "Claims",
                "items": streamfield(
                    [
                        (
                            "item",
                            {
                                "heading": "Energy",
                                "body": rich_text("Claimed."),
                                "evidence_level": "anecdotal",
                                "citations": streamfield([]),
                            },
                        )
                    ]
                ),
            },
        )
    ]


@pytest.mark.django_db
def test_publishing_an_unsourced_claim_without_disclaimer_is_refused_but_drafts_save(
    admin_client, settings, article
):
    settings.KRATOM_PAGES = {"PUBLISH_CHECKS": True}
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = _article_form_data(article, _unsourced_claim_body())
    live_revision = article.live_revision_id

    refused = admin_client.post(url, {**data, "action-publish": "publish"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Cite at least one source for this claim." in html  # on the claim itself
    assert "Add a medical disclaimer" in html
    article.refresh_from_db()
    assert article.live_revision_id == live_revision  # nothing was published
    assert article.body[0].block_type == "heading"  # the live body is untouched

    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.has_unpublished_changes
    draft = article.get_latest_revision_as_object()
    assert draft.body[0].value["items"][0]["heading"] == "Energy"
    live = ArticlePage.objects.get(pk=article.pk)
    assert live.body[0].block_type == "heading"


@pytest.mark.django_db
def test_publish_checks_pass_with_sources_and_a_site_disclaimer(admin_client, settings, article):
    settings.KRATOM_PAGES = {"PUBLISH_CHECKS": True}
    HealthContentSettings.objects.create(
        site=Site.objects.get(is_default_site=True), default_disclaimer="<p>Not advice.</p>"
    )
    source = SourceFactory()
    body = _unsourced_claim_body()
    body[0][1]["items"]["0"]["value"]["citations"] = streamfield([("item", source.pk)])
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = admin_client.post(
        url, {**_article_form_data(article, body), "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.body[0].value["items"][0]["citations"][0] == source


@pytest.mark.django_db
def test_publish_checks_are_off_by_default(admin_client, article):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = _article_form_data(article, _unsourced_claim_body())
    assert admin_client.post(url, {**data, "action-publish": "publish"}).status_code == 302
