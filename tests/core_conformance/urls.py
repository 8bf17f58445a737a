"""Wagtail's test URLconf (``wagtail.test.urls``) with the v2 router under ``api/main/``
rebuilt around kratom-pages' endpoints.

Core's tests reverse ``wagtailapi_v2:pages:...`` and request ``/api/main/pages/...``,
so the router keeps core's namespace and mount point; only ``pages`` (and core's
``issue_10411`` subclass, which tests subclassing the pages viewset) change class.
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.redirects.api import RedirectsAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.test import urls as core_urls

from kratom_pages.api.v2 import KratomPagesAPIViewSet, register_endpoints


class Issue10411APIViewSet(KratomPagesAPIViewSet):
    """Core's regression test for a pages viewset with its meta fields removed."""

    meta_fields = []


api_router = WagtailAPIRouter("wagtailapi_v2")
register_endpoints(api_router)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)
api_router.register_endpoint("issue_10411", Issue10411APIViewSet)

API_MOUNT = "api/main/"

urlpatterns = [
    path(API_MOUNT, api_router.urls) if str(pattern.pattern) == API_MOUNT else pattern
    for pattern in core_urls.urlpatterns
]
if not any(str(pattern.pattern) == API_MOUNT for pattern in core_urls.urlpatterns):
    raise ImproperlyConfigured(f"wagtail.test.urls no longer mounts its v2 router at {API_MOUNT}")
