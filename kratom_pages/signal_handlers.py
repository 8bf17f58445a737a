"""Turns Wagtail and model signals into webhook events. Connected in AppConfig.ready()."""

import logging
import threading

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from kratom_pages import webhooks
from kratom_pages.api import caching

logger = logging.getLogger(__name__)


def _safely(action: str, build):
    """Webhooks never break the editor's action: failures are logged, not raised."""
    try:
        build()
    except Exception:  # noqa: BLE001
        logger.exception("Could not dispatch the %s webhook", action)


def _send_page_event(action: str, page: Page, **kwargs) -> None:
    def build():
        event = webhooks.page_event(action, page, **kwargs)
        webhooks.dispatch(event, {event["page"]["type"]})

    _safely(action, build)


def on_published(sender, instance, **kwargs):
    # Pages that link to this one show its title and URL: refresh them too.
    _safely(
        "cache",
        lambda: caching.invalidate_pages(
            [instance.pk, *(p.pk for p in _pages_referencing(instance))]
        ),
    )
    _send_page_event("publish", instance)


# Pages being deleted in this thread: Wagtail also reports them unpublished, which would
# repeat what the "delete" event already said.
_deleting = threading.local()


def _deleted_ids() -> set[int]:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def on_unpublished(sender, instance, **kwargs):
    if instance.pk in _deleted_ids():
        _deleted_ids().discard(instance.pk)
        return
    _safely("cache", lambda: caching.invalidate_pages([instance.pk]))
    _send_page_event("unpublish", instance)


def on_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if url_path_before != url_path_after:
        # Every page below moves with it: their URLs change too.
        _safely(
            "cache",
            lambda: caching.invalidate_pages(
                Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
            ),
        )
    if url_path_before != url_path_after and instance.live:
        _send_page_event("move", instance, url_path=url_path_after)


def on_page_deleted(sender, instance, **kwargs):
    # Sent once per page row (sender is the base Page model); drafts never reached frontends.
    if sender is Page:
        _safely("cache", lambda: caching.invalidate_pages([instance.pk]))
    if sender is Page and instance.live:
        _deleted_ids().add(instance.pk)
        _send_page_event("delete", instance)


def _pages_referencing(*objects) -> list[Page]:
    """Live pages whose content refers to any of ``objects`` (all of one model), in one
    query on Wagtail's reference index."""
    if not objects:
        return []
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = ReferenceIndex.objects.filter(
        to_content_type_id=ReferenceIndex._get_base_content_type(objects[0]),
        to_object_id__in=[str(obj.pk) for obj in objects],
        base_content_type=page_type,
    ).values_list("object_id", flat=True)
    return list(Page.objects.live().filter(pk__in=[int(pk) for pk in object_ids]))


def on_referenced_object_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return

    def build():
        pages = _pages_referencing(instance)
        caching.invalidate_pages(page.pk for page in pages)
        if pages:
            event = webhooks.reference_event(instance, pages)
            webhooks.dispatch(event, {page.specific_class._meta.label for page in pages})

    _safely("references_changed", build)


def on_view_restriction_changed(sender, instance, **kwargs):
    # A page becoming private (or public) must vanish from (or return to) links elsewhere.
    def build():
        pages = list(Page.objects.descendant_of(instance.page, inclusive=True))
        linking = {page.pk for page in _pages_referencing(*pages)}
        caching.invalidate_pages(linking | {page.pk for page in pages})

    _safely("cache", build)


def on_site_settings_changed(sender, instance, raw=False, created=False, **kwargs):
    # The default disclaimer appears in every page's API representation. A blank row made
    # on first read (for_site's get_or_create) changes nothing.
    if created and not instance.default_disclaimer:
        return
    _safely("cache", caching.invalidate_all)


def on_site_changed(sender, instance, **kwargs):
    # Hostnames, ports and root pages shape every URL the API returns.
    _safely("cache", caching.invalidate_all)


def connect() -> None:
    from kratom_pages.models import HealthContentSettings, Reviewer, Source

    for signal in (post_save, post_delete):
        signal.connect(
            on_site_changed, sender=Site, dispatch_uid=f"kratom_pages_site_{signal is post_save}"
        )
    post_save.connect(
        on_site_settings_changed, sender=HealthContentSettings, dispatch_uid="kratom_pages_gen"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"kratom_pages_restriction_{signal is post_save}",
        )
    page_published.connect(on_published, dispatch_uid="kratom_pages_webhook_publish")
    page_unpublished.connect(on_unpublished, dispatch_uid="kratom_pages_webhook_unpublish")
    post_page_move.connect(on_moved, dispatch_uid="kratom_pages_webhook_move")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="kratom_pages_webhook_delete")
    for model in (get_image_model(), Source, Reviewer):
        uid = f"kratom_pages_webhook_refs_{model._meta.label}"
        post_save.connect(on_referenced_object_changed, sender=model, dispatch_uid=uid)
        pre_delete.connect(on_referenced_object_changed, sender=model, dispatch_uid=uid + "_del")
