"""Each API shape is defined once, in ``kratom_pages.api.schemas``: blocks and
representations fill the schema, so what v2 serves is what v3 documents, and stored
content that no longer fits is left out rather than served or failing the page."""

import logging

import pytest

from kratom_pages.api import schemas
from kratom_pages.blocks import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock
from kratom_pages.blocks.base import ShapedStructBlock
from kratom_pages.blocks.content import HeadingBlock
from kratom_pages.replies.schemas import ReplySchema
from tests.factories import ArticlePageFactory


def _shaped_blocks():
    for stream in (ArticleBodyBlock(), GuidelineBodyBlock(), FAQBodyBlock()):
        for name, block in stream.child_blocks.items():
            if isinstance(block, ShapedStructBlock):
                yield f"{type(stream).__name__}.{name}", block


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "block"),
    list(_shaped_blocks()),
    # Names only: a block's repr holds its address, which differs between processes.
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_every_block_serves_exactly_the_fields_of_its_schema(name, block):
    value = block.get_preview_value()
    representation = block.get_api_representation(value, {})
    assert set(representation) == set(block.api_schema.model_fields)
    block.api_schema.model_validate(representation)  # and the types the schema says


def test_a_value_that_drifts_from_its_schema_is_refused():
    class DriftingHeading(HeadingBlock):
        def api_values(self, value, context):
            return {**super().api_values(value, context), "colour": "red"}

    block = DriftingHeading()
    value = block.to_python({"text": "Dosage", "level": "h2", "anchor": ""})
    with pytest.raises(schemas.ShapeError):
        block.get_api_representation(value, {})


def test_a_draft_heading_left_blank_serves_an_empty_string_not_null():
    block = HeadingBlock()
    value = block.to_python({"text": None, "level": "h2", "anchor": ""})
    assert block.get_api_representation(value, {}) == {"text": "", "level": "h2", "anchor": ""}


@pytest.mark.django_db
def test_stored_content_that_no_longer_fits_is_left_out_and_logged(client, index_page, caplog):
    page = ArticlePageFactory.build(slug="drifted")
    page.body = [
        {"type": "heading", "value": {"text": "Kept", "level": "h2", "anchor": ""}},
        # A level the block no longer offers (as after a code change), stored as raw JSON.
        {"type": "heading", "value": {"text": "Dropped", "level": "h9", "anchor": ""}},
    ]
    index_page.add_child(instance=page)
    page.save_revision().publish()
    with caplog.at_level(logging.WARNING, logger="kratom_pages.blocks.base"):
        for version in ("v2", "v3"):
            response = client.get(f"/api/{version}/pages/{page.pk}/")
            assert response.status_code == 200
            body = response.json()["body"]
            assert [item["value"]["text"] for item in body] == ["Kept"]
    assert "left out of the API" in caplog.text


@pytest.mark.django_db
def test_a_reply_has_one_shape_in_v2_and_v3(client, article):
    from kratom_pages.models import ReaderReply
    from tests.factories import ReaderReplyFactory

    ReaderReplyFactory(page=article, status=ReaderReply.Status.APPROVED)
    v2 = client.get(f"/api/v2/replies/?page={article.pk}").json()
    v3 = client.get(f"/api/v3/replies/?page={article.pk}").json()
    assert v2["items"] == v3["items"]
    assert set(v2["items"][0]) == set(ReplySchema.model_fields)
