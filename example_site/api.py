"""The example site's Wagtail API v2 router, with kratom-pages' endpoints registered."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from kratom_pages.api.v2 import register_endpoints

api_router = WagtailAPIRouter("wagtailapi")
register_endpoints(api_router)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
