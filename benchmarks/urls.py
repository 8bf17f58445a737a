"""The example site's URLs plus the benchmark-only endpoints compared against ours."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from benchmarks import syndication
from example_site.urls import urlpatterns as example_urlpatterns
from kratom_pages.api.v2 import KratomPagesAPIViewSet

PRECOMPUTED = Path(settings.MEDIA_ROOT) / "precomputed.json"


class UncachedPagesAPIViewSet(KratomPagesAPIViewSet):
    """Ours, with the representation cache switched off: serialization cost itself."""

    def detail_view(self, request, pk):
        (body, _etag, _modified), _timeout = self.render_detail()
        return HttpResponse(body, content_type="application/json")


class WholeListingsAPIViewSet(KratomPagesAPIViewSet):
    """Ours, with listings rendered whole when they miss (no per-page items)."""

    listing_items = False


core = WagtailAPIRouter("bench_core")
core.register_endpoint("pages", PagesAPIViewSet)
uncached = WagtailAPIRouter("bench_uncached")
uncached.register_endpoint("pages", UncachedPagesAPIViewSet)
whole = WagtailAPIRouter("bench_whole")
whole.register_endpoint("pages", WholeListingsAPIViewSet)

_precomputed_bytes = None


def precomputed(request):
    """The limit: the same bytes, read once, served with no work at all."""
    global _precomputed_bytes
    if _precomputed_bytes is None:
        _precomputed_bytes = PRECOMPUTED.read_bytes()
    return HttpResponse(_precomputed_bytes, content_type="application/json")


urlpatterns = [
    path("bench/core/v2/", core.urls),
    path("bench/uncached/v2/", uncached.urls),
    path("bench/whole/v2/", whole.urls),
    path("bench/precomputed/", precomputed),
    # The same under /api/: what every API response pays besides our work (CORS headers,
    # the API's input bounds), shown beside (c) for reading the cached ratios.
    path("api/bench/precomputed/", precomputed),
    *syndication.urlpatterns,
    *example_urlpatterns,
]
