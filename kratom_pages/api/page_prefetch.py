"""Bulk loading for whole pages about to be serialized: everything their streams refer
to, their image foreign keys, locales, reviewers and reviews, one query per kind."""

from django.db.models import ForeignKey, prefetch_related_objects
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from kratom_pages import prefetch
from kratom_pages.evidence.review import prefetch_reviews
from kratom_pages.models.pages import is_health_page


def _image_foreign_keys(model) -> list[ForeignKey]:
    image_model = get_image_model()
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.related_model is image_model
    ]


def prefetch_pages(pages: list, objects: prefetch.PrefetchedObjects) -> None:
    """Bulk-load everything ``pages`` reference into ``objects``, and attach image FKs."""
    refs = prefetch.References()
    image_fks: list[tuple[object, ForeignKey]] = []
    for page in pages:
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                refs.update(prefetch.stream_references(getattr(page, field.attname)))
        for fk in _image_foreign_keys(type(page)):
            image_id = getattr(page, fk.attname)
            if image_id is not None:
                refs.image_ids.add(image_id)
                image_fks.append((page, fk))
    objects.update(prefetch.load(refs))
    for page, fk in image_fks:
        image = objects.images.get(getattr(page, fk.attname))
        if image is not None:
            setattr(page, fk.name, image)
    prefetch_related_objects(pages, "locale")
    reviewed = [page for page in pages if is_health_page(page)]
    if reviewed:
        prefetch_related_objects(reviewed, "reviewed_by")
        prefetch_reviews(reviewed)
