"""The StreamBlocks that page bodies are made of: which blocks each page type accepts."""

from django.utils.translation import gettext_lazy as _

from kratom_pages.blocks.base import ShapedStreamBlock
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
from kratom_pages.blocks.faq import FAQListBlock
from kratom_pages.blocks.guidelines import GuidelineListBlock
from kratom_pages.blocks.media import EmbedBlock, GalleryBlock
from kratom_pages.blocks.sections import NumberedSectionListBlock
from kratom_pages.blocks.text import CodeBlock, QuoteBlock, TableBlock


class ArticleBodyBlock(ShapedStreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    cited_paragraph = CitedParagraphBlock()
    image = ImageBlock()
    pull_quote = PullQuoteBlock()
    callout = CalloutBlock()
    numbered_sections = NumberedSectionListBlock()
    guidelines = GuidelineListBlock()
    faq = FAQListBlock()
    conclusion = ConclusionBlock()
    related_pages = RelatedPagesBlock()
    quote = QuoteBlock()
    code = CodeBlock()
    table = TableBlock()
    embed = EmbedBlock()
    gallery = GalleryBlock()

    class Meta:
        block_counts = {"conclusion": {"max_num": 1}}


class GuidelineBodyBlock(ShapedStreamBlock):
    guidelines = GuidelineListBlock(label=_("Guideline group"))
    paragraph = ParagraphBlock()
    callout = CalloutBlock()

    class Meta:
        block_counts = {"guidelines": {"min_num": 1}}


class FAQBodyBlock(ShapedStreamBlock):
    faq = FAQListBlock(label=_("FAQ section"))
    callout = CalloutBlock()

    class Meta:
        block_counts = {"faq": {"min_num": 1}}
