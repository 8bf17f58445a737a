"""What the review loop tells the people in it, where they work: the editor hears a
reviewer's request for changes at the top of the page editor and on their dashboard, and
each decision in the editor is confirmed in words of its own (not Wagtail's "Page has been
updated")."""

from django.contrib.contenttypes.models import ContentType
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from kratom_pages.evidence.records import ReviewRecord
from kratom_pages.evidence.workflow import APPROVE, FAST_APPROVE, REJECT, MedicalReviewTask


def _changes_requested_states(**filters):
    return WorkflowState.objects.filter(
        status=WorkflowState.STATUS_NEEDS_CHANGES,
        base_content_type=ContentType.objects.get_for_model(Page),
        current_task_state__task__content_type=ContentType.objects.get_for_model(MedicalReviewTask),
        **filters,
    )


def latest_request_for_changes(page_id: int) -> ReviewRecord | None:
    """The reviewer's note the page is waiting on: its newest "changes requested" record,
    while its workflow still waits for those changes."""
    if not _changes_requested_states(object_id=str(page_id)).exists():
        return None
    return (
        ReviewRecord.objects.filter(page_id=page_id, outcome=ReviewRecord.Outcome.REJECTED)
        .select_related("reviewer", "user")
        .order_by("-pk")
        .first()
    )


def _who(record: ReviewRecord) -> str:
    if record.reviewer is not None:
        return str(record.reviewer)
    return record.user.get_full_name() or record.user.get_username() if record.user else ""


def changes_requested_message(record: ReviewRecord) -> str:
    return _(
        "%(reviewer)s asked for changes on %(date)s: “%(note)s” Make them, then submit the "
        "page for medical review again."
    ) % {
        "reviewer": _who(record) or _("The medical reviewer"),
        "date": date_format(record.created_at, "DATE_FORMAT"),
        "note": record.note,
    }


def decision_message(action: str, page, live: bool) -> str | None:
    """What a reviewer is told after deciding in the page editor."""
    title = page.get_admin_display_title()
    if action == REJECT:
        return _(
            "You asked for changes to “%(page)s”. The editor sees your note at the top of "
            "the page editor and on their dashboard."
        ) % {"page": title}
    if action == APPROVE:
        if live:
            return _("You signed off “%(page)s” as its medical reviewer. It is live.") % {
                "page": title
            }
        return _(
            "You signed off “%(page)s” as its medical reviewer. It goes on to the next step "
            "of its workflow."
        ) % {"page": title}
    if action == FAST_APPROVE:
        return _(
            "You approved the correction to “%(page)s”. It is published and keeps its "
            "medical review date."
        ) % {"page": title}
    return None


class ChangesRequestedPanel(Component):
    """Dashboard panel for an editor: their pages a medical reviewer sent back, with the
    reviewer's note."""

    name = "kratom_changes_requested"
    template_name = "kratom_pages/admin/changes_requested_panel.html"
    order = 140

    def __init__(self, user):
        self.user = user

    def pages(self) -> list[dict]:
        states = _changes_requested_states(requested_by=self.user).order_by("-created_at")
        found = []
        for state in states[:20]:
            record = latest_request_for_changes(int(state.object_id))
            page = Page.objects.filter(pk=state.object_id).first()
            if page is not None and record is not None:
                found.append({"page": page, "record": record, "reviewer": _who(record)})
        return found

    def render_html(self, parent_context=None):
        if not self.pages():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        return {"pages": self.pages()}
