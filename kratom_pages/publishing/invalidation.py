"""The one rule for what a change affects: which pages' representations may now differ.

Every change that can alter what a page's API representation, template or JSON-LD would
contain is turned into a ``Change`` naming those pages, found in bulk through Wagtail's
reference index. Subscribers (the API cache, webhooks, CDN purges) receive it through the
``pages_changed`` signal, so they all agree about which pages changed:

- sent at once, inside the editor's transaction (``committed=False``), and
- sent again once the transaction commits (``committed=True``), so a reader who rebuilt a
  cache entry from not-yet-committed rows in between cannot keep it.

What counts as a change, and whom it reaches:

============================================  =============================================
publish, unpublish, ``save()`` of a live page  the page, its children (their ``meta.parent``),
                                               its parent (a section front lists it) and
                                               pages referencing it; when its title, slug,
                                               URL, state or expiry changed: every
                                               descendant and pages referencing them
move, view-restriction change, delete          the page, every descendant, pages referencing
                                               any of them; for a move or delete also the
                                               parent(s) it left and joined
image, document, source, reviewer, snippet     pages referencing it
collection view restriction                    pages referencing images/documents inside
site or site settings                          every page
============================================  =============================================
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from wagtail.models import (
    Page,
    PageViewRestriction,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from kratom_pages import conf
from kratom_pages.publishing.affected import affected_by_pages

logger = logging.getLogger(__name__)

# Receivers get ``change`` (a Change) and ``committed`` (bool).
pages_changed = Signal()

# A save touching only these fields changes the draft, not what readers see.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)
# Fields whose change reaches every descendant (their URLs, parents and reachability).
_TREE_FIELDS = ("title", "slug", "url_path", "live", "expire_at")


@dataclass(frozen=True)
class Change:
    """What changed (``action``), and every page whose representation it may alter."""

    action: str
    page_ids: frozenset[int] = frozenset()
    everything: bool = False
    page: Any = None  # the page the change is about, when there is one
    obj: Any = None  # the non-page object, for reference changes
    extra: dict = field(default_factory=dict)


def announce(change: Change) -> None:
    """Tell subscribers now, record the change in its transaction (``outbox``), and tell
    subscribers again once the transaction commits. Never raises for a subscriber: an
    editor's action must not fail because a subscriber did."""
    from kratom_pages.publishing import cdn, outbox, versions

    def send(committed: bool) -> None:
        for receiver, error in pages_changed.send_robust(
            sender=Change, change=change, committed=committed
        ):
            if isinstance(error, Exception):
                logger.error("%s failed on %s", receiver, change.action, exc_info=error)

    # Subscribers first: outside a transaction (Wagtail sends page_published after its
    # own has committed) the record's commit work runs inside ``record``, prerendering
    # included, and a renewal sent after it would discard what was just prerendered.
    send(committed=False)
    outbox.record(
        change,
        cdn_due=cdn.is_configured(),
        prerender_due=(
            conf.get("API_PRERENDER")
            and versions.enabled()
            and not change.everything
            and bool(change.page_ids)
        ),
    )
    transaction.on_commit(lambda: send(committed=True))


# --- pages ----------------------------------------------------------------------------


def _is_draft_only(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS


def on_page_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page) or instance.pk is None:
        return
    if _is_draft_only(update_fields):
        return
    instance._kratom_before = Page.objects.filter(pk=instance.pk).values(*_TREE_FIELDS).first()


def on_page_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if created:
        # Live from birth (an alias, ``add_child`` of a live page) without page_published:
        # listings now hold one more page.
        if instance.live:
            affected = affected_by_pages([instance.pk], parents_of=[instance])
            announce(Change("create", frozenset(affected), page=instance))
        return
    before = instance.__dict__.pop("_kratom_before", None)
    if before is None or not (before["live"] or instance.live):
        return  # a draft that was never public changes nothing readers see
    tree_changed = any(before[name] != getattr(instance, name) for name in _TREE_FIELDS)
    announce(
        Change(
            "save",
            frozenset(
                affected_by_pages(
                    [instance.pk],
                    subtree_roots=[instance] if tree_changed else (),
                    children_of=[] if tree_changed else [instance],
                    parents_of=[instance] if tree_changed else (),
                )
            ),
            page=instance,
        )
    )


def on_published(sender, instance, revision=None, **kwargs):
    # Wagtail sends page_published when it only *schedules* a revision (go_live_at in the
    # future): the page is not live yet, or still live with its old revision. Readers see
    # nothing new until publish_scheduled publishes it, which announces it then.
    if not instance.live or (revision is not None and instance.live_revision_id != revision.pk):
        return
    announce(
        Change(
            "publish",
            frozenset(
                affected_by_pages([instance.pk], children_of=[instance], parents_of=[instance])
            ),
            page=instance,
        )
    )


def on_unpublished(sender, instance, **kwargs):
    announce(
        Change(
            "unpublish",
            frozenset(
                affected_by_pages([instance.pk], subtree_roots=[instance], parents_of=[instance])
            ),
            page=instance,
        )
    )


def on_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if url_path_before == url_path_after:
        return
    # The section it left and the one it joined (``instance`` has its new path).
    parents = {kwargs.get("parent_page_before"), kwargs.get("parent_page_after")} - {None}
    announce(
        Change(
            "move",
            frozenset(
                affected_by_pages(
                    [instance.pk, *(parent.pk for parent in parents)], subtree_roots=[instance]
                )
            ),
            page=instance,
            extra={"url_path": url_path_after},
        )
    )


def on_page_deleted(sender, instance, **kwargs):
    # Sent once per page row (sender is the base Page model); descendants get their own.
    if sender is not Page:
        return
    announce(
        Change(
            "delete",
            frozenset(
                affected_by_pages([instance.pk], children_of=[instance], parents_of=[instance])
            ),
            page=instance,
        )
    )


def on_view_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return  # the page itself is being deleted: its own change says so
    announce(
        Change(
            "restriction",
            # The parent too: a section front lists its visible children.
            frozenset(affected_by_pages([page.pk], subtree_roots=[page], parents_of=[page])),
            page=page,
        )
    )


def connect() -> None:
    from kratom_pages.publishing import watched

    uid = "kratom_pages_invalidation"
    pre_save.connect(on_page_pre_save, dispatch_uid=f"{uid}_page_pre_save")
    post_save.connect(on_page_saved, dispatch_uid=f"{uid}_page_saved")
    page_published.connect(on_published, dispatch_uid=f"{uid}_publish")
    page_unpublished.connect(on_unpublished, dispatch_uid=f"{uid}_unpublish")
    post_page_move.connect(on_moved, dispatch_uid=f"{uid}_move")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid=f"{uid}_delete")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}_restriction_{name}",
        )
    watched.connect()
