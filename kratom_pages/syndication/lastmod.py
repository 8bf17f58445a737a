"""What ``lastmod`` means for a page: the later of its last publish and the last medical
sign-off recorded for its live content. One annotation, so a sitemap of any size asks the
database once for all of it.

A sign-off counts when it is for the live revision or an earlier one (a review of a draft
that has not gone live changes nothing readers see). Rejections never count: the page
readers see did not change. A review recorded without a publish (a re-review of unchanged
content) still moves ``lastmod``, since the byline and JSON-LD then name the new review.
"""

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from kratom_pages.evidence.records import ReviewRecord

SIGN_OFFS = (ReviewRecord.Outcome.APPROVED, ReviewRecord.Outcome.FAST_APPROVED)


def with_last_sign_off(pages: QuerySet) -> QuerySet:
    """``pages`` annotated with ``last_sign_off``: when the newest sign-off covering the
    live revision (or an earlier one) was recorded, or None."""
    sign_offs = ReviewRecord.objects.filter(
        page=OuterRef("pk"),
        outcome__in=SIGN_OFFS,
        revision_number__lte=OuterRef("live_revision_id"),
    ).order_by("-created_at")
    return pages.annotate(last_sign_off=Subquery(sign_offs.values("created_at")[:1]))


def lastmod_of(page) -> datetime | None:
    """The page's ``lastmod`` (``page`` annotated by ``with_last_sign_off``)."""
    # Wagtail's own sitemap falls back on the latest revision for pages published before
    # Wagtail recorded last_published_at.
    published = page.last_published_at or page.latest_revision_created_at
    reviewed = getattr(page, "last_sign_off", None)
    dates = [date for date in (published, reviewed) if date is not None]
    return max(dates) if dates else None
