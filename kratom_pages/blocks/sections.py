"""The numbered section list: "1. Pain relief ... 7. Reduced anxiety", one claim per item."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages.api import schemas
from kratom_pages.blocks.base import (
    ConfiguredRichTextBlock,
    PreviewableBlockMixin,
    ShapedStructBlock,
)
from kratom_pages.blocks.citations import (
    EVIDENCE_LEVELS,
    citation_list_block,
    cited_sources_representation,
    evidence_level_block,
)

NUMBER_KEY = "kratom_section_number"  # the item's place, passed down by the list


class NumberedSectionItemBlock(ShapedStructBlock):
    """One numbered claim: a heading, what the evidence shows, its level and its sources.
    Its number is its place in the list, which the list passes in ``context``."""

    api_schema = schemas.NumberedSectionItem

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = ConfiguredRichTextBlock(label=_("Body"))
    evidence_level = evidence_level_block()
    citations = citation_list_block(help_text=_("Sources for the claim made in this section."))

    def api_values(self, value, context) -> dict:
        citations = self.child_blocks["citations"]
        return {
            "number": (context or {}).get(NUMBER_KEY, 1),
            # Drafts may leave the level blank: null (and no badge), never "".
            "evidence_level": value["evidence_level"] or None,
            "evidence_level_label": str(dict(EVIDENCE_LEVELS).get(value["evidence_level"], "")),
            "citations": cited_sources_representation(citations, value["citations"], context),
        }

    class Meta:
        icon = "list-ol"
        label = _("Numbered section")


class NumberedSectionListBlock(PreviewableBlockMixin, ShapedStructBlock):
    """An ordered list of sections; numbers follow the order editors give the items."""

    api_schema = schemas.NumberedSectionsValue

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=200,
        help_text=_("Optional heading above the list, such as 'Claimed benefits'."),
    )
    items = blocks.ListBlock(NumberedSectionItemBlock(), label=_("Items"), min_num=1)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["evidence_levels"] = EVIDENCE_LEVELS
        return context

    def api_values(self, value, context) -> dict:
        item_block = self.child_blocks["items"].child_block
        items = [
            item_block.get_api_representation(item, {**(context or {}), NUMBER_KEY: number})
            for number, item in enumerate(value["items"], start=1)
        ]
        return {"heading": value.get("heading") or "", "items": items}

    class Meta:
        icon = "list-ol"
        label = _("Numbered section list")
        template = "kratom_pages/blocks/numbered_section_list.html"
        description = _(
            "Numbered claims, each with what the evidence shows, its level and its sources."
        )
        preview_value = {
            "heading": _("Commonly claimed benefits"),
            "items": [
                {
                    "heading": _("Pain relief"),
                    "body": _("<p>Reported in user surveys; not tested in controlled trials.</p>"),
                    "evidence_level": "limited",
                    "citations": [],
                },
                {
                    "heading": _("Easing opioid withdrawal"),
                    "body": _("<p>Evidence is limited to surveys and case reports.</p>"),
                    "evidence_level": "anecdotal",
                    "citations": [],
                },
            ],
        }
