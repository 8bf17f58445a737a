"""Models, one module per concept. Import from here: ``kratom_pages.models``."""

from kratom_pages.evidence.models import Reviewer, Source
from kratom_pages.evidence.records import ReviewRecord
from kratom_pages.evidence.workflow import MedicalReviewTask
from kratom_pages.images.models import ImagePlaceholder
from kratom_pages.importers.models import ImportedImage, ImportedItem, WordPressImport
from kratom_pages.models.pages import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage
from kratom_pages.models.settings import HealthContentSettings
from kratom_pages.publishing.models import ChangeRecord, WebhookDelivery, WebhookEndpoint
from kratom_pages.replies.models import ReaderReply, hash_client_ip

__all__ = [
    "ArticlePage",
    "ChangeRecord",
    "ChangeRecord",
    "FAQPage",
    "GuidelineListPage",
    "HealthContentSettings",
    "ImagePlaceholder",
    "ImportedImage",
    "ImportedItem",
    "KratomIndexPage",
    "MedicalReviewTask",
    "ReaderReply",
    "ReviewRecord",
    "Reviewer",
    "Source",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WordPressImport",
    "hash_client_ip",
]
