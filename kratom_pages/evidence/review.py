"""Medical review state of health pages: reviewed, changed since review, review in
progress, overdue or never reviewed; and which pages are overdue for review.

A review covers the live page when the live body is the body that was signed off (a
fast-approved correction signs off its own body but keeps the earlier review's date).
Everything here works on many pages at once, with a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowPage, WorkflowState, WorkflowTask

from kratom_pages import conf
from kratom_pages.evidence.records import ReviewRecord, body_fingerprint
from kratom_pages.models.pages import health_page_models


class ReviewState(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    CHANGED = "changed_since_review", _("Changed since review")
    IN_PROGRESS = "review_in_progress", _("Review in progress")
    OVERDUE = "overdue", _("Overdue")
    NEVER = "never_reviewed", _("Never reviewed")


# States the report lists: everything but "reviewed".
NEEDS_ATTENTION = [state for state in ReviewState if state != ReviewState.REVIEWED]


@dataclass(frozen=True)
class Review:
    """The sign-off that describes a page: the one covering its body when there is one,
    else the latest approval (``covers_live_content`` False)."""

    record: ReviewRecord  # the record whose revision is described
    reviewer: object  # the Reviewer named on the page (None if deleted since)
    reviewed_on: date | None
    covers_live_content: bool


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


_UNSET = object()


def _describe(page, records: list[ReviewRecord]) -> Review | None:
    """``records``: the page's sign-offs, newest first."""
    if not records:
        return None
    fingerprint = body_fingerprint(page)
    covering = next((i for i, r in enumerate(records) if r.body_fingerprint == fingerprint), None)
    start = covering if covering is not None else 0
    # The approval a correction rests on names the reviewer and the date.
    approval = next(
        (r for r in records[start:] if r.outcome == ReviewRecord.Outcome.APPROVED),
        records[start],
    )
    return Review(
        record=records[start] if covering is not None else approval,
        reviewer=approval.reviewer,
        reviewed_on=approval.reviewed_on,
        covers_live_content=covering is not None,
    )


def _medical_workflow_paths() -> list[tuple[str, bool]]:
    """``(path, has a medical review task)`` of every page an active workflow is assigned
    to, longest path first: the nearest assignment governs a page (one query)."""
    from kratom_pages.evidence.workflow import MedicalReviewTask

    medical_task = WorkflowTask.objects.filter(
        workflow_id=OuterRef("workflow_id"),
        task__active=True,
        task__content_type=ContentType.objects.get_for_model(MedicalReviewTask),
    )
    rows = (
        WorkflowPage.objects.filter(workflow__active=True)
        .annotate(medical=Exists(medical_task))
        .values_list("page__path", "medical")
    )
    return sorted(rows, key=lambda row: -len(row[0]))


def _governed_by_medical_review(page, assignments: list[tuple[str, bool]]) -> bool:
    for path, medical in assignments:
        if page.path.startswith(path):
            return medical
    return False


def prefetch_reviews(pages: Iterable) -> None:
    """Work out ``review_of`` (and whether the page's workflow has a medical review task)
    for many pages in a fixed number of queries, remembered on each page."""
    pages = [page for page in pages if getattr(page, "_kratom_review", _UNSET) is _UNSET]
    if not pages:
        return
    # Only a page that would otherwise claim its typed fields needs its workflow known.
    typed = [
        p for p in pages if getattr(p, "last_reviewed", None) or getattr(p, "reviewed_by_id", None)
    ]
    assignments = _medical_workflow_paths() if typed else []
    for page in pages:
        page._kratom_under_review = _governed_by_medical_review(page, assignments)
    by_page: dict[int, list[ReviewRecord]] = {page.pk: [] for page in pages}
    signed = ReviewRecord.objects.filter(
        page_id__in=list(by_page),
        outcome__in=[ReviewRecord.Outcome.APPROVED, ReviewRecord.Outcome.FAST_APPROVED],
    ).select_related("reviewer")
    for record in signed:
        by_page[record.page_id].append(record)
    for page in pages:
        page._kratom_review = _describe(page, by_page[page.pk])


def review_of(page) -> Review | None:
    """The page's medical review from the workflow, or None when it never had one."""
    if getattr(page, "_kratom_review", _UNSET) is _UNSET:
        prefetch_reviews([page])
    return page._kratom_review


def claimed_review(page) -> tuple[date | None, object | None]:
    """``(date, reviewer)`` a page may claim to readers (byline, API ``reviewed_by`` and
    ``last_reviewed``, JSON-LD): a page with a workflow review claims it only while that
    review covers the live content. Under a workflow with a medical review task, only
    such a record speaks: the typed fields are the task's to set, and a page without a
    record claims nothing. Other pages keep their typed fields."""
    if not hasattr(page, "last_reviewed"):
        return None, None
    review = review_of(page)
    if review is None:
        if page._kratom_under_review:
            return None, None
        return page.last_reviewed, page.reviewed_by
    if not review.covers_live_content:
        return None, None
    return review.reviewed_on, review.reviewer


def pages_in_review(page_ids: Iterable[int]) -> set[int]:
    """Which of ``page_ids`` wait on a medical review task right now (one query)."""
    from kratom_pages.evidence.workflow import MedicalReviewTask

    ids = [str(pk) for pk in page_ids]
    if not ids:
        return set()
    rows = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=ids,
        current_task_state__task__content_type=ContentType.objects.get_for_model(MedicalReviewTask),
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in rows}


def review_states(pages: Iterable, today: date | None = None) -> dict[int, str]:
    """The ``ReviewState`` of each page (specific instances, as served), by page id."""
    pages = list(pages)
    prefetch_reviews(pages)
    in_review = pages_in_review(page.pk for page in pages)
    cutoff = review_cutoff(today)
    states = {}
    for page in pages:
        review = review_of(page)
        if page.pk in in_review:
            state = ReviewState.IN_PROGRESS
        elif review is not None and not review.covers_live_content:
            state = ReviewState.CHANGED
        else:
            # A covering review's date, else the legacy typed-in date.
            reviewed_on = review.reviewed_on if review else getattr(page, "last_reviewed", None)
            if reviewed_on is None:
                state = ReviewState.NEVER
            elif reviewed_on < cutoff:
                state = ReviewState.OVERDUE
            else:
                state = ReviewState.REVIEWED
        states[page.pk] = state
    return states


def health_pages_to_watch():
    """Live health pages and those waiting on a medical review (drafts included), as one
    specific queryset."""
    ids: list[int] = []
    for model in health_page_models():
        ids += model.objects.live().values_list("pk", flat=True)
    waiting = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    ids += list(pages_in_review(waiting))
    health_types = [ContentType.objects.get_for_model(m) for m in health_page_models()]
    return Page.objects.filter(pk__in=ids, content_type__in=health_types).order_by("title")


def state_counts(today: date | None = None) -> dict[str, int]:
    """How many watched health pages are in each state."""
    states = review_states(health_pages_to_watch().specific(), today)
    return {state: list(states.values()).count(state) for state in ReviewState}
