"""Template tags for the medical review dialog in the admin."""

from django import template

from kratom_pages.evidence.workflow import (
    APPROVE,
    FAST_APPROVE,
    reviewer_for_user,
    sign_off_problems,
)

register = template.Library()


@register.simple_tag
def medical_sign_off(task_state, user, action: str) -> dict:
    """``{"reviewer", "problems"}`` for the approving user: whom the page will name, and
    why they may not approve (separation of duties, no reviewer profile)."""
    if action not in (APPROVE, FAST_APPROVE):
        return {"reviewer": None, "problems": []}
    return {
        "reviewer": reviewer_for_user(user),
        "problems": sign_off_problems(task_state, user, action),
    }
