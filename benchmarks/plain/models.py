"""The baseline users have today: the same content with Wagtail's core blocks, served by
core Wagtail's API (images and pages as bare ids, rich text as database HTML)."""

from wagtail import blocks
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page


class PlainArticlePage(Page):
    body = StreamField(
        [
            ("heading", blocks.CharBlock()),
            ("paragraph", blocks.RichTextBlock()),
            ("image", ImageChooserBlock()),
            ("page", blocks.PageChooserBlock()),
            (
                "faq",
                blocks.ListBlock(
                    blocks.StructBlock(
                        [("question", blocks.CharBlock()), ("answer", blocks.RichTextBlock())]
                    )
                ),
            ),
            (
                "section",
                blocks.StructBlock(
                    [("heading", blocks.CharBlock()), ("body", blocks.RichTextBlock())]
                ),
            ),
        ],
        blank=True,
    )
    api_fields = [APIField("body")]
