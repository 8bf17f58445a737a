"""Shared foundations for every kratom-pages block."""

from wagtail import blocks

from kratom_pages import conf

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
