"""Reader replies: posting, listing, escaping, moderation and privacy."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kratom_pages.models import ReaderReply
from tests.factories import ReaderReplyFactory

URL = "/api/v2/replies/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _post(client, data, **extra):
    return client.post(URL, json.dumps(data), content_type="application/json", **extra)


def _valid(page, **overrides):
    return {
        "page": page.pk,
        "display_name": "Reader",
        "email": "reader@example.com",
        "body": "Thanks for the sources.",
        **overrides,
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def approved(article):
    return ReaderReply.objects.create(
        page=article,
        display_name="Ok",
        email="ok@example.com",
        body="Visible",
        status="approved",
        ip_hash="x",
        moderation_note="secret note",
    )


@pytest.mark.django_db
def test_valid_reply_is_stored_pending_and_answered_201(client, article):
    response = _post(client, _valid(article))
    assert response.status_code == 201
    body = response.json()
    reply = ReaderReply.objects.get(pk=body["id"])
    assert body == {"id": reply.pk, "status": "pending"}
    assert reply.status == "pending" and reply.page_id == article.pk
    assert reply.ip_hash and "127.0.0.1" not in reply.ip_hash
    assert len(reply.ip_hash) == 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "nul\x00byte"}, "body"),
        ({"parent": 999999}, "parent"),
        ({"parent": "abc"}, "parent"),
        ({"body": ["a", "list"]}, "body"),
    ],
)
def test_each_invalid_field_is_a_400_naming_the_field(client, article, overrides, field):
    response = _post(client, _valid(article, **overrides))
    assert response.status_code == 400
    data = response.json()
    assert data["message"] == "Invalid reply."
    assert list(data["errors"]) == [field]
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("page_value", [None, "abc", -1, 10**12])
def test_missing_or_bad_page_is_a_clear_4xx(client, article, page_value):
    data = _valid(article)
    data["page"] = page_value
    response = _post(client, data)
    assert response.status_code in (400, 404)
    assert response.json()["message"]
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_oversized_request_is_rejected_with_413(client, article):
    response = _post(client, _valid(article, body="x" * 70_000))
    assert response.status_code == 413
    assert "too large" in response.json()["message"]


@pytest.mark.django_db
def test_wrong_content_type_and_malformed_json_are_clear_errors(client, article):
    form = client.post(URL, _valid(article))
    assert form.status_code == 415 and "JSON" in form.json()["message"]
    broken = client.post(URL, "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["message"] == "The body is not valid JSON."
    array = client.post(URL, "[1, 2]", content_type="application/json")
    assert array.status_code == 400


@pytest.mark.django_db
def test_honeypot_looks_accepted_but_is_stored_as_spam(client, article):
    response = _post(client, _valid(article, website="http://spam.example"))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert ReaderReply.objects.get().status == "spam"


@pytest.mark.django_db
def test_rate_limit_answers_429_with_retry_after(client, settings, article):
    settings.KRATOM_PAGES = {"REPLY_RATE_LIMIT": "2/1m"}
    assert _post(client, _valid(article)).status_code == 201
    assert _post(client, _valid(article)).status_code == 201
    limited = _post(client, _valid(article))
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited.json()["message"]
    assert ReaderReply.objects.count() == 2
    other_ip = _post(client, _valid(article), REMOTE_ADDR="10.9.9.9")
    assert other_ip.status_code == 201


@pytest.mark.django_db
def test_closed_draft_and_private_pages_refuse_replies(client, article, faq_page, guideline_page):
    article.allow_replies = False
    article.save_revision().publish()
    closed = _post(client, _valid(article))
    assert closed.status_code == 403 and "closed" in closed.json()["message"]

    faq_page.unpublish()
    assert _post(client, _valid(faq_page)).status_code == 404

    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=guideline_page, restriction_type="login")
    assert _post(client, _valid(guideline_page)).status_code == 404
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_reply_to_a_reply_is_one_level_deep(client, article, approved):
    child = _post(client, _valid(article, parent=approved.pk))
    assert child.status_code == 201
    child_reply = ReaderReply.objects.get(pk=child.json()["id"])
    child_reply.status = "approved"
    child_reply.save()
    grandchild = _post(client, _valid(article, parent=child_reply.pk))
    assert grandchild.status_code == 400 and "parent" in grandchild.json()["errors"]


@pytest.mark.django_db
def test_only_approved_replies_are_listed_without_private_fields(client, article, approved):
    for status in ("pending", "rejected", "spam"):
        ReaderReplyFactory(page=article, body=f"hidden {status}", status=status)
    data = client.get(URL, {"page": article.pk}).json()
    assert data["meta"]["total_count"] == 1
    [item] = data["items"]
    assert set(item) == {"id", "parent", "display_name", "body", "created_at"}
    assert item["body"] == "Visible"
    raw = json.dumps(data)
    for secret in ("ok@example.com", "secret note", "hidden"):
        assert secret not in raw
    v3 = client.get("/api/v3/replies/", {"page": article.pk}).json()
    assert [i["body"] for i in v3["items"]] == ["Visible"]
    assert "ok@example.com" not in json.dumps(v3)


@pytest.mark.django_db
def test_listing_paginates_and_rejects_bad_parameters(client, article):
    for n in range(5):
        ReaderReplyFactory(page=article, body=f"b{n}", status="approved")
    page = client.get(URL, {"page": article.pk, "limit": 2, "offset": 2}).json()
    assert [i["body"] for i in page["items"]] == ["b2", "b3"]
    assert page["meta"]["total_count"] == 5
    for params in (
        {"page": article.pk, "limit": -1},
        {"page": article.pk, "limit": "x"},
        {"page": article.pk, "limit": 1000},
        {"page": "x"},
        {},
    ):
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert response.json()["message"]
    assert client.get(URL, {"page": 987654}).status_code == 404


@pytest.mark.django_db
def test_xss_payload_is_stored_as_text_and_rendered_inert(client, article):
    response = _post(client, _valid(article, body=XSS, display_name="<b>bold</b>"))
    reply = ReaderReply.objects.get(pk=response.json()["id"])
    assert reply.body == XSS
    reply.status = "approved"
    reply.save()
    api = client.get(URL, {"page": article.pk})
    assert api["Content-Type"] == "application/json"
    assert api.json()["items"][0]["body"] == XSS
    html = client.get(article.url).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_page_template_shows_approved_replies_and_the_form(client, article, approved):
    ReaderReply.objects.create(
        page=article,
        display_name="Hidden",
        email="h@example.com",
        body="Not yet",
        status="pending",
        ip_hash="q",
    )
    html = client.get(article.url).content.decode()
    assert "Visible" in html and "Not yet" not in html
    assert "ok@example.com" not in html
    assert 'name="kratom_reply"' in html and "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_server_rendered_form_requires_csrf_and_stores_pending(article):
    csrf_client = Client(enforce_csrf_checks=True)
    data = {"kratom_reply": "1", "display_name": "Form", "email": "f@example.com", "body": "Hi"}
    assert csrf_client.post(article.url, data).status_code == 403
    page_html = csrf_client.get(article.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html).group(1)
    response = csrf_client.post(article.url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and "replied=1" in response["Location"]
    assert ReaderReply.objects.get().status == "pending"
    thanks = csrf_client.get(response["Location"]).content.decode()
    assert "will appear once a moderator" in thanks


@pytest.mark.django_db
def test_server_rendered_form_shows_field_errors_and_saves_nothing(client, article):
    response = client.post(
        article.url, {"kratom_reply": "1", "display_name": "", "email": "bad", "body": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("kp-field--error") == 3
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_moderators_are_notified_by_email_when_configured(
    client, settings, article, django_capture_on_commit_callbacks
):
    settings.KRATOM_PAGES = {"REPLY_NOTIFY_EMAILS": ["mod@example.com"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _valid(article, body="Please moderate me"))
    assert response.status_code == 201
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.com"]
    assert "Please moderate me" in mail.outbox[0].body
    assert "reader@example.com" not in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_by_default(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _valid(article))
    assert mail.outbox == []


def _moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.com", "pw")
    user.groups.add(Group.objects.get(name="Reply moderators"))
    return user


@pytest.mark.django_db
def test_moderators_group_can_moderate_but_not_edit_pages(
    client, django_user_model, article, approved
):
    client.force_login(_moderator(django_user_model))
    index = client.get("/admin/kratom_pages/readerreply/?status=all")
    assert index.status_code == 200
    assert "Visible" in index.content.decode()
    inspect = client.get(f"/admin/kratom_pages/readerreply/inspect/{approved.pk}/")
    assert inspect.status_code == 200
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert edit_page.status_code in (302, 403)
    assert client.get("/admin/kratom_pages/readerreply/new/")["Location"] == "/admin/"


@pytest.mark.django_db
def test_users_without_permission_cannot_moderate(client, django_user_model, approved):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/kratom_pages/readerreply/")["Location"] == "/admin/"
    bulk = f"/admin/bulk/kratom_pages/readerreply/spam/?id={approved.pk}"
    assert client.get(bulk)["Location"] == "/admin/"
    assert client.post(bulk)["Location"] == "/admin/"
    one_url = f"/admin/kratom_pages/readerreply/moderate/{approved.pk}/"
    one = client.post(one_url, {"action": "spam"})
    assert one["Location"] == "/admin/"
    approved.refresh_from_db()
    assert approved.status == "approved"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"), [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")]
)
def test_bulk_actions_change_only_the_selected_replies(
    client, django_user_model, article, action, status
):
    replies = ReaderReplyFactory.create_batch(3, page=article)
    client.force_login(_moderator(django_user_model))
    ids = f"id={replies[0].pk}&id={replies[1].pk}"
    response = client.post(f"/admin/bulk/kratom_pages/readerreply/{action}/?{ids}")
    assert response.status_code == 302
    statuses = [ReaderReply.objects.get(pk=r.pk).status for r in replies]
    assert statuses == [status, status, "pending"]
    assert ReaderReply.objects.get(pk=replies[0].pk).moderated_at is not None


@pytest.mark.django_db
def test_menu_shows_pending_count(admin_client, article):
    ReaderReplyFactory.create_batch(3, page=article)
    html = admin_client.get("/admin/").content.decode()
    assert "Reader replies (3)" in html


@pytest.mark.django_db
def test_export_and_erase_by_email(article, approved, capsys):
    other = ReaderReply.objects.create(
        page=article,
        parent=approved,
        display_name="Other",
        email="other@example.com",
        body="answer",
        status="approved",
        ip_hash="o",
    )
    alone = ReaderReply.objects.create(
        page=article,
        display_name="Ok again",
        email="OK@example.com",
        body="second",
        status="pending",
        ip_hash="o",
    )
    call_command("export_reader_replies", email="ok@example.com")
    exported = json.loads(capsys.readouterr().out)
    assert sorted(r["body"] for r in exported) == ["Visible", "second"]

    call_command("erase_reader_replies", email="ok@example.com")
    assert not ReaderReply.objects.filter(pk=alone.pk).exists()
    blanked = ReaderReply.objects.get(pk=approved.pk)
    assert (
        blanked.email == ""
        and blanked.display_name == "[removed]"
        and "Visible" not in blanked.body
    )
    assert ReaderReply.objects.get(pk=other.pk).body == "answer"
    assert not ReaderReply.objects.filter(email__iexact="ok@example.com").exists()


@pytest.mark.django_db
def test_purge_removes_old_rejected_and_spam_only(article):
    old = timezone.now() - timedelta(days=40)
    keep = []
    for status in ("rejected", "spam", "pending", "approved"):
        reply = ReaderReplyFactory(page=article, status=status)
        ReaderReply.objects.filter(pk=reply.pk).update(created_at=old)
        if status in ("pending", "approved"):
            keep.append(reply.pk)
    fresh = ReaderReplyFactory(page=article, status="spam")
    call_command("purge_reader_replies")
    assert sorted(ReaderReply.objects.values_list("pk", flat=True)) == sorted([*keep, fresh.pk])
