"""An image's placeholder: its dominant colour and a blurred preview as a data URI.

A data URI rather than a BlurHash: a browser shows it with no script (a CSS
``background-image`` or ``<img src>``), next/image takes it as ``blurDataURL`` as it is,
and at 16 px WebP it weighs 100-300 bytes, about what a BlurHash string plus its decoder's
canvas costs a reader. Wagtail makes no such thing, so Pillow makes it here, once per file.
"""

import base64
import io
import logging

from django.db import DatabaseError

from kratom_pages.images.formats import is_svg
from kratom_pages.images.models import ImagePlaceholder

logger = logging.getLogger(__name__)

PREVIEW_SIZE = 16  # px on the longer side: enough to hint at the picture, under 1 KB
MAX_BYTES = 1024


def describe(file) -> tuple[str, str]:
    """``(dominant colour as #rrggbb, blurred preview as a WebP data URI)`` of an image file."""
    from PIL import Image

    with Image.open(file) as original:
        original.draft("RGB", (PREVIEW_SIZE * 8, PREVIEW_SIZE * 8))  # JPEG: decode small
        picture = original.convert("RGB")
    size = PREVIEW_SIZE
    while True:
        small = picture.copy()
        small.thumbnail((size, size))
        out = io.BytesIO()
        small.save(out, "WEBP", quality=40)
        uri = "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode()
        if len(uri) <= MAX_BYTES or size <= 4:
            break
        size //= 2
    # The most common of a few colours, not the mean: a mean of a red flower on green
    # leaves is brown, which is in neither.
    quantized = small.quantize(colors=4)
    _count, index = max(quantized.getcolors())
    red, green, blue = quantized.getpalette()[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}", uri


def ensure(image) -> ImagePlaceholder | None:
    """The stored placeholder of ``image``, made now if it has none or its file changed;
    None for SVG and for a file that cannot be read (logged)."""
    if is_svg(image):
        return None
    file_hash = getattr(image, "file_hash", "") or ""
    stored = ImagePlaceholder.objects.filter(image=image).first()
    if stored is not None and stored.file_hash == file_hash:
        return stored
    try:
        with image.open_file() as file:
            color, uri = describe(file)
    except Exception:  # noqa: BLE001 - a missing or broken file: readers get no placeholder
        logger.warning("Could not make a placeholder for image %s", image.pk, exc_info=True)
        return None
    values = {"file_hash": file_hash, "dominant_color": color, "data_uri": uri}
    try:
        stored, _created = ImagePlaceholder.objects.update_or_create(image=image, defaults=values)
    except DatabaseError:
        logger.warning("Could not store the placeholder of image %s", image.pk, exc_info=True)
        return None
    return stored
