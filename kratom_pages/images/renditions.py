"""Renditions and placeholders made before anyone reads them: by a task, when an image is
saved (uploaded, replaced, its focal point moved) and when a page showing it is published.

A reader's request only finds them (``pictures.prefetch``, one query for all); should the
task not have run yet (no worker, a file that was missing), the request makes what is
missing itself, as Wagtail always did, so nothing is ever served broken.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.signals import page_published

from kratom_pages.images import pictures, placeholders
from kratom_pages.images.models import ImagePlaceholder
from kratom_pages.publishing import watched

logger = logging.getLogger(__name__)


@task()
def make_renditions(image_ids: list[int]) -> dict[str, int]:
    """Make the placeholder and every rendition of ``image_ids`` that does not exist yet."""
    images = list(get_image_model().objects.filter(pk__in=image_ids))
    pictures.prefetch(images)
    made = 0
    for image in images:
        before = len(getattr(image, "prefetched_renditions", []))
        had = ImagePlaceholder.objects.filter(image=image, file_hash=image.file_hash).exists()
        if placeholders.ensure(image) is not None and not had:
            # Pages showing the image serve its placeholder now: the same change as the
            # image's own (their cached representations are renewed).
            watched.on_object_changed(type(image), image)
        pictures.renditions_of(image)
        made += len(getattr(image, "prefetched_renditions", [])) - before
    return {"images": len(images), "renditions_made": made}


def enqueue(image_ids: Iterable[int]) -> None:
    """Hand ``image_ids`` to the task worker once the current transaction commits."""
    ids = sorted({pk for pk in image_ids if pk})
    if not ids:
        return

    def send() -> None:
        try:
            make_renditions.enqueue(ids)
        except Exception:  # noqa: BLE001 - readers make what the task could not
            logger.exception("Could not enqueue the renditions of images %s", ids)

    transaction.on_commit(send)


def images_of(page) -> set[int]:
    """Ids of the images ``page`` shows: its image fields and every image in its streams."""
    from kratom_pages.prefetch import collect_references

    ids: set[int] = set()
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            stream = getattr(page, field.name)
            ids |= collect_references(stream.stream_block, stream.raw_data).image_ids
        elif field.is_relation and field.related_model is get_image_model():
            ids.add(getattr(page, field.attname))
    return {pk for pk in ids if pk}


def on_image_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        enqueue([instance.pk])


def on_page_published(sender, instance, **kwargs) -> None:
    enqueue(images_of(instance.specific))


def connect() -> None:
    """Called from AppConfig.ready()."""
    post_save.connect(
        on_image_saved, sender=get_image_model(), dispatch_uid="kratom_pages_image_saved"
    )
    page_published.connect(on_page_published, dispatch_uid="kratom_pages_image_renditions")
