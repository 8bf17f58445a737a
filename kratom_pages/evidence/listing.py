"""The page explorer marks health pages whose medical review needs attention.

Each row of a listing asks for its own buttons; the states of a row's siblings are worked
out together the first time one of them asks, so a listing costs a fixed number of queries
whatever its length.
"""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from kratom_pages.evidence.review import ReviewState, health_pages_to_watch, review_states
from kratom_pages.models.pages import is_health_page


def listing_review_state(page, user) -> str | None:
    """``page``'s review state (None when it is neither live nor in review), remembered for
    its siblings on ``user`` (one object per request)."""
    known = getattr(user, "_kratom_listing_review_states", None)
    if known is None:
        known = user._kratom_listing_review_states = {}
    if page.pk not in known:
        parent_path = page.path[: -page.steplen]
        siblings = health_pages_to_watch().filter(depth=page.depth, path__startswith=parent_path)
        known.update(review_states(siblings.specific()))
        known.setdefault(page.pk, None)
    return known[page.pk]


@hooks.register("register_page_listing_buttons")
def review_needed_button(page, user, next_url=None):
    if not is_health_page(page):
        return []
    state = listing_review_state(page, user)
    if state is None or state == ReviewState.REVIEWED:
        return []
    return [
        ListingButton(
            ReviewState(state).label,
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            classname="button-secondary warning",
            icon_name="warning",
            attrs={"data-kratom-review-state": state},
            priority=5,
        )
    ]
