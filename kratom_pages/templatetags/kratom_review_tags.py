"""Template tags for the medical review dialog in the admin."""

from django import template
from django.urls import reverse

from kratom_pages import conf
from kratom_pages.evidence.workflow import (
    APPROVE,
    FAST_APPROVE,
    REJECT,
    RequestChangesForm,
    reviewer_for_user,
    sign_off_problems,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def medical_sign_off(context, task_state, user, action: str) -> dict:
    """What the approval dialog shows the reviewer: whom the page will name
    (``reviewer``); why *they* may not approve (``problems``: separation of duties, no
    reviewer profile); what in the *page* stops it (``content_problems``: each with a link
    to its block); and a way to send it back to the editor with a note (``send_back``)."""
    if action not in (APPROVE, FAST_APPROVE):
        return {"reviewer": None, "problems": [], "content_problems": [], "send_back": None}
    from kratom_pages.evidence.page_forms import problems_for_reviewer

    page = task_state.revision.as_object()
    content = problems_for_reviewer(page) if conf.get("PUBLISH_CHECKS") else []
    messages = {str(message) for message, _block in content}
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    note = "\n".join(f"- {message}" for message, _block in content)
    return {
        "reviewer": reviewer_for_user(user),
        # The publish checks' own wording is the editor's: the reviewer reads their own.
        "problems": [
            p
            for p in sign_off_problems(task_state, user, action, checks=False)
            if p not in messages
        ],
        "content_problems": [
            {"message": message, "url": f"{edit_url}#block-{block}-section" if block else edit_url}
            for message, block in content
        ],
        "send_back": {
            "url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.pk, REJECT, task_state.pk]
            ),
            "form": RequestChangesForm(initial={"note": note}),
            "open": bool(content),
            # Opened from the page editor's actions menu, the dialog only collects data for
            # the action chosen there (Wagtail then submits the editor's form for it): a
            # second action cannot be taken from inside it, so the dialog points to the
            # menu's own "Request changes" instead.
            "from_editor": _opened_from_editor(context.get("request")),
        },
    }


def _opened_from_editor(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return getattr(match, "url_name", None) == "collect_workflow_action_data"
