"""Medical review: which health pages are overdue for review."""

from datetime import date, timedelta

from django.db.models import Q
from wagtail.models import Page

from kratom_pages import conf
from kratom_pages.models.pages import health_page_models


def review_cutoff(today: date | None = None) -> date:
    return (today or date.today()) - timedelta(days=conf.get("REVIEW_INTERVAL_DAYS"))


def overdue_pages(today: date | None = None):
    """Live health pages never reviewed, or last reviewed before the interval allows."""
    cutoff = review_cutoff(today)
    overdue = Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)
    ids = []
    for model in health_page_models():
        ids += model.objects.live().filter(overdue).values_list("pk", flat=True)
    return Page.objects.filter(pk__in=ids).order_by("title")
