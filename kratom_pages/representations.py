"""API values of the objects blocks and fields show: images, page links, sources,
reviewers, reviews and rich text, each in its shape from ``kratom_pages.api.schemas``.

Each helper reads bulk-loaded objects from ``kratom_pages.prefetch`` when they are active
and falls back to querying when called on its own, so it is correct in both cases and
fast inside our serializers.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from wagtail.api.rich_text import APIRichText

from kratom_pages import conf, prefetch, rich_text
from kratom_pages.absolute_urls import url_maker
from kratom_pages.api import schemas
from kratom_pages.api.schemas import represent
from kratom_pages.images import pictures
from kratom_pages.publishing import visibility

logger = logging.getLogger(__name__)


def request_from(context: dict | None):
    return (context or {}).get("request")


def rich_text_format(context: dict | None) -> str:
    """``?rich_text_format=`` when given (v2 validates it), else our configured default."""
    request = request_from(context)
    requested = request.GET.get("rich_text_format") if request is not None else None
    return requested or conf.get("RICH_TEXT_FORMAT")


def rich_text_representation(source: str, context: dict | None = None) -> str:
    """Rich text for frontends: resolved HTML by default, or the requested API format;
    sanitised and with links to hidden pages unlinked either way."""
    source = source or ""
    output_format = rich_text_format(context)
    if output_format == APIRichText.FORMAT_HTML:
        objects = prefetch.active()
        if objects is not None and source in objects.rich_text:
            return objects.rich_text[source]
    return rich_text.serialize(source, output_format)


def _public(obj, loaded: str, is_public):
    """``obj`` as bulk-loaded for this serialization (``prefetch.active()``, attribute
    ``loaded``) when it was, else ``obj`` itself; None when missing or not public."""
    if obj is None:
        return None
    objects = prefetch.active()
    if objects is not None and obj.pk in getattr(objects, loaded):
        return getattr(objects, loaded)[obj.pk]  # None there means not public
    return obj if is_public(obj) else None


def image_representation(
    image,
    alt: str = "",
    context: dict | None = None,
    *,
    decorative: bool = False,
    place: str = "inline",
) -> dict | None:
    """The image's one shape (``images.pictures``), its URLs absolute; ``None`` for a
    missing image or one in a restricted collection. ``place`` (hero, inline, gallery, thumbnail)
    picks its ``sizes``."""
    # The bulk-loaded instance carries prefetched renditions and its placeholder.
    image = _public(image, "images", visibility.is_public_image)
    if image is None:
        return None
    request = request_from(context)
    values = pictures.picture_values(
        image,
        url_maker(request),
        alt=alt,
        decorative=decorative,
        sizes=pictures.sizes_for(place),
    )
    return represent(schemas.KratomImageSchema, values)


def social_image_representation(image, context: dict | None = None) -> dict | None:
    """``{url, width, height}`` (absolute) of the image as pages share it (Open Graph,
    JSON-LD): its ``SOCIAL_IMAGE_SPEC`` rendition, else its shape's fallback; ``None``
    for a missing or restricted image."""
    loaded = _public(image, "images", visibility.is_public_image)
    if loaded is None:
        return None
    found = pictures.social_values(loaded, url_maker(request_from(context)))
    if found is None:
        found = (image_representation(loaded, context=context) or {}).get("fallback")
    return found


def page_link_representation(page, context: dict | None = None) -> dict | None:
    """``{id, title, url, type}`` for a visible page; ``None`` otherwise."""
    page = _public(page, "pages", visibility.is_visible)
    if page is None:
        return None
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    values = {
        "id": page.pk,
        "title": page.title,
        "url": page.get_url(request=request_from(context)),
        "type": model._meta.label if model else None,
    }
    return represent(schemas.PageLinkSchema, values)


def source_representation(source) -> dict | None:
    """A cited source as structured data, for frontends to format as they wish."""
    return represent(schemas.SourceSchema, source) if source is not None else None


def reviewer_representation(reviewer) -> dict | None:
    return represent(schemas.ReviewerSchema, reviewer) if reviewer is not None else None


def review_representation(page) -> dict | None:
    """The page's medical review from the workflow (``evidence.review``), or None."""
    from kratom_pages.evidence.review import review_of

    review = review_of(page)
    if review is None:
        return None
    values = {
        "reviewer": review.reviewer,
        "reviewed_at": review.reviewed_on,
        "revision_id": review.record.revision_number,
        "covers_live_content": review.covers_live_content,
    }
    return represent(schemas.ReviewSchema, values)
