"""DRF serializer fields for our pages' ``api_fields``.

API v2 uses them directly; Wagtail's API v3 reads each ``to_representation`` return
annotation to type the field in its OpenAPI schema, so the annotations matter.
This module must not import ``kratom_pages.models`` (models import it).
"""

from datetime import date
from typing import Any

from rest_framework.fields import Field

from kratom_pages import prefetch
from kratom_pages.absolute_urls import page_url
from kratom_pages.api import schemas
from kratom_pages.api.structured_data import (
    plain_text,
    social_image_rendition,
    structured_data_for,
)
from kratom_pages.representations import (
    image_representation,
    review_representation,
    reviewer_representation,
    rich_text_representation,
    source_representation,
)


class RichTextHTMLField(Field):
    """A RichTextField as frontend HTML by default (``?rich_text_format=`` overrides)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return rich_text_representation(value or "", self.context)


class ImageField(Field):
    """An image foreign key expanded to the image's one shape (``KratomImageSchema``),
    with the ``sizes`` of where it is shown (``place``: hero, inline, gallery, thumbnail;
    ``listing_place`` in listings, where a hero is shown as a card's thumbnail)."""

    def __init__(self, place: str = "inline", listing_place: str | None = None, **kwargs):
        kwargs["read_only"] = True
        self.place = place
        self.listing_place = listing_place or place
        super().__init__(**kwargs)

    def to_representation(self, value) -> schemas.KratomImageSchema | None:
        view = self.context.get("view")
        listing = getattr(view, "action", None) == "listing_view"
        place = self.listing_place if listing else self.place
        return image_representation(value, context=self.context, place=place)


class StreamBodyField(Field):
    """A StreamField with every block expanded, serialized with bulk-loaded references."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> list[Any]:
        with prefetch.for_stream(value):
            return value.stream_block.get_api_representation(value, self.context)


def typed_stream_field(item_schema: Any, name: str) -> type[StreamBodyField]:
    """A StreamBodyField subclass whose return type is ``list[item_schema]`` (for v3)."""

    def to_representation(self, value) -> list[item_schema]:  # type: ignore[valid-type]
        return StreamBodyField.to_representation(self, value)

    return type(name, (StreamBodyField,), {"to_representation": to_representation})


ArticleBodyField = typed_stream_field(schemas.ArticleBodyItem, "ArticleBodyField")
GuidelineBodyField = typed_stream_field(schemas.GuidelineBodyItem, "GuidelineBodyField")
FAQBodyField = typed_stream_field(schemas.FAQBodyItem, "FAQBodyField")


class _WholePageField(Field):
    """A read-only field computed from the whole page (``source="*"``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    @property
    def request(self):
        return self.context.get("request")


class SEOField(_WholePageField):
    """SEO title, description, canonical URL and Open Graph image of a page."""

    def to_representation(self, page) -> schemas.SEOSchema:
        return {
            "title": page.seo_title or page.title,
            "description": page.search_description or plain_text(getattr(page, "intro", "")),
            "canonical_url": page_url(page, self.request),
            "og_image": social_image_rendition(page, self.context),
        }


class DisclaimerField(_WholePageField):
    """The disclaimer to show beside the body: the page's own, else the site default, as
    HTML; "" when there is none, or when the body carries a disclaimer callout (see
    ``disclaimer_in_body``), so a frontend that shows both never shows two."""

    def to_representation(self, page) -> str:
        return rich_text_representation(page.disclaimer_beside_body(self.request), self.context)


class DisclaimerInBodyField(_WholePageField):
    """Whether a disclaimer callout in the body carries the page's disclaimer."""

    def to_representation(self, page) -> bool:
        return page.has_disclaimer_callout()


class ReviewerField(_WholePageField):
    """The medical reviewer the page may claim (``evidence.review.claimed_review``: a
    review record covering the live content under the workflow), public details only."""

    def to_representation(self, page) -> schemas.ReviewerSchema | None:
        from kratom_pages.evidence.review import claimed_review

        return reviewer_representation(claimed_review(page)[1])


class LastReviewedField(_WholePageField):
    """The date of that review, or null."""

    def to_representation(self, page) -> date | None:
        from kratom_pages.evidence.review import claimed_review

        return claimed_review(page)[0]


class ReviewField(_WholePageField):
    """The page's medical review sign-off from the workflow, or null: who, when, which
    revision, and whether the live content is the reviewed content."""

    def to_representation(self, page) -> schemas.ReviewSchema | None:
        return review_representation(page)


class ReferencesField(_WholePageField):
    """The page's numbered reference list: every cited source, in citation order."""

    def to_representation(self, page) -> list[schemas.CitationSchema]:
        return [
            {"number": number, "source": source_representation(source)}
            for number, source in prefetch.sources_cited_in(page.body)
        ]


class StructuredDataField(_WholePageField):
    """schema.org JSON-LD for the page, the same graph the template embeds."""

    def to_representation(self, page) -> schemas.StructuredData:
        # The first page of a section front's children: the API's cached entries do not
        # vary on ?page= (it is not an API parameter), so the answer must not either.
        return structured_data_for(page, self.request, children_page=1)


__all__ = [
    "ArticleBodyField",
    "DisclaimerField",
    "ReferencesField",
    "ReviewField",
    "ReviewerField",
    "FAQBodyField",
    "GuidelineBodyField",
    "ImageField",
    "RichTextHTMLField",
    "SEOField",
    "StructuredDataField",
]
