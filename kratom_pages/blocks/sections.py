"""The numbered section list: "1. Pain relief ... 7. Reduced anxiety", one claim per item."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages.blocks.base import ConfiguredRichTextBlock, PreviewableBlockMixin


class ReferenceBlock(blocks.StructBlock):
    """A citation typed in place: title, publisher, year and link."""

    title = blocks.CharBlock(label=_("Title"), max_length=300)
    publisher = blocks.CharBlock(
        label=_("Authors or publisher"),
        required=False,
        max_length=300,
        help_text=_("For example: U.S. Food and Drug Administration, or Garcia-Romeu et al."),
    )
    year = blocks.IntegerBlock(label=_("Year"), required=False, min_value=1800, max_value=2100)
    url = blocks.URLBlock(label=_("URL"), required=False)

    class Meta:
        icon = "link"
        label = _("Reference")


class NumberedSectionItemBlock(blocks.StructBlock):
    """One numbered section: a heading, a body and the references that support it."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = ConfiguredRichTextBlock(label=_("Body"))
    references = blocks.ListBlock(
        ReferenceBlock(),
        label=_("References"),
        default=[],
        help_text=_("Sources for the claim made in this section."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Numbered section")


class NumberedSectionListBlock(PreviewableBlockMixin, blocks.StructBlock):
    """An ordered list of sections; numbers follow the order editors give the items."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=200,
        help_text=_("Optional heading above the list, such as 'Claimed benefits'."),
    )
    items = blocks.ListBlock(NumberedSectionItemBlock(), label=_("Items"), min_num=1)

    def get_api_representation(self, value, context=None):
        items = self.child_blocks["items"].get_api_representation(value["items"], context)
        for number, item in enumerate(items, start=1):
            item["number"] = number
        return {"heading": value.get("heading") or "", "items": items}

    class Meta:
        icon = "list-ol"
        label = _("Numbered section list")
        template = "kratom_pages/blocks/numbered_section_list.html"
        description = _("An ordered list of sections, each with a heading, body and references.")
        preview_value = {
            "heading": _("Commonly claimed benefits"),
            "items": [
                {
                    "heading": _("Pain relief"),
                    "body": _("<p>Reported in user surveys; not tested in controlled trials.</p>"),
                    "references": [],
                },
                {
                    "heading": _("Easing opioid withdrawal"),
                    "body": _("<p>Evidence is limited to surveys and case reports.</p>"),
                    "references": [],
                },
            ],
        }
