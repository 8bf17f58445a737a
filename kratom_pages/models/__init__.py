"""Models, one module per concept. Import from here: ``kratom_pages.models``."""

from kratom_pages.models.pages import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage
from kratom_pages.models.replies import ReaderReply, hash_client_ip

__all__ = [
    "ArticlePage",
    "FAQPage",
    "GuidelineListPage",
    "KratomIndexPage",
    "ReaderReply",
    "hash_client_ip",
]
