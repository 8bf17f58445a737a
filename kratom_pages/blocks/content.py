"""General content blocks: headings, paragraphs, images, quotes and callouts."""

from django.core.validators import validate_slug
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages.api import schemas
from kratom_pages.blocks.base import (
    ConfiguredRichTextBlock,
    PrefetchingImageChooserBlock,
    PrefetchingPageChooserBlock,
    PreviewableBlockMixin,
    ShapedStructBlock,
)
from kratom_pages.blocks.citations import citation_list_block, cited_sources_representation
from kratom_pages.images import alt_text
from kratom_pages.publishing import visibility
from kratom_pages.representations import image_representation

HEADING_LEVELS = [
    ("h2", _("Level 2 (section)")),
    ("h3", _("Level 3 (subsection)")),
    ("h4", _("Level 4 (minor heading)")),
]

CALLOUT_VARIANTS = [
    ("info", _("Information")),
    ("warning", _("Warning")),
    ("disclaimer", _("Medical disclaimer")),
]


class HeadingBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A section heading with a level and a stable anchor for in-page links."""

    api_schema = schemas.HeadingValue

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=HEADING_LEVELS,
        default="h2",
        help_text=_("Keep levels in order: an h3 belongs under an h2."),
    )
    anchor = blocks.CharBlock(
        label=_("Anchor"),
        required=False,
        max_length=80,
        validators=[validate_slug],
        help_text=_("Optional id for links such as #what-is-kratom. Leave blank to derive it."),
    )

    @staticmethod
    def anchor_for(value) -> str:
        return value.get("anchor") or slugify(value.get("text") or "")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor"] = self.anchor_for(value)
        return context

    def api_values(self, value, context) -> dict:
        return {"anchor": self.anchor_for(value)}

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "kratom_pages/blocks/heading.html"
        description = _("A section heading (h2 to h4) with an optional anchor.")
        preview_value = {"text": _("What is kratom?"), "level": "h2", "anchor": ""}


class ParagraphBlock(PreviewableBlockMixin, ConfiguredRichTextBlock):
    """Body text with a small, editorial feature list (no headings: use HeadingBlock)."""

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "kratom_pages/blocks/paragraph.html"
        description = _("Rich text: bold, italic, links and lists.")
        preview_value = (
            "<p>Kratom comes from the leaves of <i>Mitragyna speciosa</i>, a tree in the "
            "coffee family native to Southeast Asia.</p>"
        )


class ImageBlock(PreviewableBlockMixin, ShapedStructBlock):
    """An image with an optional caption, credit and alt text override."""

    api_schema = schemas.ImageValue

    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe the image for screen-reader users. Leave blank to use the image title."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative"),
        required=False,
        help_text=_(
            'Tick when the image adds nothing to the text: screen readers skip it (alt="").'
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=200)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        image = value.get("image")
        context["image"] = image if visibility.is_public_image(image) else None
        decorative = bool(value.get("decorative"))
        context["decorative"] = decorative
        context["place"] = self.meta.place
        context["alt"] = alt_text(image, value.get("alt_text"), decorative) if image else ""
        return context

    def api_values(self, value, context) -> dict:
        image = value.get("image")
        alt, decorative = value.get("alt_text"), bool(value.get("decorative"))
        return {
            "image": image_representation(
                image, alt, context, decorative=decorative, place=self.meta.place
            ),
            "caption": value.get("caption") or "",
            "credit": value.get("credit") or "",
        }

    def get_preview_value(self):
        # Preview with the newest image in the library; an empty library previews nothing.
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("-created_at").first()
        return self.normalize(
            {"image": image, "caption": _("An image from your library, as readers see it.")}
        )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "kratom_pages/blocks/image.html"
        description = _("An image with caption, credit and alternative text.")
        # Where it is shown (a key of IMAGE_SIZES): its sizes attribute, in the API too.
        place = "inline"


class PullQuoteBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A short quotation set apart from the text, with its attribution."""

    api_schema = schemas.PullQuoteValue

    quote = blocks.TextBlock(label=_("Quote"), max_length=500)
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)
    source_url = blocks.URLBlock(label=_("Source URL"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Pull quote")
        template = "kratom_pages/blocks/pull_quote.html"
        description = _("A quotation set apart from the text, with who said it.")
        preview_value = {
            "quote": _("Self-reported benefits are not the same as evidence from trials."),
            "attribution": _("Editorial note"),
        }


class CalloutBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A boxed note: information, a warning, or a medical disclaimer."""

    api_schema = schemas.CalloutValue

    variant = blocks.ChoiceBlock(label=_("Variant"), choices=CALLOUT_VARIANTS, default="info")
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    body = ConfiguredRichTextBlock(label=_("Body"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "kratom_pages/blocks/callout.html"
        description = _("A highlighted note: information, warning or medical disclaimer.")
        preview_value = {
            "variant": "disclaimer",
            "title": _("Not medical advice"),
            "body": _("<p>This page is general information. Talk to a clinician.</p>"),
        }


class ConclusionBlock(PreviewableBlockMixin, ShapedStructBlock):
    """The article's closing summary, marked up as its own section."""

    api_schema = schemas.ConclusionValue

    heading = blocks.CharBlock(label=_("Heading"), default=_("Conclusion"), max_length=200)
    body = ConfiguredRichTextBlock(label=_("Body"))

    class Meta:
        icon = "doc-full"
        label = _("Conclusion")
        template = "kratom_pages/blocks/conclusion.html"
        description = _("A closing summary section with its own heading.")
        preview_value = {
            "heading": _("Conclusion"),
            "body": _("<p>The evidence is early and mostly self-reported.</p>"),
        }


class RelatedPagesBlock(PreviewableBlockMixin, ShapedStructBlock):
    """ "Further reading": links to other pages on the site."""

    api_schema = schemas.RelatedPagesValue

    heading = blocks.CharBlock(
        label=_("Heading"), required=False, max_length=200, default=_("Further reading")
    )
    pages = blocks.ListBlock(
        PrefetchingPageChooserBlock(label=_("Page")), label=_("Pages"), min_num=1
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        chosen = [page for page in value.get("pages") or [] if page is not None]
        visible = visibility.visible_page_ids(page.pk for page in chosen)
        context["visible_pages"] = [page for page in chosen if page.pk in visible]
        return context

    def api_values(self, value, context) -> dict:
        links = self.child_blocks["pages"].get_api_representation(value["pages"], context)
        # Unpublished, private or deleted pages are dropped rather than sent as nulls.
        return {"heading": value.get("heading") or "", "pages": [link for link in links if link]}

    def get_preview_value(self):
        # Preview with a few live pages from the site; an empty site previews nothing.
        from wagtail.models import Page

        pages = list(Page.objects.live().filter(depth__gt=1).order_by("-last_published_at")[:3])
        return self.normalize({"heading": _("Further reading"), "pages": pages})

    class Meta:
        icon = "link"
        label = _("Related pages")
        template = "kratom_pages/blocks/related_pages.html"
        description = _("A short list of links to other pages on this site.")


class CitedParagraphBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A paragraph that makes claims, with the sources behind them."""

    api_schema = schemas.CitedParagraphValue

    text = ConfiguredRichTextBlock(label=_("Text"))
    citations = citation_list_block(min_num=1)

    def api_values(self, value, context) -> dict:
        citations = self.child_blocks["citations"]
        return {"citations": cited_sources_representation(citations, value["citations"], context)}

    class Meta:
        icon = "openquote"
        label = _("Paragraph with sources")
        template = "kratom_pages/blocks/cited_paragraph.html"
        description = _("Text that makes claims, followed by numbered source markers.")
        preview_value = {
            "text": _("<p>The FDA has not approved any kratom product for medical use.</p>"),
            "citations": [],
        }
