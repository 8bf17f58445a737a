"""Frequently asked questions: question + answer items and a list that keeps questions unique."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages.api import schemas
from kratom_pages.blocks.base import (
    ConfiguredRichTextBlock,
    PreviewableBlockMixin,
    ShapedStructBlock,
)
from kratom_pages.blocks.citations import citation_list_block, cited_sources_representation


def normalise_question(question: str) -> str:
    """Compare questions the way a reader would: case, spacing and a trailing '?' ignored."""
    return " ".join(str(question or "").split()).casefold().rstrip("?").strip()


class FAQItemBlock(PreviewableBlockMixin, ShapedStructBlock):
    """One question with its answer."""

    api_schema = schemas.FAQItem

    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = ConfiguredRichTextBlock(label=_("Answer"))
    citations = citation_list_block(required=False)

    def api_values(self, value, context) -> dict:
        citations = self.child_blocks["citations"]
        return {
            "citations": cited_sources_representation(
                citations, value.get("citations") or [], context
            )
        }

    class Meta:
        icon = "help"
        label = _("Question")
        template = "kratom_pages/blocks/faq_item.html"
        description = _("A question and its answer.")
        preview_value = {
            "question": _("Is kratom approved as a medicine?"),
            "answer": _("<p>No. The FDA has not approved kratom for any medical use.</p>"),
        }


class FAQListBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A list of questions; rejects duplicate questions, and blank ones at publish (drafts
    may be unfinished), naming the item."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=200,
        default=_("Frequently asked questions"),
    )
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"), min_num=1)

    api_schema = schemas.FAQValue

    def clean(self, value):
        # Check blanks and duplicates before the children's own validation so that every
        # problem is reported at once, against the item that has it.
        item_errors = {}
        first_seen: dict[str, int] = {}
        for index, item in enumerate(value.get("items") or []):
            key = normalise_question(item.get("question"))
            if not key and self.is_deferred_validation:
                continue  # a draft may hold an unfinished question; Publish asks for it
            if not key:
                item_errors[index] = blocks.StructBlockValidationError(
                    block_errors={"question": ValidationError(_("Every question needs text."))}
                )
            elif key in first_seen:
                message = _("This question repeats question %(number)d.") % {
                    "number": first_seen[key] + 1
                }
                item_errors[index] = blocks.StructBlockValidationError(
                    block_errors={"question": ValidationError(message)}
                )
            else:
                first_seen[key] = index
        if item_errors:
            raise blocks.StructBlockValidationError(
                block_errors={"items": blocks.ListBlockValidationError(block_errors=item_errors)}
            )
        return super().clean(value)

    class Meta:
        icon = "help"
        label = _("FAQ list")
        template = "kratom_pages/blocks/faq_list.html"
        description = _("Questions and answers; each question must be unique.")
        preview_value = {
            "heading": _("Frequently asked questions"),
            "items": [
                {
                    "question": _("Is kratom approved as a medicine?"),
                    "answer": _("<p>No. The FDA has not approved it for any medical use.</p>"),
                },
                {
                    "question": _("Can people become dependent on kratom?"),
                    "answer": _("<p>Yes. NIDA reports dependence and withdrawal.</p>"),
                },
            ],
        }
