"""Completeness is a publish-time matter, as for Wagtail's own required fields: drafts
(Save draft, autosave) keep unfinished content; Publish puts the error on the block that
needs it. No claim or guideline starts with a level or kind nobody chose."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.form_data import rich_text, streamfield

from kratom_pages.api.schemas import GuidelineItem, NumberedSectionItem
from kratom_pages.blocks import (
    FAQListBlock,
    GuidelineItemBlock,
    GuidelineListBlock,
    NumberedSectionListBlock,
)
from kratom_pages.models import FAQPage
from tests.test_admin import _add_url, _faq_post_data
from tests.test_evidence import _article_form_data


def _claims(level: str):
    block = NumberedSectionListBlock()
    value = block.to_python(
        {
            "heading": "",
            "items": [
                {"heading": "Pain", "body": "<p>x</p>", "evidence_level": level, "citations": []}
            ],
        }
    )
    return block, value


def _item_errors(error):
    return error.block_errors["items"].block_errors


def test_new_claims_and_guidelines_have_no_preset_level_or_kind():
    claim = NumberedSectionListBlock().child_blocks["items"].child_block
    assert not claim.child_blocks["evidence_level"].get_default()
    assert not GuidelineItemBlock().child_blocks["kind"].get_default()


def test_ungraded_claim_passes_a_draft_save_but_not_publish_naming_the_claim():
    block, value = _claims("")
    block.clean_deferred(value)  # draft: accepted
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    errors = _item_errors(excinfo.value)
    assert list(errors) == [0]
    assert "Choose an evidence level" in errors[0].block_errors["evidence_level"].messages[0]


def test_guideline_without_kind_passes_a_draft_save_but_not_publish():
    block = GuidelineListBlock()
    value = block.to_python(
        {"heading": "", "items": [{"label": "Start low", "explanation": "", "kind": ""}]}
    )
    block.clean_deferred(value)
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    message = _item_errors(excinfo.value)[0].block_errors["kind"].messages[0]
    assert "Choose do, caution or avoid" in message


def test_blank_faq_question_is_a_publish_error_only():
    block = FAQListBlock()
    value = block.to_python(
        {"heading": "Q", "items": [{"question": "  ", "answer": "<p>A</p>"}, {"question": "B?"}]}
    )
    block.clean_deferred(value)
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "needs text" in _item_errors(excinfo.value)[0].block_errors["question"].messages[0]


def test_duplicate_faq_question_is_still_refused_in_a_draft():
    block = FAQListBlock()
    value = block.to_python({"heading": "Q", "items": [{"question": "A?"}, {"question": "a"}]})
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean_deferred(value)


def test_ungraded_claim_has_null_level_and_no_badge():
    block, value = _claims("")
    item = block.get_api_representation(value)["items"][0]
    assert item["evidence_level"] is None and item["evidence_level_label"] == ""
    NumberedSectionItem.model_validate(item)  # the v3 schema accepts it
    html = render_to_string(block.meta.template, block.get_context(value))
    assert "Pain" in html and "Evidence:" not in html
    guideline = GuidelineItemBlock()
    unset = guideline.to_python({"label": "Start low", "explanation": "", "kind": ""})
    representation = guideline.get_api_representation(unset)
    assert representation["kind"] is None
    GuidelineItem.model_validate(representation)
    assert "kp-badge" not in guideline.render(unset)


def _ungraded_claim_body():
    item = {
        "heading": "Energy",
        "body": rich_text("Claimed."),
        "evidence_level": "",
        "citations": streamfield([]),
    }
    return [("numbered_sections", {"heading": "Claims", "items": streamfield([("item", item)])})]


@pytest.mark.django_db
def test_admin_saves_an_ungraded_claim_as_draft_and_refuses_to_publish_it(admin_client, article):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = _article_form_data(article, _ungraded_claim_body())
    live_revision = article.live_revision_id

    refused = admin_client.post(url, {**data, "action-publish": "publish"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Choose an evidence level: nobody has graded this claim yet." in html
    article.refresh_from_db()
    assert article.live_revision_id == live_revision

    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    article.refresh_from_db()
    draft = article.get_latest_revision_as_object()
    assert draft.body[0].value["items"][0]["evidence_level"] in ("", None)


@pytest.mark.django_db
def test_admin_saves_a_draft_faq_with_a_blank_question(admin_client, index_page):
    data = _faq_post_data("Draft FAQ", "Is it legal?", "")
    assert admin_client.post(_add_url(index_page), data).status_code == 302
    page = FAQPage.objects.get(slug="posted-faq")
    assert not page.live

    published = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**data, "action-publish": "publish"},
    )
    assert published.status_code == 200
    assert "Every question needs text." in published.content.decode()
    page.refresh_from_db()
    assert not page.live
