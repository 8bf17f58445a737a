"""The page explorer marks health pages whose medical review needs attention.

Each row of a listing asks for its own buttons; the states of a row's siblings are worked
out together the first time one of them asks, so a listing costs a fixed number of queries
whatever its length.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page

from kratom_pages.evidence.review import ReviewState, pages_in_review, review_states
from kratom_pages.models.pages import health_page_models, is_health_page


def listing_review_state(page, user) -> str | None:
    """``page``'s review state (None when it is neither live nor in review), remembered for
    its siblings on ``user`` (one object per request)."""
    known = getattr(user, "_kratom_listing_review_states", None)
    if known is None:
        known = user._kratom_listing_review_states = {}
    if page.pk not in known:
        # The row's health siblings only (not every watched page of the site), and of
        # those the ones the report watches: live, or waiting on a medical review.
        siblings = Page.objects.filter(
            depth=page.depth,
            path__startswith=page.path[: -page.steplen],
            content_type__in=[ContentType.objects.get_for_model(m) for m in health_page_models()],
        ).specific()
        waiting = pages_in_review(sibling.pk for sibling in siblings)
        known.update(review_states(s for s in siblings if s.live or s.pk in waiting))
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
