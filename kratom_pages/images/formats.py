"""Which renditions an image is served in: widths from ``IMAGE_WIDTHS`` capped at the
original's (never upscaled, never repeated), each in AVIF where this Pillow can write it,
WebP, and the original's format for browsers that take neither. All are Wagtail filter
specs (``width-640|format-webp``), so Wagtail makes, stores and finds them."""

import io
import logging
import os
from dataclasses import dataclass
from functools import lru_cache

from kratom_pages import conf

logger = logging.getLogger(__name__)

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


@lru_cache(maxsize=1)
def avif_supported() -> bool:
    """Whether the installed Pillow (through Willow, as Wagtail calls it) can write AVIF:
    asked once per process by writing a 2-pixel image, and reported by ``check``."""
    try:
        from PIL import Image
        from willow.plugins.pillow import PillowImage

        PillowImage(Image.new("RGB", (2, 1))).save_as_avif(io.BytesIO())
    except Exception:  # noqa: BLE001 - any failure means no AVIF here
        logger.info("AVIF renditions are off: this Pillow cannot write AVIF")
        return False
    return True


def original_format(image) -> str:
    """The format renditions fall back to: JPEG for JPEG originals, else PNG (GIF, WebP,
    AVIF and HEIC originals included: every browser reads PNG). Read from the file name,
    so no file is opened to serve an image."""
    extension = os.path.splitext(getattr(image.file, "name", "") or "")[1].lower()
    return "jpeg" if extension in (".jpg", ".jpeg") else "png"


def is_svg(image) -> bool:
    return bool(getattr(image, "is_svg", lambda: False)())


def widths_for(original_width: int) -> tuple[int, ...]:
    """The configured widths below the original's, and the original's own width in place
    of every larger one: a 1,200 px image is served at 320, 640, 960 and 1200."""
    if not original_width or original_width < 1:
        return ()
    return tuple(sorted({min(int(w), original_width) for w in conf.get("IMAGE_WIDTHS")}))


@dataclass(frozen=True)
class Plan:
    """The renditions of one image: ``formats`` best first, the original's last."""

    widths: tuple[int, ...]
    formats: tuple[str, ...]

    @staticmethod
    def spec(width: int, image_format: str) -> str:
        return f"width-{width}|format-{image_format}"

    @property
    def fallback_width(self) -> int:
        fitting = [w for w in self.widths if w <= conf.get("IMAGE_FALLBACK_WIDTH")]
        return fitting[-1] if fitting else self.widths[0]

    def specs(self) -> list[str]:
        return [self.spec(w, f) for f in self.formats for w in self.widths]


def plan_for(image) -> Plan | None:
    """The renditions ``image`` is served in; None for SVG (served as it is) and for an
    image with no known size."""
    if image is None or is_svg(image):
        return None
    widths = widths_for(image.width)
    if not widths:
        return None
    formats = ("avif",) if avif_supported() else ()
    return Plan(widths=widths, formats=(*formats, "webp", original_format(image)))


def legacy_specs() -> dict[str, str]:
    """The deprecated named renditions (``RENDITIONS``), still served for one release."""
    return dict(conf.get("RENDITIONS") or {})


def social_spec() -> str | None:
    """The filter spec of pages' Open Graph and JSON-LD image: ``SOCIAL_IMAGE_SPEC``, or
    while the deprecated ``SOCIAL_IMAGE_RENDITION`` is set, the ``RENDITIONS`` entry it
    names (so removing ``RENDITIONS`` as W008 asks never changes a page's social image)."""
    named = conf.get("SOCIAL_IMAGE_RENDITION")
    if named:
        return legacy_specs().get(named)
    return conf.get("SOCIAL_IMAGE_SPEC") or None
