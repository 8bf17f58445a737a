"""A urls.py as the README's install steps once let it be written: the APIs appended after
Wagtail's catch-all, which then answers every API path first."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.api.v3.urls import api as api_v3

from tests.urls import api_router

urlpatterns = [
    path("", include(wagtail_urls)),
]
urlpatterns += [
    path("api/v2/", api_router.urls),
    path("api/v3/", api_v3.urls),
]
