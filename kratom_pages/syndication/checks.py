"""Checks of the sitemap and feed settings (registered by ``kratom_pages.checks``)."""

from django.core.checks import Error, Tags, register

from kratom_pages import conf

# The sitemaps protocol's limit of URLs in one file.
PROTOCOL_MAX_URLS = 50000
FEED_CONTENT_CHOICES = ("summary", "full")


def _positive_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@register(Tags.compatibility)
def check_syndication_settings(app_configs, **kwargs):
    errors = []
    size = conf.get("SITEMAP_PAGE_SIZE")
    if not _positive_integer(size) or size > PROTOCOL_MAX_URLS:
        errors.append(
            Error(
                "KRATOM_PAGES['SITEMAP_PAGE_SIZE'] must be an integer from 1 to "
                f"{PROTOCOL_MAX_URLS} (the sitemaps protocol's limit per file).",
                id="kratom_pages.E061",
            )
        )
    if not _positive_integer(conf.get("FEED_ITEMS")):
        errors.append(
            Error("KRATOM_PAGES['FEED_ITEMS'] must be a positive integer.", id="kratom_pages.E062")
        )
    if conf.get("FEED_CONTENT") not in FEED_CONTENT_CHOICES:
        errors.append(
            Error(
                "KRATOM_PAGES['FEED_CONTENT'] must be one of: "
                + ", ".join(repr(choice) for choice in FEED_CONTENT_CHOICES)
                + ".",
                id="kratom_pages.E063",
            )
        )
    return errors
