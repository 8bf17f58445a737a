"""The test URLs plus test-only views that change content inside the server process, so
the change (and its invalidation) happens in one process and is read in another."""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page, PageViewRestriction, Site

from kratom_pages.models import ArticlePage, KratomIndexPage
from tests.urls import urlpatterns as test_urlpatterns


@csrf_exempt
def set_up(request):
    root = Page.get_first_root_node()
    index = root.add_child(instance=KratomIndexPage(title="Kratom", slug="kratom"))
    index.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": 80, "root_page": index}
    )
    article = index.add_child(instance=ArticlePage(title="Original title", slug="article", body=[]))
    article.save_revision().publish()
    return JsonResponse({"article": article.pk})


@csrf_exempt
def change(request, page_id: int, action: str):
    page = ArticlePage.objects.get(pk=page_id)
    if action == "edit":
        page.title = json.loads(request.body)["title"]
        page.save_revision().publish()
    elif action == "unpublish":
        page.unpublish()
    elif action == "republish":
        page.save_revision().publish()
    elif action == "restrict":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    return HttpResponse(status=204)


def tier(request):
    """Whether this process answers hits from its local tier, and how many it has."""
    from django.conf import settings

    from kratom_pages.publishing import local_tier

    current = local_tier._current
    return JsonResponse(
        {
            "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "hits": current.hits if current is not None else 0,
        }
    )


urlpatterns = [
    path("_test/local-tier/", tier),
    path("_test/set-up/", set_up),
    path("_test/pages/<int:page_id>/<str:action>/", change),
    *test_urlpatterns,
]
