"""An image as readers get it, the one shape of the API (v2 and v3), the templates'
``<picture>`` and JSON-LD: ``{alt, decorative, width, height, aspect_ratio, focal_point,
dominant_color, placeholder, sources: [{type, srcset}], fallback: {url, width, height},
sizes}``, and the bulk loading that finds every rendition of many images in one query.
"""

import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Filter, SourceImageIOError

from kratom_pages import conf
from kratom_pages.images import alt_text
from kratom_pages.images.formats import (
    MIME_TYPES,
    Plan,
    is_svg,
    legacy_specs,
    plan_for,
    social_spec,
)

logger = logging.getLogger(__name__)


def specs_for(image) -> list[str]:
    """Every filter spec ``image`` is served in: its plan, the social image's, and the
    deprecated named ones."""
    plan = plan_for(image)
    specs = (plan.specs() if plan else []) + [social_spec(), *legacy_specs().values()]
    return list(dict.fromkeys(spec for spec in specs if spec))


def prefetch(images: Iterable[Any]) -> None:
    """Attach to each of ``images`` every rendition it is served in, in one query for all
    of them (Wagtail's ``prefetched_renditions``, which ``get_renditions`` reads first).
    Their placeholders come with them when the images were loaded with
    ``select_related("kratom_placeholder")``."""
    images = [image for image in images if image is not None]
    if not images:
        return
    specs = sorted({spec for image in images for spec in specs_for(image)})
    renditions = images[0].get_rendition_model().objects.filter(filter_spec__in=specs)
    prefetched = Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
    prefetch_related_objects(images, prefetched)


@lru_cache(maxsize=1024)
def _filter(spec: str) -> Filter:
    # One Filter per spec for the process: parsing a spec's operations (Wagtail inspects
    # each operation's signature) cost more than the rest of an image's shape. Filters
    # keep no per-image state, so sharing them is safe.
    return Filter(spec=spec)


def renditions_of(image) -> dict[str, Any]:
    """``{spec: rendition}`` for everything ``image`` is served in, made now for any that
    does not exist yet (the task makes them at upload and publish; this is the fallback).
    A rendition that cannot be made (the file is gone) is left out."""
    filters = [image.clean_filter_for_svg(_filter(spec)) for spec in specs_for(image)]
    if not filters:
        return {}
    try:
        # Found first (in the prefetched renditions, when ``prefetch`` ran): Wagtail's
        # ``get_renditions`` would also write every one it found back to the renditions
        # cache, a round trip and a pickle per image on every read.
        found = image.find_existing_renditions(*filters)
        missing = [f for f in filters if f not in found]
        made = image.get_renditions(*missing) if missing else {}
    except (SourceImageIOError, OSError, InvalidFilterSpecError, ValueError) as exc:
        logger.warning("Could not make renditions of image %s: %s", image.pk, exc)
        return {}
    return {**{f.spec: rendition for f, rendition in found.items()}, **made}


def _placeholder(image) -> Any:
    try:
        return image.kratom_placeholder
    except AttributeError:  # ObjectDoesNotExist subclasses AttributeError here
        return None


def _focal_point(image) -> dict[str, float] | None:
    # Fractions of the width and height, so they work at any rendition's size (CSS
    # ``object-position: 30% 60%``).
    if image.focal_point_x is None or not image.width or not image.height:
        return None
    return {
        "x": round(image.focal_point_x / image.width, 4),
        "y": round(image.focal_point_y / image.height, 4),
    }


def _sources(plan: Plan, made: dict, url: Callable[[str], str]) -> list[dict[str, str]]:
    sources = []
    for image_format in plan.formats:
        candidates = [made.get(plan.spec(width, image_format)) for width in plan.widths]
        made_ones = [r for r in candidates if r is not None]
        if made_ones:
            srcset = ", ".join(f"{url(r.url)} {r.width}w" for r in made_ones)
            sources.append({"type": MIME_TYPES[image_format], "srcset": srcset})
    return sources


def picture_values(
    image, url: Callable[[str], str], *, alt: str = "", decorative: bool = False, sizes: str
) -> dict[str, Any]:
    """The reader-facing values of a (public, loaded) image; ``url`` makes rendition URLs
    absolute. An SVG is served as it is: no sources, its own file as the fallback."""
    made = renditions_of(image)
    plan = plan_for(image)
    placeholder = _placeholder(image)
    fallback = None
    sources = []
    if plan is not None:
        sources = _sources(plan, made, url)
        fallback = _sized(made.get(plan.spec(plan.fallback_width, plan.formats[-1])), url)
    if fallback is None and is_svg(image):
        fallback = {"url": url(image.file.url), "width": image.width, "height": image.height}
    legacy = {}
    for name, spec in legacy_specs().items():
        if (sized := _sized(made.get(spec), url)) is not None:
            legacy[name] = sized
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt_text(image, alt, decorative),
        "decorative": decorative,
        "width": image.width,
        "height": image.height,
        "aspect_ratio": round(image.width / image.height, 4) if image.height else None,
        "focal_point": _focal_point(image),
        "dominant_color": placeholder.dominant_color if placeholder else None,
        "placeholder": placeholder.data_uri if placeholder else None,
        "sources": sources,
        "fallback": fallback,
        "sizes": sizes,
        "renditions": legacy,
    }


def social_values(image, url: Callable[[str], str]) -> dict[str, Any] | None:
    """``{url, width, height}`` of the (public, loaded) image's social rendition
    (``SOCIAL_IMAGE_SPEC``), or None when it has none (an SVG, a missing file)."""
    spec = social_spec()
    return _sized(renditions_of(image).get(spec), url) if spec else None


def _sized(rendition, url: Callable[[str], str]) -> dict[str, Any] | None:
    """``{url, width, height}`` of a rendition (None for none), its URL made by ``url``."""
    if rendition is None:
        return None
    return {"url": url(rendition.url), "width": rendition.width, "height": rendition.height}


def sizes_for(place: str) -> str:
    """The ``sizes`` attribute for images shown at ``place`` (hero, inline, gallery, thumbnail)."""
    sizes = conf.get("IMAGE_SIZES") or {}
    return sizes.get(place) or sizes.get("inline") or "100vw"
