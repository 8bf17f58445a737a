"""Models, one module per concept. Import from here: ``kratom_pages.models``."""

from kratom_pages.models.pages import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage

__all__ = ["ArticlePage", "FAQPage", "GuidelineListPage", "KratomIndexPage"]
