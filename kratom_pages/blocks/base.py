"""Shared foundations for every kratom-pages block."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from kratom_pages import conf, prefetch
from kratom_pages.representations import page_link_representation, rich_text_representation

PREVIEW_TEMPLATE = "kratom_pages/blocks/preview.html"


class PreviewableBlockMixin:
    """Renders block-picker previews with our stylesheet, without making projects override
    Wagtail's global preview template."""

    def get_preview_template(self, value, context=None):
        return getattr(self.meta, "preview_template", None) or PREVIEW_TEMPLATE


class ConfiguredRichTextBlock(blocks.RichTextBlock):
    """A RichTextBlock whose feature list comes from ``KRATOM_PAGES``.

    The features are resolved here rather than passed by the caller, so they are not frozen
    into migrations: a project can change them without migrating our app.
    """

    def __init__(self, *args, feature_setting: str = "RICH_TEXT_FEATURES", **kwargs):
        kwargs.setdefault("features", list(conf.get(feature_setting)))
        super().__init__(*args, **kwargs)

    def get_api_representation(self, value, context=None):
        return rich_text_representation(value.source if value else "", context)


class PrefetchingChooserMixin:
    """A chooser block that takes objects already bulk-loaded for the API response from
    ``prefetch.active()`` (its ``prefetched`` attribute names which kind), and loads them
    itself only when something it needs was not."""

    prefetched = ""

    def bulk_to_python(self, values):
        objects = prefetch.active()
        values = list(values)
        loaded = getattr(objects, self.prefetched, None) if objects is not None else None
        if loaded is None or any(v not in loaded for v in values if v is not None):
            return super().bulk_to_python(values)
        return [loaded.get(v) if v is not None else None for v in values]


class PrefetchingImageChooserBlock(PrefetchingChooserMixin, ImageChooserBlock):
    """An image chooser that takes images already bulk-loaded for the API response."""

    prefetched = "images"


class PrefetchingPageChooserBlock(PrefetchingChooserMixin, blocks.PageChooserBlock):
    """A page chooser that takes pages already bulk-loaded for the API response."""

    prefetched = "pages"

    def get_api_representation(self, value, context=None):
        return page_link_representation(value, context)
