"""Media beside the text: embedded players and posts (oEmbed), and groups of images."""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock

from kratom_pages.api import schemas
from kratom_pages.blocks.base import PreviewableBlockMixin, ShapedStructBlock
from kratom_pages.blocks.content import ImageBlock


class EmbedBlock(PreviewableBlockMixin, ShapedStructBlock):
    """A video, audio player or social post from a provider Wagtail's embeds know."""

    api_schema = schemas.EmbedValue

    url = WagtailEmbedBlock(
        label=_("Address"), help_text=_("A YouTube, Vimeo or similar page address.")
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        embed = value.get("url")
        # The provider's HTML (fetched once, then kept by wagtail.embeds); a link when the
        # provider cannot be reached, so the page never loses the reference.
        context["embed_html"] = embed.html if embed and isinstance(embed.url, str) else ""
        context["embed_url"] = str(embed.url) if embed else ""
        return context

    def api_values(self, value, context) -> dict:
        # Never fetched for the API: frontends get the address and fetch oEmbed themselves.
        url = str(value["url"].url) if value.get("url") else ""
        return {
            "url": url,
            "provider": urlsplit(url).hostname or "",
            "caption": value.get("caption") or "",
        }

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "kratom_pages/blocks/embed.html"
        description = _("A video, audio player or post from another site, by its address.")
        preview_value = {
            "url": "https://media.example.org/a-talk-about-evidence",
            "caption": _("A recorded talk (example address)"),
        }


class GalleryBlock(PreviewableBlockMixin, ShapedStructBlock):
    """Images shown together, each with its own caption, and a caption for the group."""

    api_schema = schemas.GalleryValue

    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    images = blocks.ListBlock(ImageBlock(place="gallery"), label=_("Images"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Image group")
        template = "kratom_pages/blocks/gallery.html"
        description = _("Several images shown together, each with a caption.")

    def get_preview_value(self):
        from wagtail.images import get_image_model

        images = get_image_model().objects.order_by("-created_at")[:2]
        return self.normalize(
            {
                "caption": _("Images from your library, as readers see them."),
                "images": [{"image": image, "caption": image.title} for image in images],
            }
        )
