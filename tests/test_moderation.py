"""The reply moderation queue as a moderator uses it: Pending first, the reply, its page
and date on each row, one-click and bulk actions, and nothing beyond moderation."""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.checks import run_checks

from kratom_pages.models import ReaderReply
from tests.factories import ReaderReplyFactory

QUEUE = "/admin/kratom_pages/readerreply/"
BULK = "/admin/bulk/kratom_pages/readerreply/"


@pytest.fixture
def moderator(client, django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.com", "pw")
    user.groups.add(Group.objects.get(name="Reply moderators"))
    client.force_login(user)
    return user


def _status(reply) -> str:
    return ReaderReply.objects.get(pk=reply.pk).status


@pytest.mark.django_db
def test_queue_opens_on_pending_and_all_is_one_click_away(client, moderator, article):
    ReaderReplyFactory(page=article, body="Waiting for a look")
    ReaderReplyFactory(page=article, body="Already fine", status="approved")
    html = client.get(QUEUE).content.decode()
    assert "Waiting for a look" in html
    assert "Already fine" not in html
    everything = client.get(QUEUE, {"status": "all"}).content.decode()
    assert "Waiting for a look" in everything and "Already fine" in everything
    approved = client.get(QUEUE, {"status": "approved"}).content.decode()
    assert "Already fine" in approved and "Waiting for a look" not in approved


@pytest.mark.django_db
def test_each_row_shows_trimmed_text_page_link_date_and_actions(client, moderator, article):
    reply = ReaderReplyFactory(page=article, body="word " * 100)
    html = client.get(QUEUE).content.decode()
    assert "word " * 20 in html and "word " * 40 not in html  # trimmed
    assert f'href="{article.url}"' in html
    assert f'datetime="{reply.created_at.isoformat()}"' in html
    row_form = re.search(
        rf'<form method="post" action="{QUEUE}moderate/{reply.pk}/">(.*?)</form>', html, re.S
    )
    assert 'name="csrfmiddlewaretoken"' in row_form.group(1)
    for action in ("approve", "reject", "spam"):
        assert f'name="action" value="{action}"' in row_form.group(1)
    # Wagtail's bulk actions: a checkbox per row, select all, and our three actions.
    assert f'data-object-id="{reply.pk}" data-bulk-action-checkbox' in html
    assert "data-bulk-action-select-all-checkbox" in html
    for action in ("approve", "reject", "spam"):
        assert f'href="{BULK}{action}/"' in html
    assert f'href="{BULK}delete/"' not in html


@pytest.mark.django_db
def test_row_action_moderates_only_that_reply_and_keeps_the_filter(client, moderator, article):
    first, second = ReaderReplyFactory.create_batch(2, page=article)
    response = client.post(
        f"{QUEUE}moderate/{first.pk}/",
        {"action": "approve", "selected": [second.pk], "next": f"{QUEUE}?status=pending"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=pending"
    assert (_status(first), _status(second)) == ("approved", "pending")


@pytest.mark.django_db
def test_moderation_refuses_get_and_foreign_redirects(client, moderator, article):
    reply = ReaderReplyFactory(page=article)
    assert client.get(f"{QUEUE}moderate/{reply.pk}/").status_code == 405
    response = client.post(
        f"{QUEUE}moderate/{reply.pk}/", {"action": "spam", "next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE
    assert _status(reply) == "spam"


def _bulk(action, *replies, next_url=QUEUE):
    ids = "&".join(f"id={reply.pk}" for reply in replies)
    return f"{BULK}{action}/?next={quote(next_url)}&{ids}"


@pytest.mark.django_db
def test_bulk_approve_two_from_the_pending_queue(client, moderator, article):
    replies = ReaderReplyFactory.create_batch(3, page=article)
    url = _bulk("approve", replies[0], replies[1])
    confirm = client.get(url).content.decode()
    assert "Approve these 2 replies?" in confirm and "Yes, approve" in confirm
    assert [_status(r) for r in replies] == ["pending"] * 3  # asking changes nothing
    response = client.post(url, follow=True)
    assert "2 replies marked approved." in response.content.decode()
    assert response.redirect_chain[-1][0] == QUEUE
    assert [_status(r) for r in replies] == ["approved", "approved", "pending"]
    moderated = ReaderReply.objects.get(pk=replies[0].pk).moderated_at
    assert moderated is not None


@pytest.mark.django_db
def test_bulk_select_all_in_listing_acts_only_on_what_the_filters_show(client, moderator, article):
    pending = ReaderReplyFactory.create_batch(2, page=article)
    approved = ReaderReplyFactory(page=article, status="approved")
    matching = ReaderReplyFactory(page=article, body="About withdrawal")
    client.post(f"{BULK}spam/?next={quote(QUEUE + '?q=withdrawal')}&id=all")
    assert _status(matching) == "spam"
    assert [_status(r) for r in pending] == ["pending", "pending"]
    client.post(f"{BULK}reject/?next={quote(QUEUE)}&id=all")  # the queue: Pending
    assert [_status(r) for r in pending] == ["rejected", "rejected"]
    assert _status(approved) == "approved" and _status(matching) == "spam"


@pytest.mark.django_db
def test_inspect_and_edit_show_the_full_reply_its_page_and_the_actions(client, moderator, article):
    body = "A long reply. " * 30 + "The very end."
    reply = ReaderReplyFactory(page=article, body=body)
    for url in (f"{QUEUE}inspect/{reply.pk}/", f"{QUEUE}edit/{reply.pk}/"):
        html = client.get(url).content.decode()
        assert "The very end." in html
        assert f'href="{article.url}"' in html
        assert f'action="{QUEUE}moderate/{reply.pk}/"' in html
        assert 'value="spam"' in html


@pytest.mark.django_db
def test_page_filter_lists_only_pages_with_replies(client, moderator, article, faq_page):
    ReaderReplyFactory(page=article)
    html = client.get(QUEUE).content.decode()
    select = re.search(r'<select name="page"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert f'value="{article.pk}"' in select
    assert f'value="{faq_page.pk}"' not in select
    assert ">Root<" not in select
    other = ReaderReplyFactory(page=faq_page)
    filtered = client.get(QUEUE, {"page": article.pk}).content.decode()
    assert f"reply_{other.pk}_title" not in filtered


@pytest.mark.django_db
def test_moderator_cannot_delete_replies_by_default(client, moderator, article):
    reply = ReaderReplyFactory(page=article)
    assert "/delete/" not in client.get(f"{QUEUE}edit/{reply.pk}/").content.decode()
    assert "/delete/" not in client.get(QUEUE).content.decode()
    assert "/new/" not in client.get(QUEUE).content.decode()
    # Wagtail answers a permission refusal with a redirect to the dashboard.
    assert client.post(f"{QUEUE}delete/{reply.pk}/")["Location"] == "/admin/"
    assert client.get(f"{QUEUE}new/")["Location"] == "/admin/"
    assert ReaderReply.objects.filter(pk=reply.pk).exists()


@pytest.mark.django_db
def test_setting_lets_moderators_delete(client, moderator, article, settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "REPLY_MODERATORS_CAN_DELETE": True}
    reply = ReaderReplyFactory(page=article)
    assert client.get(f"{QUEUE}delete/{reply.pk}/").status_code == 200
    client.post(f"{QUEUE}delete/{reply.pk}/")
    assert not ReaderReply.objects.filter(pk=reply.pk).exists()


def test_delete_setting_must_be_a_boolean(settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "REPLY_MODERATORS_CAN_DELETE": "yes"}
    assert "kratom_pages.E047" in [error.id for error in run_checks()]


@pytest.mark.django_db
def test_moderator_dashboard_has_no_review_panel_report_or_page_search(client, moderator, article):
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "kp-overdue-heading" not in html
    assert client.get("/admin/reports/overdue-medical-reviews/").status_code == 302
    # Wagtail's page search is hidden; the replies panel's search works instead.
    assert 'form[role="search"] { display: none; }' in html
    assert f'action="{QUEUE}"' in html and "kp-reply-queue-heading" in html


@pytest.mark.django_db
def test_dashboard_reply_search_finds_replies_in_any_status(client, moderator, article):
    ReaderReplyFactory(page=article, body="About withdrawal", status="approved")
    ReaderReplyFactory(page=article, body="Unrelated")
    html = client.get(QUEUE, {"status": "all", "q": "withdrawal"}).content.decode()
    assert "About withdrawal" in html and "Unrelated" not in html


@pytest.mark.django_db
def test_editors_with_page_permissions_keep_page_search_and_review_panel(admin_client, article):
    html = admin_client.get("/admin/").content.decode()
    assert "kp-overdue-heading" in html
    assert "display: none" not in html


@pytest.mark.django_db
def test_changing_the_status_in_the_edit_form_dates_the_moderation(client, moderator, article):
    reply = ReaderReplyFactory(page=article)
    assert reply.moderated_at is None
    edit_url = f"{QUEUE}edit/{reply.pk}/"
    response = client.post(edit_url, {"status": "approved", "moderation_note": "Checked"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == "approved" and reply.moderated_at is not None

    moderated_at = reply.moderated_at
    client.post(edit_url, {"status": "approved", "moderation_note": "Note only"})
    reply.refresh_from_db()
    assert reply.moderation_note == "Note only"
    assert reply.moderated_at == moderated_at  # a note is not a moderation


@pytest.mark.django_db
def test_each_bulk_confirmation_asks_in_its_own_words(client, moderator, article):
    [reply] = ReaderReplyFactory.create_batch(1, page=article)
    asked = {
        action: client.get(_bulk(action, reply)).content.decode()
        for action in ("approve", "reject", "spam")
    }
    assert "Approve this reply?" in asked["approve"]
    assert "Reject this reply?" in asked["reject"]
    assert "Mark this reply as spam?" in asked["spam"]
    assert "Mark as spam this reply" not in asked["spam"]
