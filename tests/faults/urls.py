"""The example site's URLs, after test-only views that change content inside a server
process (so a change is made in one process and read in others)."""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page, Site

from example_site.urls import urlpatterns as site_urlpatterns
from kratom_pages.models import (
    ArticlePage,
    ChangeRecord,
    KratomIndexPage,
    ReaderReply,
    WebhookDelivery,
)
from kratom_pages.publishing import durable


@csrf_exempt
def new_article(request):
    """A published article (and, the first time, the section and the site it lives in)."""
    index = KratomIndexPage.objects.first()
    if index is None:
        index = Page.get_first_root_node().add_child(
            instance=KratomIndexPage(title="Kratom", slug="kratom")
        )
        index.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "127.0.0.1", "port": 80, "root_page": index},
        )
    body = json.loads(request.body or b"{}")
    article = index.add_child(
        instance=ArticlePage(title=body.get("title", "Original"), slug=body["slug"], body=[])
    )
    article.save_revision().publish()
    return JsonResponse({"id": article.pk})


@csrf_exempt
def retitle(request, page_id: int):
    page = ArticlePage.objects.get(pk=page_id)
    page.title = json.loads(request.body)["title"]
    page.save_revision().publish()
    return JsonResponse({"id": page.pk})


def state(request):
    """What the outbox and the deliveries say, for assertions."""
    from django_tasks_db.models import DBTaskResult

    return JsonResponse(
        {
            "records_unapplied": ChangeRecord.objects.filter(applied_at__isnull=True).count(),
            "work_owed": list(
                ChangeRecord.objects.filter(due_at__isnull=False).values_list("pk", flat=True)
            ),
            "deliveries": list(
                WebhookDelivery.objects.order_by("pk").values("pk", "status", "attempts")
            ),
            # Runs of our leased tasks still shown running (a dead worker's, until its
            # follow-up marks it failed).
            "tasks_running": DBTaskResult.objects.running()
            .filter(task_path__in=durable.LEASED_TASKS)
            .count(),
            "reply_bodies": list(ReaderReply.objects.values_list("body", flat=True)),
        }
    )


urlpatterns = [
    path("_test/articles/", new_article),
    path("_test/articles/<int:page_id>/title/", retitle),
    path("_test/state/", state),
    *site_urlpatterns,
]
