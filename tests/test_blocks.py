"""Block validation and block-picker previews."""

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail import blocks

from kratom_pages.blocks import (
    ArticleBodyBlock,
    FAQBodyBlock,
    FAQListBlock,
    GuidelineBodyBlock,
    GuidelineItemBlock,
    HeadingBlock,
    NumberedSectionListBlock,
)


def _faq_value(*questions):
    block = FAQListBlock()
    return block, block.to_python(
        {"heading": "Q", "items": [{"question": q, "answer": "<p>A</p>"} for q in questions]}
    )


def _item_errors(error):
    return error.block_errors["items"].block_errors


def test_duplicate_faq_question_is_rejected_naming_the_repeat():
    block, value = _faq_value("Is kratom legal?", "What is kratom?", "  is KRATOM legal ")
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    errors = _item_errors(excinfo.value)
    assert list(errors) == [2]
    message = errors[2].block_errors["question"].messages[0]
    assert "repeats question 1" in message


def test_blank_faq_question_is_rejected():
    block, value = _faq_value("What is kratom?", "   ")
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    errors = _item_errors(excinfo.value)
    assert list(errors) == [1]
    assert "needs text" in errors[1].block_errors["question"].messages[0]


def test_unique_faq_questions_are_accepted():
    block, value = _faq_value("What is kratom?", "Is it approved?")
    cleaned = block.clean(value)
    assert [item["question"] for item in cleaned["items"]] == ["What is kratom?", "Is it approved?"]


def test_guideline_with_empty_label_is_rejected():
    block = GuidelineItemBlock()
    value = block.to_python({"label": "", "explanation": "", "kind": "do"})
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "label" in excinfo.value.block_errors


def test_guideline_kind_must_be_a_known_choice():
    block = GuidelineItemBlock()
    value = block.to_python({"label": "Start low", "explanation": "", "kind": "maybe"})
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "kind" in excinfo.value.block_errors


def test_numbered_section_list_needs_an_item():
    block = NumberedSectionListBlock()
    value = block.to_python({"heading": "Benefits", "items": []})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_numbered_section_evidence_level_must_be_known():
    block = NumberedSectionListBlock()
    value = block.to_python(
        {
            "heading": "",
            "items": [
                {"heading": "Pain", "body": "<p>x</p>", "evidence_level": "proven", "citations": []}
            ],
        }
    )
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(value)


def test_heading_anchor_must_be_a_slug():
    block = HeadingBlock()
    value = block.to_python({"text": "What is kratom?", "level": "h2", "anchor": "bad anchor!"})
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "anchor" in excinfo.value.block_errors


def test_heading_anchor_defaults_to_slug_of_text():
    html = HeadingBlock().render(
        HeadingBlock().to_python({"text": "What is kratom?", "level": "h3", "anchor": ""})
    )
    assert html.strip() == '<h3 id="what-is-kratom" class="kp-heading">What is kratom?</h3>'


def _all_child_blocks():
    seen = {}
    for stream in (ArticleBodyBlock(), GuidelineBodyBlock(), FAQBodyBlock()):
        for block in stream.child_blocks.values():
            seen[type(block).__name__] = block
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(_all_child_blocks()))
def test_every_block_has_description_and_renders_its_preview(name, article):
    wagtail_factories.ImageFactory()
    block = _all_child_blocks()[name]
    assert block.is_previewable
    assert str(block.get_description())
    assert block.meta.icon
    html = block.render(block.get_preview_value())
    assert html.strip()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(_all_child_blocks()))
def test_block_preview_view_renders_for_editors(admin_client, name):
    block = _all_child_blocks()[name]
    response = admin_client.get("/admin/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    assert b"kratom-pages.css" in response.content


@pytest.mark.django_db
def test_a_block_serialized_on_its_own_numbers_its_citations_from_one():
    """Outside a page body there is no reference list; numbers must still be integers
    (the v3 schema says ``number: int``), in the order the block cites its sources."""
    from kratom_pages.api.schemas import CitationSchema
    from kratom_pages.blocks.content import CitedParagraphBlock
    from tests.factories import SourceFactory

    first, second = SourceFactory(), SourceFactory()
    block = CitedParagraphBlock()
    value = block.to_python({"text": "<p>Claim.</p>", "citations": [second.pk, first.pk]})
    citations = block.get_api_representation(value, {})["citations"]
    assert [(c["number"], c["source"]["id"]) for c in citations] == [(1, second.pk), (2, first.pk)]
    for citation in citations:
        CitationSchema.model_validate(citation)
