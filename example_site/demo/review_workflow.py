"""The demo's medical review workflow: a "Medical reviewers" group whose members sign off
pages under the demo index, through a workflow holding one medical review task."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from kratom_pages.models import MedicalReviewTask

GROUP_NAME = "Medical reviewers"
WORKFLOW_NAME = "Medical review"
TASK_NAME = "Medical sign-off"


def reviewers_group() -> Group:
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def ensure_review_workflow(index: Page) -> Workflow:
    """Idempotent: the workflow, its task and the group's page permissions on ``index``."""
    group = reviewers_group()
    # Approving the last task publishes the page as the reviewer, who must be allowed to.
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=index, permission=Permission.objects.get(codename=codename)
        )
    task = MedicalReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = MedicalReviewTask.objects.create(name=TASK_NAME)
    task.groups.add(group)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


REVIEWER_USERNAME = os.environ.get("DEMO_REVIEWER_USER", "reviewer")
DEMO_NOTE = "Demo sign-off: claims checked against their cited sources (fictional reviewer)."


def demo_reviewer_account(reviewer):
    """The account that signs as the demo ``Reviewer``, in the reviewers' group (its
    password is set by ``ensure_demo_admin``; until then it cannot log in)."""
    user, created = get_user_model().objects.get_or_create(
        username=REVIEWER_USERNAME, defaults={"email": f"{REVIEWER_USERNAME}@example.com"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(reviewers_group())
    if reviewer.user_id != user.pk:
        reviewer.user = user
        reviewer.save(update_fields=["user"])
    return user


def sign_off(page: Page, reviewer_user) -> bool:
    """Take ``page`` through its medical review workflow as the demo reviewer, as the admin
    would: start the workflow, approve with the checklist. A page whose live content is
    already covered by a review is left alone (the loader runs again and again)."""
    from kratom_pages.evidence.review import review_of
    from kratom_pages.evidence.workflow import APPROVE, CHECKLIST

    page = page.specific
    review = review_of(page)
    if review is not None and review.covers_live_content:
        return False
    if page.current_workflow_state is None:
        page.get_workflow().start(page, user=None)
        page.refresh_from_db()
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(
        task_state, reviewer_user, APPROVE, note=DEMO_NOTE, **dict.fromkeys(CHECKLIST, True)
    )
    return True
