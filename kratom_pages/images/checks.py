"""System checks of the image settings, and what this server can write (AVIF or not)."""

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

from kratom_pages import conf
from kratom_pages.images import formats


def _valid_widths(widths) -> bool:
    return (
        isinstance(widths, list | tuple)
        and bool(widths)
        and all(type(w) is int and 16 <= w <= 8192 for w in widths)
    )


@register(Tags.compatibility)
def check_image_settings(app_configs, **kwargs) -> list:
    messages: list = []
    widths = conf.get("IMAGE_WIDTHS")
    if not _valid_widths(widths):
        messages.append(
            Error(
                f"KRATOM_PAGES['IMAGE_WIDTHS'] must be a non-empty list of widths in pixels "
                f"(16 to 8192), not {widths!r}.",
                id="kratom_pages.E070",
            )
        )
    fallback = conf.get("IMAGE_FALLBACK_WIDTH")
    if type(fallback) is not int or fallback < 1:
        messages.append(
            Error(
                "KRATOM_PAGES['IMAGE_FALLBACK_WIDTH'] must be a width in pixels, "
                f"not {fallback!r}.",
                id="kratom_pages.E071",
            )
        )
    sizes = conf.get("IMAGE_SIZES")
    if not isinstance(sizes, dict) or not all(
        isinstance(v, str) and v.strip() for v in sizes.values()
    ):
        messages.append(
            Error(
                "KRATOM_PAGES['IMAGE_SIZES'] must map places (hero, inline, gallery, thumbnail) to "
                "sizes attributes.",
                id="kratom_pages.E072",
            )
        )
    if "RENDITIONS" in (getattr(settings, "KRATOM_PAGES", None) or {}):
        messages.append(
            Warning(
                "KRATOM_PAGES['RENDITIONS'] is deprecated: images' named renditions are "
                "sent this release only.",
                hint="Read each image's sources (widths from IMAGE_WIDTHS) instead, and "
                "remove RENDITIONS once no frontend reads image.renditions.",
                id="kratom_pages.W008",
            )
        )
    if (getattr(settings, "KRATOM_PAGES", None) or {}).get("SOCIAL_IMAGE_RENDITION"):
        messages.append(
            Warning(
                "KRATOM_PAGES['SOCIAL_IMAGE_RENDITION'] is deprecated: it names a key of "
                "the deprecated RENDITIONS.",
                hint="Set SOCIAL_IMAGE_SPEC to the filter spec itself (default 'fill-1200x630').",
                id="kratom_pages.W009",
            )
        )
    if not formats.avif_supported():
        messages.append(
            Info(
                "Images are served as WebP and their original format, not AVIF: the "
                "installed Pillow cannot write AVIF.",
                hint="Install Pillow 11.3 or newer from its wheels (AVIF built in), or "
                "pillow-heif.",
                id="kratom_pages.I001",
            )
        )
    return messages
