"""The test URLs with Wagtail's pages under language prefixes (/en/, /fr/), as a
multilingual site routes them: a page and its translation then have addresses of their own
(tests/test_sitemaps.py, alternates)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls

from tests.urls import urlpatterns as test_urlpatterns

urlpatterns = [
    *[each for each in test_urlpatterns if getattr(each, "urlconf_name", None) is not wagtail_urls],
    *i18n_patterns(path("", include(wagtail_urls))),
]
