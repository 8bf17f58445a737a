"""Publish webhooks against a real HTTP receiver on 127.0.0.1."""

import hashlib
import hmac
import json
import socket
import time
from datetime import timedelta

import pytest
import wagtail_factories
from django.apps import apps
from django.conf import settings as project_settings
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kratom_pages.models import Reviewer, WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing.models import generate_secret
from tests.factories import ArticlePageFactory, SourceFactory, numbered_block
from tests.webhook_receiver import Receiver, Reply

SECRET = generate_secret()
LEGACY_SECRET = "a-plain-secret-from-before-standard-webhooks"

# The receiver listens on 127.0.0.1, which only an allow-list entry lets webhooks reach.
LOCAL_RECEIVER_SETTINGS = {
    **(getattr(project_settings, "KRATOM_PAGES", None) or {}),  # tests/settings.py
    "WEBHOOK_ALLOW_HTTP": True,
    "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
    "WEBHOOK_TIMEOUT": 0.3,
    "WEBHOOK_BACKOFF": 0,
    "WEBHOOK_MAX_ATTEMPTS": 3,
}


@pytest.fixture
def receiver(settings):
    receiver = Receiver()
    settings.KRATOM_PAGES = {
        **LOCAL_RECEIVER_SETTINGS,
        "WEBHOOKS": [{"url": receiver.url, "secret": SECRET}],
    }
    yield receiver
    receiver.close()


def standard_webhooks_check(key: str | bytes, request: dict) -> bool:
    """What a receiver does with the official Standard Webhooks library."""
    try:
        Webhook(key).verify(request["body"], request["headers"])
    except WebhookVerificationError:
        return False
    return True


def independent_signature_check(secret: str, request: dict) -> bool:
    """The deprecated X-Kratom-Signature header, checked as the old README showed."""
    header = request["headers"]["X-Kratom-Signature"]
    fields = dict(part.split("=", 1) for part in header.split(","))
    signed = f"{fields['t']}.".encode() + request["body"]
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) < 300
    return fresh and hmac.compare_digest(expected, fields["v1"])


@pytest.mark.django_db
def test_publish_sends_a_signed_event(article, receiver, run_on_commit):
    run_on_commit(lambda: article.save_revision().publish())
    [request] = receiver.requests
    assert standard_webhooks_check(SECRET, request)
    assert not standard_webhooks_check(generate_secret(), request)
    assert independent_signature_check(SECRET, request)
    assert not independent_signature_check("wrong-secret", request)
    event = json.loads(request["body"])
    assert request["headers"]["webhook-id"] == event["event_id"]
    assert event["action"] == "publish"
    assert event["page"] == {
        "id": article.pk,
        "type": "kratom_pages.ArticlePage",
        "locale": "en",
        "url_path": article.url_path,
        "url": "http://testserver/article/",  # absolute, by the one base-URL rule
    }
    # The section front that lists the article changed with it.
    assert event["affected_page_ids"] == sorted([article.pk, article.get_parent().pk])
    assert set(event) >= {"event_id", "timestamp"}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert str(delivery.event_id) == event["event_id"]
    assert delivery.duration_ms is not None and delivery.last_error == ""


@pytest.mark.django_db
def test_a_legacy_secret_verifies_as_raw_bytes_and_with_the_old_header(
    article, receiver, settings, run_on_commit
):
    settings.KRATOM_PAGES = {
        **settings.KRATOM_PAGES,
        "WEBHOOKS": [{"url": receiver.url, "secret": LEGACY_SECRET}],
    }
    run_on_commit(lambda: article.save_revision().publish())
    [request] = receiver.requests
    assert standard_webhooks_check(LEGACY_SECRET.encode(), request)
    assert independent_signature_check(LEGACY_SECRET, request)


@pytest.mark.django_db
def test_the_deprecated_header_can_be_switched_off(article, receiver, settings, run_on_commit):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "WEBHOOK_SIGNATURE_HEADER": None}
    run_on_commit(lambda: article.save_revision().publish())
    [request] = receiver.requests
    assert "X-Kratom-Signature" not in request["headers"]
    assert standard_webhooks_check(SECRET, request)


@pytest.mark.django_db
def test_unpublish_move_and_delete_send_events(index_page, article, receiver, run_on_commit):
    other_index = index_page.add_child(instance=type(index_page)(title="Other", slug="other"))
    run_on_commit(lambda: other_index.save_revision().publish())
    receiver.requests.clear()

    run_on_commit(lambda: article.unpublish())
    run_on_commit(lambda: article.save_revision().publish())
    run_on_commit(lambda: article.move(other_index, pos="last-child"))
    article.refresh_from_db()
    run_on_commit(lambda: article.delete())
    actions = [e["action"] for e in receiver.events()]
    assert actions == ["unpublish", "publish", "move", "delete"]
    move = receiver.events()[2]
    assert move["page"]["url_path"].endswith("/other/article/")


@pytest.mark.django_db
def test_changes_to_embedded_objects_name_the_affected_pages(index_page, receiver, run_on_commit):
    image = wagtail_factories.ImageFactory()
    source = SourceFactory()
    reviewer = Reviewer.objects.create(name="Dr R", credentials="MD")
    page = ArticlePageFactory.build(
        slug="embeds",
        hero_image=image,
        reviewed_by=reviewer,
        body=[numbered_block("A", sources=[source])],
    )
    index_page.add_child(instance=page)
    run_on_commit(lambda: page.save_revision().publish())
    receiver.requests.clear()

    image.title = source.title = reviewer.name = "Renamed"
    for obj in (image, source, reviewer):
        run_on_commit(obj.save)
    events = receiver.events()
    assert [e["action"] for e in events] == ["references_changed"] * 3
    assert [e["object"]["type"] for e in events] == [
        "wagtailimages.Image",
        "kratom_pages.Source",
        "kratom_pages.Reviewer",
    ]
    assert all(e["affected_page_ids"] == [page.pk] for e in events)


@pytest.mark.django_db
def test_retries_after_500_until_success(article, receiver, run_on_commit):
    receiver.script = [Reply(500), Reply(503), Reply(200)]
    run_on_commit(lambda: article.save_revision().publish())
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
    # Retries are the same Standard Webhooks message: one id, each freshly signed.
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
    assert all(standard_webhooks_check(SECRET, r) for r in receiver.requests)


@pytest.mark.django_db
def test_retries_after_a_timeout(article, receiver, run_on_commit):
    receiver.script = [Reply(hang=True), Reply(200)]
    run_on_commit(lambda: article.save_revision().publish())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.attempts == 2


@pytest.mark.django_db
def test_gives_up_after_max_attempts_and_logs_the_error(article, receiver, run_on_commit):
    receiver.script = [Reply(500, body=b"stack trace")] * 5
    run_on_commit(lambda: article.save_revision().publish())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert (delivery.response_status, delivery.last_error) == (500, "HTTP 500")


@pytest.mark.django_db
def test_publishing_succeeds_while_the_receiver_is_down(settings, run_on_commit, article):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.KRATOM_PAGES = {
        **LOCAL_RECEIVER_SETTINGS,
        "WEBHOOKS": [{"url": f"http://127.0.0.1:{closed_port}/hook", "secret": SECRET}],
        "WEBHOOK_MAX_ATTEMPTS": 2,
    }
    article.title = "Published anyway"
    run_on_commit(lambda: article.save_revision().publish())
    article.refresh_from_db()
    assert article.live and article.title == "Published anyway"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 2
    assert (delivery.response_status, delivery.last_error) == (None, "ConnectionError")


@pytest.mark.django_db
def test_admin_endpoints_filter_by_page_type(article, faq_page, receiver, settings, run_on_commit):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "WEBHOOKS": []}
    WebhookEndpoint.objects.create(
        name="FAQ only", url=receiver.url, secret=SECRET, page_types="kratom_pages.FAQPage"
    )
    WebhookEndpoint.objects.create(name="Off", url=receiver.url, secret="x", is_active=False)
    run_on_commit(lambda: article.save_revision().publish())
    run_on_commit(lambda: faq_page.save_revision().publish())
    [request] = receiver.requests
    assert json.loads(request["body"])["page"]["id"] == faq_page.pk
    assert standard_webhooks_check(SECRET, request)


@pytest.mark.django_db
def test_resend_command_sends_the_same_event_again(article, capsys, receiver, run_on_commit):
    receiver.script = [Reply(500)] * 3
    run_on_commit(lambda: article.save_revision().publish())
    failed = WebhookDelivery.objects.get()
    assert failed.status == "failed"
    run_on_commit(lambda: call_command("resend_webhook_delivery", failed.pk))
    assert f"publish to {receiver.url}" in capsys.readouterr().out
    again = WebhookDelivery.objects.exclude(pk=failed.pk).get()
    assert (again.status, again.attempts) == ("succeeded", 1)
    bodies = [r["body"] for r in receiver.requests]
    assert bodies[-1] == bodies[0]
    assert WebhookDelivery.objects.filter(event_id=failed.event_id).count() == 2


@pytest.mark.django_db
def test_delivery_log_is_visible_in_the_admin(admin_client, article, receiver, run_on_commit):
    run_on_commit(lambda: article.save_revision().publish())
    delivery = WebhookDelivery.objects.get()
    index = admin_client.get("/admin/kratom_pages/webhookdelivery/")
    assert index.status_code == 200 and receiver.url in index.content.decode()
    inspect = admin_client.get(f"/admin/kratom_pages/webhookdelivery/inspect/{delivery.pk}/")
    assert inspect.status_code == 200
    assert admin_client.get("/admin/kratom_pages/webhookdelivery/create/").status_code in (302, 403)


@pytest.mark.django_db
def test_migration_0006_keeps_only_the_class_of_logged_errors():
    from importlib import import_module

    migration = import_module("kratom_pages.migrations.0006_webhook_outbound_safety")
    old = {
        "HTTP 500: <html>db password is hunter2</html>": "HTTP 500",
        "ConnectionError: HTTPConnectionPool(host='10.0.0.5', port=6379)": "ConnectionError",
        "No such endpoint.": "No such endpoint.",
        "+OK redis 7.2 role:master": "",
        "": "",
    }
    rows = [
        WebhookDelivery.objects.create(
            endpoint_url="https://x.test/", action="publish", payload={}, last_error=text
        )
        for text in old
    ]
    migration.strip_receiver_bodies(apps, None)
    assert [WebhookDelivery.objects.get(pk=r.pk).last_error for r in rows] == list(old.values())


@pytest.mark.django_db
def test_retries_are_deferred_on_a_backend_that_can_defer(settings, article, receiver):
    """With a real queue (here django-tasks' DummyBackend, which defers like the database
    queue) a failed attempt is re-queued for later instead of sleeping in the worker."""
    from django.utils import timezone
    from django_tasks import task_backends

    from kratom_pages.publishing.webhooks import deliver_webhook

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "WEBHOOK_BACKOFF": 30}
    receiver.script = [Reply(500)]
    article.save_revision().publish()  # logs the delivery; nothing runs on the dummy queue
    delivery = WebhookDelivery.objects.get()
    before = timezone.now()
    deliver_webhook.call(delivery.pk)  # the worker runs the first attempt
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert len(receiver.requests) == 1
    queued = [
        result
        for result in task_backends["default"].results
        if result.task.func is deliver_webhook.func and result.task.run_after is not None
    ]
    # The retry after the backoff, and the follow-up scheduled before the attempt for when
    # its lease ends (it finds nothing to do unless the worker died).
    assert sorted(result.args for result in queued) == [[delivery.pk], [delivery.pk]]
    retry, follow_up = sorted(queued, key=lambda result: result.task.run_after)
    assert before + timedelta(seconds=29) <= retry.task.run_after
    assert retry.task.run_after <= before + timedelta(seconds=31)
    assert follow_up.task.run_after >= before + timedelta(seconds=299)
    assert delivery.due_at == retry.task.run_after and delivery.leased_until is None


@pytest.mark.django_db
def test_scheduling_a_new_page_tells_receivers_nothing_until_it_goes_live(
    index_page, receiver, run_on_commit
):
    """Wagtail sends page_published when it only schedules a page that was never live:
    receivers would revalidate a page that does not exist for readers yet."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from tests.factories import ArticlePageFactory

    article = ArticlePageFactory.build(slug="scheduled", live=False)
    index_page.add_child(instance=article)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    run_on_commit(lambda: article.save_revision().publish())
    article.refresh_from_db()
    assert not article.live
    assert receiver.events() == []
    # Due: publish_scheduled publishes it, and that is announced.
    from wagtail.models import Revision

    due = timezone.now() - timedelta(seconds=1)  # an hour later, as publish_scheduled sees it
    for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = due.isoformat()
        revision.approved_go_live_at = due
        revision.save()
    run_on_commit(lambda: call_command("publish_scheduled"))
    assert [event["action"] for event in receiver.events()] == ["publish"]
    assert receiver.events()[0]["page"]["id"] == article.pk
