"""Changes beyond pages that the invalidation rule watches: objects pages embed (media,
sources, reviewers, snippets), collection restrictions, workflow assignments and tasks
(which decide whose medical review claims stand), and the site and its settings. Each is
announced through ``invalidation.announce``, like a page's own change."""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, Site

from kratom_pages.publishing.affected import affected_by_pages, referencing_page_ids
from kratom_pages.publishing.invalidation import Change, announce

# --- what pages embed -----------------------------------------------------------------


def tracked_models() -> tuple:
    """Models whose rows pages embed: media, our sources and reviewers, and snippets."""
    from wagtail.snippets.models import get_snippet_models

    from kratom_pages.models import Reviewer, Source

    models = [get_image_model(), get_document_model(), Source, Reviewer]
    models += [model for model in get_snippet_models() if not issubclass(model, Page)]
    return tuple(dict.fromkeys(models))


def on_object_changed(sender, instance, raw=False, **kwargs):
    if raw or sender not in tracked_models():
        return
    page_ids = referencing_page_ids(sender, [instance.pk])
    if page_ids:
        announce(Change("references_changed", frozenset(page_ids), obj=instance))


def on_collection_restriction_changed(sender, instance, **kwargs):
    from wagtail.models import Collection

    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    collections = collection.get_descendants(inclusive=True)
    page_ids: set[int] = set()
    for model in (get_image_model(), get_document_model()):
        ids = model.objects.filter(collection__in=collections).values_list("pk", flat=True)
        page_ids |= referencing_page_ids(model, ids)
    if page_ids:
        announce(Change("references_changed", frozenset(page_ids), obj=instance))


# --- workflows ------------------------------------------------------------------------


def on_workflow_assigned(sender, instance, raw=False, **kwargs):
    """A workflow assigned to (or taken from) a section: whether its pages' medical review
    claims come from records changes (``evidence.review.claimed_review``)."""
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        announce(Change("workflow", frozenset(affected_by_pages([page.pk], subtree_roots=[page]))))


def on_workflow_changed(sender, instance, raw=False, **kwargs):
    """A workflow or task switched on or off, or its tasks changed: rare, site-wide."""
    if not raw:
        announce(Change("workflow", everything=True, obj=instance))


# --- the whole site -------------------------------------------------------------------


def on_site_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    from kratom_pages.models import HealthContentSettings

    # A blank settings row made on first read (for_site's get_or_create) changes nothing.
    if sender is HealthContentSettings and created and not instance.default_disclaimer:
        return
    announce(Change("site", everything=True, obj=instance))


def _on_task_saved(sender, instance, raw=False, **kwargs):
    from wagtail.models import Task

    if isinstance(instance, Task):
        on_workflow_changed(sender, instance, raw=raw)


def connect() -> None:
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from kratom_pages.models import HealthContentSettings

    uid = "kratom_pages_invalidation"
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"{uid}_collection_restriction_{name}",
        )
        for model in (Site, HealthContentSettings):
            signal.connect(
                on_site_changed, sender=model, dispatch_uid=f"{uid}_{model.__name__}_{name}"
            )
        signal.connect(
            on_workflow_assigned, sender=WorkflowPage, dispatch_uid=f"{uid}_workflow_page_{name}"
        )
        for model in (Workflow, WorkflowTask):
            signal.connect(
                on_workflow_changed, sender=model, dispatch_uid=f"{uid}_{model.__name__}_{name}"
            )
    # Task subclasses (our medical review task too) save through their own model.
    post_save.connect(_on_task_saved, dispatch_uid=f"{uid}_task_saved")
    # Without a sender: snippet models are registered after our ready() runs.
    post_save.connect(on_object_changed, dispatch_uid=f"{uid}_object_saved")
    pre_delete.connect(on_object_changed, dispatch_uid=f"{uid}_object_deleted")
