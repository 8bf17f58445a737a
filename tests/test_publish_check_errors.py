"""Publish checks an editor can act on: each problem is an error on the field that needs the
fix (the claim's sources, the disclaimer), reported in the same round as Wagtail's required
fields, and a refused Publish keeps the work as a draft and says so."""

import html as html_lib
import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import rich_text, streamfield

from kratom_pages.models import ArticlePage, HealthContentSettings
from tests.factories import SourceFactory
from tests.test_evidence import _article_form_data


def _claim(heading="Energy", level="anecdotal", citations=()):
    return (
        "item",
        {
            "heading": heading,
            "body": rich_text("Claimed."),
            "evidence_level": level,
            "citations": streamfield([("item", pk) for pk in citations]),
        },
    )


def _body(*claims):
    return [("numbered_sections", {"heading": "Claims", "items": streamfield(list(claims))})]


def _block_errors(page_html: str) -> dict:
    """The block errors Wagtail's StreamField widget is given (what it marks and counts)."""
    for match in re.finditer(r'data-w-block-arguments-value="([^"]*)"', page_html):
        arguments = json.loads(html_lib.unescape(match.group(1)))
        if arguments[1]:  # [value, errors]
            return arguments[1]
    raise AssertionError("no block errors in the page")


def _claim_errors(page_html: str, index: int) -> dict:
    items = _block_errors(page_html)["blockErrors"]["0"]["blockErrors"]["items"]
    return items["blockErrors"][str(index)]["blockErrors"]


@pytest.fixture
def checked(settings):
    settings.KRATOM_PAGES = {"PUBLISH_CHECKS": True}
    HealthContentSettings.objects.create(
        site=Site.objects.get(is_default_site=True), default_disclaimer="<p>Not advice.</p>"
    )


def _publish(client, page, body):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, {**_article_form_data(page, body), "action-publish": "publish"})


@pytest.mark.django_db
def test_unsourced_claim_error_is_on_that_claims_sources(admin_client, checked, article):
    source = SourceFactory()
    response = _publish(
        admin_client, article, _body(_claim("Sourced", citations=[source.pk]), _claim("Bare"))
    )
    assert response.status_code == 200
    page_html = response.content.decode()
    errors = _block_errors(page_html)["blockErrors"]["0"]["blockErrors"]["items"]["blockErrors"]
    assert list(errors) == ["1"]  # only the second claim, the one without a source
    assert errors["1"]["blockErrors"]["citations"]["messages"] == [
        "Cite at least one source for this claim."
    ]
    assert "Go to the first error" in page_html
    # The script that draws a list's errors as a field error (tests/e2e checks the looks).
    assert "kratom_pages/js/list-field-errors.js" in page_html


@pytest.mark.django_db
def test_required_field_and_publish_check_errors_come_in_one_round(admin_client, checked, article):
    response = _publish(admin_client, article, _body(_claim("Ungraded", level=""), _claim("Bare")))
    page_html = response.content.decode()
    first, second = _claim_errors(page_html, 0), _claim_errors(page_html, 1)
    assert "Choose an evidence level" in first["evidence_level"]["messages"][0]
    assert first["citations"]["messages"] == ["Cite at least one source for this claim."]
    assert second["citations"]["messages"] == ["Cite at least one source for this claim."]


@pytest.mark.django_db
def test_missing_disclaimer_is_an_error_on_the_disclaimer_field(admin_client, settings, article):
    settings.KRATOM_PAGES = {"PUBLISH_CHECKS": True}
    source = SourceFactory()
    response = _publish(admin_client, article, _body(_claim(citations=[source.pk])))
    form = response.context["form"]
    assert list(form.errors) == ["disclaimer_override"]
    assert "Add a medical disclaimer" in form.errors["disclaimer_override"][0]


@pytest.mark.django_db
def test_refused_publish_keeps_the_draft_and_says_could_not_be_published(
    admin_client, checked, article
):
    live_revision = article.live_revision_id
    response = _publish(admin_client, article, _body(_claim("Bare")))
    page_html = response.content.decode()
    assert "The page could not be published due to validation errors." in page_html
    assert "Your changes are saved as a draft." in page_html
    assert "could not be saved" not in page_html
    article.refresh_from_db()
    assert article.live_revision_id == live_revision  # not published
    assert article.has_unpublished_changes
    draft = article.get_latest_revision_as_object()
    assert draft.body[0].value["items"][0]["heading"] == "Bare"
    assert ArticlePage.objects.get(pk=article.pk).body[0].block_type == "heading"  # live body
    # The re-rendered form continues from the new draft (autosave and conflict checks).
    assert re.search(
        rf'name="loaded_revision_id"[^>]*value="{article.latest_revision_id}"', page_html
    )


@pytest.mark.django_db
def test_submission_invalid_even_as_a_draft_is_not_saved(admin_client, checked, article):
    revisions = article.revisions.count()
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {**_article_form_data(article, _body(_claim("Bare"))), "slug": "not a slug!"}
    response = admin_client.post(url, {**data, "action-publish": "publish"})
    page_html = response.content.decode()
    assert "The page could not be saved due to validation errors." in page_html
    assert article.revisions.count() == revisions


@pytest.mark.django_db
def test_a_page_that_passes_the_checks_publishes(admin_client, checked, article):
    source = SourceFactory()
    response = _publish(admin_client, article, _body(_claim(citations=[source.pk])))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body[0].value["items"][0]["citations"][0] == source
