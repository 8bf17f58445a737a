"""Optional emails to editors about their page's medical review (``REVIEW_NOTIFY_EDITORS``).

Wagtail already emails the reviewers' groups when a page is submitted; these tell the
editor who asked for the review what became of it.
"""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from kratom_pages import conf

logger = logging.getLogger(__name__)


def _editor_email(task_state) -> str:
    requested_by = task_state.workflow_state.requested_by
    return getattr(requested_by, "email", "") or ""


def _send(task_state, subject: str, message: str) -> None:
    if not conf.get("REVIEW_NOTIFY_EDITORS"):
        return
    recipient = _editor_email(task_state)
    if not recipient:
        return

    def deliver():
        try:
            send_mail(subject, message, None, [recipient])
        except Exception:  # noqa: BLE001 - a mail outage must not undo the review
            logger.exception("Could not send the review email for task state %s", task_state.pk)

    transaction.on_commit(deliver)


def review_requested(sender, instance, user=None, **kwargs) -> None:
    """Receiver of Wagtail's ``task_submitted``: medical review tasks only (they share
    core's TaskState, so the sender does not tell them apart)."""
    from kratom_pages.evidence.workflow import MedicalReviewTask

    if not conf.get("REVIEW_NOTIFY_EDITORS"):
        return
    if not issubclass(instance.task.specific_class or object, MedicalReviewTask):
        return
    title = instance.workflow_state.content_object.get_admin_display_title()
    _send(
        instance,
        _("Medical review requested: %(page)s") % {"page": title},
        _("Your page %(page)s is waiting for a medical reviewer's sign-off.") % {"page": title},
    )


def review_decided(task_state, action_name: str, note: str) -> None:
    title = task_state.workflow_state.content_object.get_admin_display_title()
    if action_name == "reject":
        subject = _("Medical review: changes requested on %(page)s")
        message = _("The reviewer asked for changes to %(page)s:\n\n%(note)s")
    else:
        subject = _("Medical review approved: %(page)s")
        message = _("The medical review of %(page)s was approved.\n\n%(note)s")
    values = {"page": title, "note": note}
    _send(task_state, subject % values, (message % values).strip())


def connect() -> None:
    from wagtail.signals import task_submitted

    task_submitted.connect(review_requested, dispatch_uid="kratom_pages_review_requested")
