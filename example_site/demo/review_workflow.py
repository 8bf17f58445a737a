"""The demo's medical review workflow: a "Medical reviewers" group whose members sign off
pages under the demo index, through a workflow holding one medical review task."""

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
