"""Structured text: block quotations, code and tables, as imported posts and editors use
them. Each keeps what a paragraph cannot: a quotation's citation, preformatted whitespace,
a table's rows and columns."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock

from kratom_pages.api import schemas
from kratom_pages.api.schemas import represent
from kratom_pages.blocks.base import (
    ConfiguredRichTextBlock,
    PreviewableBlockMixin,
    ShapedStructBlock,
)


class QuoteBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A quotation in the flow of the text, with whom or what it quotes."""

    api_schema = schemas.QuoteValue

    quote = ConfiguredRichTextBlock(label=_("Quotation"))
    citation = blocks.CharBlock(
        label=_("Citation"),
        required=False,
        max_length=200,
        help_text=_("Who said or wrote it, and where."),
    )
    source_url = blocks.URLBlock(label=_("Source URL"), required=False)

    def api_values(self, value, context) -> dict:
        return {"citation": value.get("citation") or ""}

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "kratom_pages/blocks/quote.html"
        description = _("A quotation of one or more paragraphs, with its citation.")
        preview_value = {
            "quote": _("<p>The evidence for these uses is mostly self-reported.</p>"),
            "citation": _("Editorial note (example)"),
        }


class CodeBlock(PreviewableBlockMixin, ShapedStructBlock):
    """Preformatted text shown exactly as written: code, commands, poetry."""

    api_schema = schemas.CodeValue

    language = blocks.CharBlock(
        label=_("Language"),
        required=False,
        max_length=40,
        help_text=_("Optional, such as 'python' or 'html'."),
    )
    code = blocks.TextBlock(label=_("Text"), help_text=_("Shown as written, spaces kept."))

    def api_values(self, value, context) -> dict:
        return {"language": value.get("language") or "", "code": value.get("code") or ""}

    class Meta:
        icon = "code"
        label = _("Code or preformatted text")
        template = "kratom_pages/blocks/code.html"
        description = _("Text shown exactly as written, in a fixed-width font.")
        preview_value = {
            "language": "html",
            "code": '<p class="note">\n  Not medical advice.\n</p>',
        }


class TableBlock(PreviewableBlockMixin, TypedTableBlock):
    """A table of text cells (bold, italic and links) under column headings."""

    text = ConfiguredRichTextBlock(
        label=_("Text"), feature_setting="LEDE_FEATURES", required=False
    )  # empty cells are part of a table

    def to_python(self, value):
        """Stored JSON that does not have the table's shape reads as an empty table, so a
        damaged block costs its own content, never the page's rendering."""
        if not isinstance(value, dict):
            return super().to_python(None)
        columns = [
            column
            for column in value.get("columns") or []
            if isinstance(column, dict) and column.get("type") in self.child_blocks
        ]
        rows = [
            {"values": (list(row["values"]) + [""] * len(columns))[: len(columns)]}
            for row in value.get("rows") or []
            if isinstance(row, dict) and isinstance(row.get("values"), list)
        ]
        if not columns:
            return super().to_python(None)
        caption = value.get("caption")
        return super().to_python(
            {
                "columns": [{"type": c["type"], "heading": str(c.get("heading") or "")}
                            for c in columns],
                "rows": rows,
                "caption": caption if isinstance(caption, str) else "",
            }
        )  # fmt: skip

    def get_api_representation(self, value, context=None):
        value = self.normalize(value)
        rows = [
            [column["block"].get_api_representation(cell, context) for column, cell in zip(
                value.columns, row["values"], strict=False)]
            for row in value.row_data
        ]  # fmt: skip
        header = [column["heading"] for column in value.columns]
        return represent(
            schemas.TableValue, {"caption": value.caption or "", "header": header, "rows": rows}
        )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "kratom_pages/blocks/table.html"
        description = _("Rows and columns of text, with headings and a caption.")
        preview_value = {
            "caption": _("Example table"),
            "columns": [
                {"type": "text", "heading": _("Source")},
                {"type": "text", "heading": _("What it says")},
            ],
            "rows": [
                {"values": [_("<p>Public health body</p>"), _("<p>Not approved as a medicine</p>")]}
            ],
        }
