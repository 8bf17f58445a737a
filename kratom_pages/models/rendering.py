"""Rendering a page's template with everything it shows loaded in bulk."""

from kratom_pages import prefetch


class BulkLoadedRenderingMixin:
    """The page renders with what it shows bulk-loaded, as the API serializes it (images
    with their renditions and placeholders, linked pages, rich text), so a page with 40
    images asks the queries of a page with one."""

    def serve(self, request, *args, **kwargs):
        from kratom_pages.api.page_prefetch import prefetch_pages

        response = super().serve(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            return response
        with prefetch.activate(prefetch.PrefetchedObjects()) as objects:
            prefetch_pages([self], objects)
            response.render()
        return response
