"""The reply moderation queue as a moderator uses it: Pending first, the reply, its page
and date on each row, one-click and bulk actions, and nothing beyond moderation."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.checks import run_checks

from kratom_pages.models import ReaderReply
from tests.factories import ReaderReplyFactory

QUEUE = "/admin/kratom_pages/readerreply/"


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
    assert str(reply.created_at.year) in html
    moderate_url = f"{QUEUE}moderate/{reply.pk}/"
    for action in ("approve", "reject", "spam"):
        assert re.search(rf'formaction="{moderate_url}" name="action" value="{action}"', html)
    assert 'data-w-bulk-target="all"' in html  # select all, through Wagtail's controller
    assert 'class="w-status w-whitespace-nowrap"' in html


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


@pytest.mark.django_db
def test_bulk_approve_two_from_the_pending_queue(client, moderator, article):
    replies = ReaderReplyFactory.create_batch(3, page=article)
    response = client.post(
        f"{QUEUE}bulk/",
        {"action": "approve", "selected": [replies[0].pk, replies[1].pk], "next": QUEUE},
        follow=True,
    )
    assert "2 replies marked approved." in response.content.decode()
    assert [_status(r) for r in replies] == ["approved", "approved", "pending"]


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
    filters = html[html.index("changelist-filter") :]
    assert f"page={article.pk}" in filters
    assert f"page={faq_page.pk}" not in filters
    assert ">Root<" not in filters


@pytest.mark.django_db
def test_moderator_cannot_delete_replies_by_default(client, moderator, article):
    reply = ReaderReplyFactory(page=article)
    assert "/delete/" not in client.get(f"{QUEUE}edit/{reply.pk}/").content.decode()
    assert "/delete/" not in client.get(QUEUE).content.decode()
    response = client.post(f"{QUEUE}delete/{reply.pk}/")
    assert response.status_code in (302, 403)
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
    assert client.get("/admin/reports/overdue-medical-reviews/").status_code in (302, 403)
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
