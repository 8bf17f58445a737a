"""Wagtail API v2 wiring: a pages endpoint that bulk-loads what a listing references.

One line in a project's API module registers it::

    from kratom_pages.api.v2 import register_endpoints
    register_endpoints(api_router)
"""

from django.db.models import ForeignKey, prefetch_related_objects
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from kratom_pages import prefetch


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
                value = getattr(page, field.attname)
                refs.update(prefetch.collect_references(value.stream_block, value.raw_data))
        for fk in _image_foreign_keys(type(page)):
            image_id = getattr(page, fk.attname)
            if image_id is not None:
                refs.image_ids.add(image_id)
                image_fks.append((page, fk))
    loaded = prefetch.load(refs)
    objects.images.update(loaded.images)
    objects.pages.update(loaded.pages)
    objects.rich_text.update(loaded.rich_text)
    for page, fk in image_fks:
        image = objects.images.get(getattr(page, fk.attname))
        if image is not None:
            setattr(page, fk.name, image)
    prefetch_related_objects(pages, "locale")


class KratomPagesAPIViewSetMixin:
    """Makes ``fields=*`` listings cost the same number of queries for 10 or 50 pages."""

    def listing_view(self, request):
        with prefetch.activate(prefetch.PrefetchedObjects()):
            return super().listing_view(request)

    def get_serializer(self, *args, **kwargs):
        objects = prefetch.active()
        if kwargs.get("many") and args and objects is not None:
            pages = list(args[0])
            prefetch_pages(pages, objects)
            args = (pages, *args[1:])
        return super().get_serializer(*args, **kwargs)


class KratomPagesAPIViewSet(KratomPagesAPIViewSetMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint with bulk loading for kratom-pages' page types."""


def register_endpoints(router: WagtailAPIRouter, pages: str = "pages") -> WagtailAPIRouter:
    """Register kratom-pages' endpoints on a project's v2 router (replacing ``pages``)."""
    router.register_endpoint(pages, KratomPagesAPIViewSet)
    return router
