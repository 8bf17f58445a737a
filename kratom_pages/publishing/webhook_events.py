"""Turns changes into webhook events: a subscriber of ``invalidation.pages_changed``.

Which pages a change affects is not decided here: ``publishing.invalidation`` computes it
once for the cache, the CDN and webhooks alike, and this module only chooses which
changes receivers hear about and in what shape.
"""

import logging
import threading

from kratom_pages.publishing import webhooks
from kratom_pages.publishing.invalidation import Change

logger = logging.getLogger(__name__)

# Changes receivers are told about; "save", "restriction" and "site" reach them through
# the CDN and cache only (no event type exists for them yet).
PAGE_ACTIONS = frozenset({"publish", "unpublish", "move", "delete"})

# Pages being deleted in this thread: Wagtail also reports them unpublished, which would
# repeat what the "delete" event already said.
_deleting = threading.local()


def _deleted_ids() -> set[int]:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def _page_event(change: Change) -> tuple[dict, set[str]] | None:
    page = change.page
    if change.action == "unpublish" and page.pk in _deleted_ids():
        _deleted_ids().discard(page.pk)
        return None
    if change.action in ("move", "delete") and not page.live:
        return None  # drafts never reached frontends
    if change.action == "delete":
        _deleted_ids().add(page.pk)
    event = webhooks.page_event(change.action, page, url_path=change.extra.get("url_path"))
    return event, {event["page"]["type"]}


def _reference_event(change: Change) -> tuple[dict, set[str]]:
    from wagtail.models import Page

    pages = list(Page.objects.filter(pk__in=change.page_ids).live())
    event = webhooks.reference_event(change.obj, pages)
    return event, {page.specific_class._meta.label for page in pages if page.specific_class}


def on_pages_changed(sender, change: Change, committed: bool, **kwargs) -> None:
    # Deliveries are logged inside the editor's transaction (and enqueued on commit by
    # ``webhooks.dispatch``), so a rolled-back publish sends nothing.
    if committed:
        return
    try:
        if change.action in PAGE_ACTIONS:
            built = _page_event(change)
        elif change.action == "references_changed" and change.obj is not None:
            built = _reference_event(change)
            if not built[0]["affected_page_ids"]:
                return
        else:
            return
        if built is None:
            return
        event, page_types = built
        # The pages every subscriber agrees have changed.
        event["affected_page_ids"] = sorted(change.page_ids)
        webhooks.dispatch(event, page_types)
    except Exception:  # noqa: BLE001 - webhooks never break the editor's action
        logger.exception("Could not dispatch the %s webhook", change.action)
