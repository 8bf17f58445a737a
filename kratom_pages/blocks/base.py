"""Shared foundations for every kratom-pages block."""

import logging

from pydantic import BaseModel
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from kratom_pages import conf, prefetch
from kratom_pages.api.schemas import ShapeError, represent
from kratom_pages.representations import page_link_representation, rich_text_representation

PREVIEW_TEMPLATE = "kratom_pages/blocks/preview.html"
logger = logging.getLogger(__name__)


class PreviewableBlockMixin:
    """Renders block-picker previews with our stylesheet, without making projects override
    Wagtail's global preview template."""

    def get_preview_template(self, value, context=None):
        return getattr(self.meta, "preview_template", None) or PREVIEW_TEMPLATE


class ShapedStructBlock(blocks.StructBlock):
    """A StructBlock whose API value is the pydantic schema named by ``api_schema`` (in
    ``kratom_pages.api.schemas``, the shape's one definition): each of the schema's fields
    is filled by ``api_values`` or else by the child block of that name (its own API
    value), then validated and dumped by the schema."""

    api_schema: type[BaseModel]

    def api_values(self, value, context) -> dict:
        """Fields that are not simply a child's API value."""
        return {}

    def get_api_representation(self, value, context=None):
        values = self.api_values(value, context)
        for name in self.api_schema.model_fields:
            if name not in values and name in self.child_blocks:
                child = self.child_blocks[name]
                values[name] = child.get_api_representation(value.get(name), context)
        return represent(self.api_schema, values)


class ShapedStreamBlock(blocks.StreamBlock):
    """A page body: its API value leaves out (and logs) a block whose stored content no
    longer fits its documented shape, rather than failing the page or serving it."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return []
        items = []
        for child in value:
            try:
                shaped = child.block.get_api_representation(child.value, context=context)
            except ShapeError as error:
                logger.warning(
                    "Block %s %s left out of the API: %s", child.block.name, child.id, error
                )
                continue
            items.append({"type": child.block.name, "value": shaped, "id": child.id})
        return items


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
