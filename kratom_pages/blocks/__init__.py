"""StreamField blocks, one module per family. Import from here: ``kratom_pages.blocks``."""

from kratom_pages.blocks.content import (
    CalloutBlock,
    ConclusionBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    PullQuoteBlock,
    RelatedPagesBlock,
)
from kratom_pages.blocks.faq import FAQItemBlock, FAQListBlock
from kratom_pages.blocks.guidelines import GuidelineItemBlock, GuidelineListBlock
from kratom_pages.blocks.sections import (
    NumberedSectionItemBlock,
    NumberedSectionListBlock,
    ReferenceBlock,
)
from kratom_pages.blocks.streams import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock

__all__ = [
    "ArticleBodyBlock",
    "CalloutBlock",
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
    "ReferenceBlock",
    "RelatedPagesBlock",
]
