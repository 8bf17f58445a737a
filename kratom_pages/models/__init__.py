"""Models, one module per concept. Import from here: ``kratom_pages.models``."""

from kratom_pages.models.pages import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage
from kratom_pages.models.replies import ReaderReply, hash_client_ip
from kratom_pages.models.settings import HealthContentSettings
from kratom_pages.models.sources import Reviewer, Source
from kratom_pages.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ArticlePage",
    "FAQPage",
    "GuidelineListPage",
    "HealthContentSettings",
    "KratomIndexPage",
    "ReaderReply",
    "Reviewer",
    "Source",
    "WebhookDelivery",
    "WebhookEndpoint",
    "hash_client_ip",
]
