"""The medical review task for Wagtail workflows.

Configured in Settings → Workflows like core's group approval task: members of its groups
(and superusers) decide. Approving is a sign-off: the approving user's linked ``Reviewer``
is named on the page, a checklist must be ticked, and a ``ReviewRecord`` keeps the
revision that was reviewed. Requesting changes needs a note the editor sees. A correction
of an already reviewed page can be approved without a new review date ("fast-approve").
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from kratom_pages import conf
from kratom_pages.evidence.records import ReviewRecord, body_fingerprint

APPROVE = "approve"
FAST_APPROVE = "fast_approve"
REJECT = "reject"
CHECKLIST = (
    "claims_match_sources",
    "evidence_levels_right",
    "safety_information_current",
    "disclaimer_present",
)


class MedicalSignOffForm(forms.Form):
    """The reviewer's sign-off: every item of the checklist, and an optional note."""

    claims_match_sources = forms.BooleanField(
        label=_("Claims match their sources"),
        error_messages={"required": _("Check every claim against its cited source.")},
    )
    evidence_levels_right = forms.BooleanField(
        label=_("Evidence levels are right"),
        error_messages={"required": _("Confirm the evidence level of every section.")},
    )
    safety_information_current = forms.BooleanField(
        label=_("Safety information is current"),
        error_messages={"required": _("Confirm the safety information is current.")},
    )
    disclaimer_present = forms.BooleanField(
        label=_("Disclaimer is present"),
        error_messages={"required": _("Confirm the page shows a medical disclaimer.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: kept with the review record."),
    )


class CorrectionApprovalForm(forms.Form):
    """Fast approval of a correction: the earlier review and its date stand."""

    note = forms.CharField(
        label=_("What the correction changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestChangesForm(forms.Form):
    note = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The editor sees this note."),
        error_messages={"required": _("Tell the editor what needs to change.")},
    )


def reviewer_for_user(user):
    """The ``Reviewer`` profile linked to ``user``, or None."""
    from kratom_pages.evidence.models import Reviewer

    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_kratom_reviewer"):
        user._kratom_reviewer = Reviewer.objects.filter(user=user).first()
    return user._kratom_reviewer


def last_approval(page_id: int) -> ReviewRecord | None:
    """The page's latest full medical approval (not a correction), or None."""
    return (
        ReviewRecord.objects.filter(page_id=page_id, outcome=ReviewRecord.Outcome.APPROVED)
        .select_related("reviewer")
        .first()
    )


def sign_off_problems(task_state, user, action_name: str, *, checks: bool = True) -> list[str]:
    """Why ``user`` may not approve ``task_state`` with ``action_name``; empty when they
    may. Shown in the approval dialog and enforced again when the action is taken (with
    the publish checks, which the dialog words for the reviewer itself: ``checks``)."""
    problems = []
    if reviewer_for_user(user) is None:
        problems.append(
            _(
                "Your account is not linked to a reviewer profile, so the page cannot name "
                "you as its reviewer. Ask an administrator to link it under Reviewers."
            )
        )
    author_id = task_state.revision.user_id
    if (
        author_id is not None
        and author_id == user.pk
        and not conf.get("REVIEW_ALLOW_SELF_APPROVAL")
    ):
        problems.append(
            _(
                "You wrote the revision under review, so another reviewer must approve it "
                "(separation of duties)."
            )
        )
    if checks and conf.get("PUBLISH_CHECKS"):
        # Approving publishes (or lets a later task publish): the checks Publish runs.
        from kratom_pages.evidence.page_forms import publish_problems

        problems += publish_problems(task_state.revision.as_object())
    if action_name == FAST_APPROVE and last_approval(task_state.workflow_state.object_id) is None:
        problems.append(
            _("This page has no approved medical review yet: approve it with the checklist.")
        )
    return [str(problem) for problem in problems]


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A workflow step in which a named medical reviewer signs off a health page."""

    class Meta:
        verbose_name = _("medical review task")
        verbose_name_plural = _("medical review tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups sign off the medical content: their reviewer "
            "profile, a checklist and a note are stored as a review record."
        )

    def get_actions(self, obj, user):
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        # Short labels: Wagtail adds "and Publish" to APPROVE at the last task; the
        # correction says so itself.
        actions = [
            (REJECT, _("Request changes"), True),
            (APPROVE, _("Sign off"), True),
        ]
        if _has_approval(obj):
            state = getattr(obj, "current_workflow_state", None)
            if state is not None and state.is_at_final_task:
                label = _("Approve correction and Publish (keeps review date)")
            else:
                label = _("Approve correction (keeps review date)")
            actions.append((FAST_APPROVE, label, True))
        return actions

    def get_form_for_action(self, action):
        forms_by_action = {
            APPROVE: MedicalSignOffForm,
            FAST_APPROVE: CorrectionApprovalForm,
            REJECT: RequestChangesForm,
        }
        return forms_by_action.get(action) or super().get_form_for_action(action)

    def get_template_for_action(self, action):
        return "kratom_pages/admin/medical_review_action.html"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object.specific
        note = (kwargs.get("note") or "").strip()
        if action_name == REJECT:
            if not note:
                raise PermissionDenied(_("Tell the editor what needs to change."))
            _record(page, user, ReviewRecord.Outcome.REJECTED, note=note)
            task_state.reject(user=user, comment=note)
        elif action_name in (APPROVE, FAST_APPROVE):
            problems = sign_off_problems(task_state, user, action_name)
            if problems:
                raise PermissionDenied(" ".join(problems))
            if action_name == APPROVE and not all(kwargs.get(item) for item in CHECKLIST):
                raise PermissionDenied(_("Tick every item of the checklist to approve."))
            _sign_off(page, user, action_name, note, kwargs)
            task_state.approve(user=user, comment=note)
        else:
            return super().on_action(task_state, user, action_name, **kwargs)
        from kratom_pages.evidence import notifications

        notifications.review_decided(task_state, action_name, note)
        return None


def _has_approval(obj) -> bool:
    # get_actions is asked several times per editor request: remember the answer.
    if not hasattr(obj, "_kratom_has_approval"):
        obj._kratom_has_approval = ReviewRecord.objects.filter(
            page_id=obj.pk, outcome=ReviewRecord.Outcome.APPROVED
        ).exists()
    return obj._kratom_has_approval


def _record(page, user, outcome, *, note="", checklist=None, reviewer=None, reviewed_on=None):
    revision = page.get_latest_revision()
    draft = revision.as_object() if revision else page
    return ReviewRecord.objects.create(
        page_id=page.pk,
        revision=revision,
        revision_number=revision.pk if revision else 0,
        reviewer=reviewer if reviewer is not None else reviewer_for_user(user),
        user=user,
        reviewed_on=reviewed_on,
        outcome=outcome,
        note=note,
        body_fingerprint=body_fingerprint(draft),
        **{item: bool((checklist or {}).get(item)) for item in CHECKLIST},
    )


def _sign_off(page, user, action_name: str, note: str, checklist: dict) -> ReviewRecord:
    """Store the record, and put the sign-off into the revision about to be published (the
    latest: Wagtail's workflow publishes that one), so readers see who reviewed it."""
    if action_name == APPROVE:
        outcome = ReviewRecord.Outcome.APPROVED
        named, reviewed_on = reviewer_for_user(user), timezone.localdate()
    else:
        outcome = ReviewRecord.Outcome.FAST_APPROVED
        previous = last_approval(page.pk)
        named, reviewed_on = previous.reviewer, previous.reviewed_on
    record = _record(
        page,
        user,
        outcome,
        note=note,
        checklist=checklist if action_name == APPROVE else None,
        reviewed_on=reviewed_on,
    )
    revision = record.revision
    if revision is not None:
        revision.content["reviewed_by"] = named.pk if named else None
        revision.content["last_reviewed"] = reviewed_on.isoformat() if reviewed_on else None
        revision.save(update_fields=["content"])
    return record


def workflow_has_medical_review(workflow) -> bool:
    """Whether ``workflow`` (or None) contains an active medical review task."""
    if workflow is None:
        return False
    return workflow.workflow_tasks.filter(
        task__active=True,
        task__content_type__model="medicalreviewtask",
        task__content_type__app_label="kratom_pages",
    ).exists()


def is_under_medical_review(page, parent=None) -> bool:
    """Whether edits to ``page`` (new when it has no pk: give its ``parent``) go through a
    workflow with a medical review task: then only that task sets the review fields."""
    if page.pk is None:
        workflow = parent.get_workflow() if parent is not None else None
    else:
        workflow = page.get_workflow()
    return workflow_has_medical_review(workflow)
