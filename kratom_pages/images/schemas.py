"""The image's API shape, defined once (``kratom_pages.api.schemas`` re-exports it). Like
that module it imports nothing of the app but settings, read when the OpenAPI document
is made."""

from typing import Literal

from pydantic import ConfigDict, Field

from kratom_pages.api.shapes import _Schema


class RenditionSchema(_Schema):
    url: str
    width: int
    height: int


class FocalPointSchema(_Schema):
    x: float = Field(description="From the left edge, as a fraction of the width (0-1).")
    y: float = Field(description="From the top edge, as a fraction of the height (0-1).")


def _published_widths(schema: dict, _model=None) -> None:
    # The width list, for a next/image loader's deviceSizes: every srcset holds these,
    # capped at the original's width.
    from kratom_pages import conf

    schema["x-widths"] = sorted(int(w) for w in conf.get("IMAGE_WIDTHS"))


class ImageSourceSchema(_Schema):
    model_config = ConfigDict(json_schema_extra=_published_widths)

    type: Literal["image/avif", "image/webp", "image/jpeg", "image/png"]
    srcset: str = Field(
        description="'URL 320w, URL 640w, …': the configured widths (x-widths) up to the "
        "original's, never wider."
    )


class KratomImageSchema(_Schema):
    """An image as our fields serve it. Named apart from Wagtail's own ``ImageSchema`` (the
    v3 images endpoint): OpenAPI components are keyed by class name, and one would replace
    the other in the served document."""

    id: int
    title: str
    alt: str = Field(description="Empty for a decorative image.")
    decorative: bool = Field(description="Whether screen readers should skip the image.")
    width: int
    height: int
    aspect_ratio: float | None = Field(description="width / height of the original.")
    focal_point: FocalPointSchema | None = Field(description="null when none was set.")
    dominant_color: str | None = Field(description="'#rrggbb'; null until made.")
    placeholder: str | None = Field(
        description="A blurred preview as a data URI (under 1 KB); null until made."
    )
    sources: list[ImageSourceSchema] = Field(
        description="Best format first (AVIF where the server can write it, WebP, then the "
        "original's format); empty for SVG."
    )
    fallback: RenditionSchema | None = Field(
        description="The <img src> in the original's format (an SVG's own file)."
    )
    sizes: str = Field(description="The sizes attribute for where this image is shown.")
    renditions: dict[str, RenditionSchema] = Field(
        description="Deprecated: named renditions (KRATOM_PAGES['RENDITIONS']), sent for "
        "one more release; use sources.",
        json_schema_extra={"deprecated": True},
    )
