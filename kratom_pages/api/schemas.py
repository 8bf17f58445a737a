"""The API's shapes, each defined once: blocks' values and the objects they show.

Each schema is the one definition of its shape. Blocks (``blocks.base.ShapedStructBlock``)
and ``kratom_pages.representations`` fill them and serve ``represent(...)`` of them, so API
v2 sends exactly these fields; v3 documents them in its OpenAPI document (a StreamField
``body`` becomes a discriminated union on ``type``) and validates what it serves; the
frontend's TypeScript types are generated from that document (``make types``). This module
(and ``shapes``) imports nothing else of the app, so every layer may read it.
"""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, RootModel

# The mechanism (how values are filled in and checked) lives in shapes; imported here too,
# where callers have always found it.
from kratom_pages.api.shapes import (  # noqa: F401
    ShapeError,
    Timestamp,
    _Schema,
    represent,
)
from kratom_pages.images.schemas import (  # noqa: F401
    FocalPointSchema,
    ImageSourceSchema,
    KratomImageSchema,
    RenditionSchema,
)

ImageSchema = KratomImageSchema  # its name before 0.2, kept for imports


class PageLinkSchema(_Schema):
    id: int
    title: str
    url: str | None
    type: str | None = Field(description="Content type label, e.g. kratom_pages.ArticlePage.")


RichTextHTML = Annotated[
    str, Field(description="Rich text; resolved HTML unless ?rich_text_format= says otherwise.")
]


class HeadingValue(_Schema):
    text: str
    level: Literal["h2", "h3", "h4"]
    anchor: str


class ImageValue(_Schema):
    image: KratomImageSchema | None = Field(description="null when the image has been deleted.")
    caption: str
    credit: str


class PullQuoteValue(_Schema):
    quote: str
    attribution: str | None
    source_url: str | None


class QuoteValue(_Schema):
    quote: RichTextHTML
    citation: str = Field(description="Who or what is quoted; empty when not known.")
    source_url: str | None


class CodeValue(_Schema):
    language: str = Field(description="A language name such as 'php', or empty.")
    code: str = Field(description="Plain text, whitespace as written; escape it to show it.")


class TableValue(_Schema):
    caption: str
    header: list[str] = Field(description="Column headings, plain text.")
    rows: list[list[RichTextHTML]] = Field(description="Cells row by row, one per heading.")


class EmbedValue(_Schema):
    url: str = Field(description="The embedded page; fetch its oEmbed HTML to show it.")
    provider: str = Field(description="The URL's host, e.g. www.youtube.com.")
    caption: str


class GalleryValue(_Schema):
    caption: str
    images: list[ImageValue] = Field(description="In order; an image may be null (missing).")


class CalloutValue(_Schema):
    variant: Literal["info", "warning", "disclaimer"]
    title: str | None
    body: RichTextHTML


class ConclusionValue(_Schema):
    heading: str
    body: RichTextHTML


class SourceSchema(_Schema):
    id: int
    title: str
    authors: str
    publication: str
    year: int | None
    url: str
    doi: str
    link: str = Field(description="The DOI resolver link when there is a DOI, else the URL.")
    kind: Literal["public_health", "systematic_review", "trial", "observational", "news", "other"]
    kind_label: str


class CitationSchema(_Schema):
    number: int = Field(description="The source's number in the page's reference list.")
    source: SourceSchema


EvidenceLevel = Literal["strong", "moderate", "limited", "anecdotal", "none"]


class NumberedSectionItem(_Schema):
    number: int = Field(description="1-based position in the list.")
    heading: str
    body: RichTextHTML
    evidence_level: EvidenceLevel | None = Field(description="null while ungraded (drafts).")
    evidence_level_label: str
    citations: list[CitationSchema]


class CitedParagraphValue(_Schema):
    text: RichTextHTML
    citations: list[CitationSchema]


class NumberedSectionsValue(_Schema):
    heading: str
    items: list[NumberedSectionItem]


class GuidelineItem(_Schema):
    label: str
    explanation: RichTextHTML
    kind: Literal["do", "caution", "avoid"] | None = Field(description="null while unset (drafts).")
    kind_label: str


class GuidelinesValue(_Schema):
    heading: str | None
    items: list[GuidelineItem]


class FAQItem(_Schema):
    question: str
    answer: RichTextHTML
    citations: list[CitationSchema]


class FAQValue(_Schema):
    heading: str | None
    items: list[FAQItem]


class RelatedPagesValue(_Schema):
    heading: str
    pages: list[PageLinkSchema] = Field(description="Live, public pages only.")


def _item(name: str, value_schema: Any, class_name: str) -> type[BaseModel]:
    """A stream child ``{type, value, id}`` whose ``type`` is the literal block name."""
    return type(
        class_name,
        (_Schema,),
        {
            "__annotations__": {"type": Literal[name], "value": value_schema, "id": str},
            "__module__": __name__,
        },
    )


HeadingBlockItem = _item("heading", HeadingValue, "HeadingBlockItem")
ParagraphBlockItem = _item("paragraph", RichTextHTML, "ParagraphBlockItem")
CitedParagraphBlockItem = _item("cited_paragraph", CitedParagraphValue, "CitedParagraphBlockItem")
ImageBlockItem = _item("image", ImageValue, "ImageBlockItem")
PullQuoteBlockItem = _item("pull_quote", PullQuoteValue, "PullQuoteBlockItem")
CalloutBlockItem = _item("callout", CalloutValue, "CalloutBlockItem")
NumberedSectionsBlockItem = _item(
    "numbered_sections", NumberedSectionsValue, "NumberedSectionsBlockItem"
)
GuidelinesBlockItem = _item("guidelines", GuidelinesValue, "GuidelinesBlockItem")
FAQBlockItem = _item("faq", FAQValue, "FAQBlockItem")
ConclusionBlockItem = _item("conclusion", ConclusionValue, "ConclusionBlockItem")
RelatedPagesBlockItem = _item("related_pages", RelatedPagesValue, "RelatedPagesBlockItem")
QuoteBlockItem = _item("quote", QuoteValue, "QuoteBlockItem")
CodeBlockItem = _item("code", CodeValue, "CodeBlockItem")
TableBlockItem = _item("table", TableValue, "TableBlockItem")
EmbedBlockItem = _item("embed", EmbedValue, "EmbedBlockItem")
GalleryBlockItem = _item("gallery", GalleryValue, "GalleryBlockItem")


# RootModels rather than bare Annotated unions: Wagtail v3 reads the return type with
# typing.get_type_hints, which drops Annotated metadata and with it the discriminator.
class ArticleBodyItem(
    RootModel[
        Annotated[
            HeadingBlockItem
            | ParagraphBlockItem
            | CitedParagraphBlockItem
            | ImageBlockItem
            | PullQuoteBlockItem
            | CalloutBlockItem
            | NumberedSectionsBlockItem
            | GuidelinesBlockItem
            | FAQBlockItem
            | ConclusionBlockItem
            | RelatedPagesBlockItem
            | QuoteBlockItem
            | CodeBlockItem
            | TableBlockItem
            | EmbedBlockItem
            | GalleryBlockItem,
            Field(discriminator="type"),
        ]
    ]
):
    """One block of an article body, discriminated on ``type``."""


class GuidelineBodyItem(
    RootModel[
        Annotated[
            GuidelinesBlockItem | ParagraphBlockItem | CalloutBlockItem,
            Field(discriminator="type"),
        ]
    ]
):
    """One block of a guideline list page body, discriminated on ``type``."""


class FAQBodyItem(
    RootModel[Annotated[FAQBlockItem | CalloutBlockItem, Field(discriminator="type")]]
):
    """One block of an FAQ page body, discriminated on ``type``."""


class ReviewerSchema(_Schema):
    name: str
    credentials: str
    profile_url: str


class ReviewSchema(_Schema):
    reviewer: ReviewerSchema | None = Field(description="null when the reviewer was deleted.")
    reviewed_at: date | None = Field(
        description="Date of the review; a fast-approved correction keeps the review's date."
    )
    revision_id: int = Field(description="The page revision the reviewer signed off.")
    covers_live_content: bool = Field(
        description="Whether the live body (citations included) is the reviewed one."
    )


class SEOSchema(_Schema):
    title: str
    description: str
    canonical_url: str | None
    og_image: RenditionSchema | None


class StructuredData(RootModel[dict[str, Any]]):
    """schema.org JSON-LD (an ``@graph``), ready to embed in a script tag."""
