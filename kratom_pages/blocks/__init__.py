"""StreamField blocks, one module per family. Import from here: ``kratom_pages.blocks``."""

from kratom_pages.blocks.citations import EVIDENCE_LEVELS, SourceChooserBlock
from kratom_pages.blocks.content import (
    CalloutBlock,
    CitedParagraphBlock,
    ConclusionBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    PullQuoteBlock,
    RelatedPagesBlock,
)
from kratom_pages.blocks.faq import FAQItemBlock, FAQListBlock
from kratom_pages.blocks.guidelines import GuidelineItemBlock, GuidelineListBlock
from kratom_pages.blocks.media import EmbedBlock, GalleryBlock
from kratom_pages.blocks.sections import NumberedSectionItemBlock, NumberedSectionListBlock
from kratom_pages.blocks.streams import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock
from kratom_pages.blocks.text import CodeBlock, QuoteBlock, TableBlock

__all__ = [
    "ArticleBodyBlock",
    "CalloutBlock",
    "CitedParagraphBlock",
    "CodeBlock",
    "EmbedBlock",
    "GalleryBlock",
    "QuoteBlock",
    "TableBlock",
    "EVIDENCE_LEVELS",
    "ConclusionBlock",
    "FAQBodyBlock",
    "FAQItemBlock",
    "FAQListBlock",
    "GuidelineBodyBlock",
    "GuidelineItemBlock",
    "GuidelineListBlock",
    "HeadingBlock",
    "ImageBlock",
    "NumberedSectionItemBlock",
    "NumberedSectionListBlock",
    "ParagraphBlock",
    "PullQuoteBlock",
    "SourceChooserBlock",
    "RelatedPagesBlock",
]
