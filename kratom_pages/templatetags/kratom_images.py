"""``{% picture %}``: an image as a ``<picture>``, from the same values the API serves."""

from django import template

from kratom_pages.representations import image_representation

register = template.Library()

# Places shown at the top of the page: loaded at once and first, not lazily.
ABOVE_THE_FOLD = {"hero"}


@register.inclusion_tag("kratom_pages/includes/picture.html", takes_context=True)
def picture(context, image, alt: str = "", decorative: bool = False, place: str = "inline"):
    """``<picture>`` with a ``<source>`` per format (AVIF, WebP), the original's format
    on the ``<img>``, the ``sizes`` of ``place`` (hero, inline, gallery, thumbnail) and the
    original's width and height, so the browser keeps the space before it loads
    (no layout shift). Nothing for a missing or restricted image."""
    values = image_representation(
        image, alt, {"request": context.get("request")}, decorative=decorative, place=place
    )
    if values is None:
        return {"picture": None}
    sources = values["sources"]
    return {
        "picture": values,
        "sources": sources[:-1],
        "img_srcset": sources[-1]["srcset"] if sources else "",
        "eager": place in ABOVE_THE_FOLD,
    }
