"""The medical review workflow: sign-off through Wagtail's workflow admin views, review
records, review states, the report, the API and JSON-LD."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kratom_pages.evidence.review import ReviewState, review_states
from kratom_pages.models import ArticlePage, MedicalReviewTask, Reviewer, ReviewRecord
from tests.factories import ArticlePageFactory

CHECKLIST = {
    "claims_match_sources": "on",
    "evidence_levels_right": "on",
    "safety_information_current": "on",
    "disclaimer_present": "on",
}
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _user(django_user_model, name, *groups):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    user.groups.add(*groups)
    return user


def _body(text="Kratom acts on opioid receptors."):
    return streamfield([("paragraph", rich_text(text))])


def _form_data(page, text="Kratom acts on opioid receptors.", **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text("A lede."),
            "hero_image": "",
            "body": _body(text),
            "author_name": "",
            "published_date": "",
            "reviewed_by": "",
            "last_reviewed": "",
            "disclaimer_override": rich_text("Not medical advice."),
            "seo_title": "",
            "search_description": "",
            "allow_replies": "on",
            **extra,
        }
    )


def _draft(index_page, slug="under-review"):
    page = ArticlePageFactory.build(slug=slug, title=f"Page {slug}", live=False)
    index_page.add_child(instance=page)
    return page


def _submit(client, user, page, text="Kratom acts on opioid receptors."):
    """The editor presses "Submit to Medical review" in the page editor."""
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, {**_form_data(page, text), "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    return page.current_workflow_task_state


def _action_url(client, user, page, action) -> str:
    client.force_login(user)
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def _act(client, user, page, action, data=None, **extra):
    return client.post(_action_url(client, user, page, action), data or {}, **extra)


def _dialog(client, user, page, action="approve") -> str:
    """The HTML of the action's dialog, as the reviewer's browser opens it."""
    return client.get(_action_url(client, user, page, action), **XHR).json()["html"]


def _approve(client, user, page, note=""):
    response = _act(client, user, page, "approve", {**CHECKLIST, "note": note}, **XHR)
    assert response.json()["step"] == "success", response.json().get("html", "")[:3000]
    page.refresh_from_db()
    return page


def _reviewed_page(client, index_page, editor, reviewer_user, slug="under-review"):
    page = _draft(index_page, slug)
    _submit(client, editor, page)
    return ArticlePage.objects.get(pk=_approve(client, reviewer_user, page).pk)


# --- going live ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_under_the_workflow_cannot_go_live_without_approval(
    client, index_page, review_workflow, editor, superuser
):
    page = _draft(index_page)
    task_state = _submit(client, editor, page)
    assert isinstance(task_state.task.specific, MedicalReviewTask)
    assert not page.live

    # Not even someone allowed to publish skips the review by pressing Publish.
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, {**_form_data(page), "action-publish": "publish"})
    assert response.status_code == 200
    assert "goes live only through its medical review workflow" in response.content.decode()
    page.refresh_from_db()
    assert not page.live
    assert not ReviewRecord.objects.exists()


@pytest.mark.django_db
def test_approval_publishes_sets_the_review_fields_and_stores_the_record(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _draft(index_page)
    task_state = _submit(client, editor, page)
    submitted_revision = page.latest_revision_id
    _approve(client, reviewer_user, page, note="Checked against NIDA.")

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert page.reviewed_by.name == "Dr Rev"
    assert page.last_reviewed == timezone.localdate()
    record = ReviewRecord.objects.get()
    assert record.outcome == ReviewRecord.Outcome.APPROVED
    assert record.revision_id == submitted_revision == page.live_revision_id
    assert record.reviewer.name == "Dr Rev" and record.user == reviewer_user
    assert record.claims_match_sources and record.disclaimer_present
    assert record.note == "Checked against NIDA."
    task_state.refresh_from_db()
    assert task_state.status == "approved"
    assert review_states([page])[page.pk] == ReviewState.REVIEWED


@pytest.mark.django_db
def test_approval_needs_every_checklist_item(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _draft(index_page)
    _submit(client, editor, page)
    data = {**CHECKLIST, "note": ""}
    del data["safety_information_current"]
    response = _act(client, reviewer_user, page, "approve", data, **XHR)
    assert response.status_code == 200
    assert "Confirm the safety information is current." in response.json()["html"]
    page.refresh_from_db()
    assert not page.live and not ReviewRecord.objects.exists()


@pytest.mark.django_db
def test_review_fields_are_read_only_under_the_workflow_only(
    client, index_page, review_workflow, editor, reviewer_user, article
):
    page = _reviewed_page(client, index_page, editor, reviewer_user)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Set by the medical review workflow" in html
    assert "Medical review history" in html and "Dr Rev, PharmD" in html

    # Typing a date into the form changes nothing: only the task sets it.
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(url, _form_data(page, last_reviewed="2001-01-01"))
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().last_reviewed == (
        timezone.localdate()
    )

    # A page outside the workflow keeps editable fields.
    WorkflowPage.objects.all().delete()
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "Set by the medical review workflow" not in html


# --- rejection -----------------------------------------------------------------------


@pytest.mark.django_db
def test_rejection_needs_a_note(client, index_page, review_workflow, editor, reviewer_user):
    page = _draft(index_page)
    _submit(client, editor, page)
    response = _act(client, reviewer_user, page, "reject", {"note": ""}, **XHR)
    assert "Tell the editor what needs to change." in response.json()["html"]
    assert page.current_workflow_task_state.status == "in_progress"


@pytest.mark.django_db
def test_rejection_keeps_the_page_unpublished_with_the_note_visible(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _draft(index_page)
    _submit(client, editor, page)
    note = "The dosage claim in section 2 is not in the cited source."
    response = _act(client, reviewer_user, page, "reject", {"note": note})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    record = ReviewRecord.objects.get()
    assert record.outcome == ReviewRecord.Outcome.REJECTED and record.note == note

    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "The dosage claim in section 2 is not in the cited source." in html


# --- separation of duties -------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_of_the_revision_cannot_approve_its_review(
    client, index_page, review_workflow, reviewer_user
):
    page = _draft(index_page)
    _submit(client, reviewer_user, page)  # the reviewer wrote this revision

    dialog = _dialog(client, reviewer_user, page)
    assert "You wrote the revision under review" in dialog
    assert 'name="claims_match_sources"' not in dialog  # no sign-off form to fill

    response = _act(client, reviewer_user, page, "approve", {**CHECKLIST}, **XHR)
    assert response.status_code == 403
    page.refresh_from_db()
    assert not page.live and not ReviewRecord.objects.exists()


@pytest.mark.django_db
def test_self_approval_is_allowed_when_the_setting_says_so(
    client, settings, index_page, review_workflow, reviewer_user
):
    settings.KRATOM_PAGES = {"REVIEW_ALLOW_SELF_APPROVAL": True}
    page = _draft(index_page)
    _submit(client, reviewer_user, page)
    _approve(client, reviewer_user, page)
    assert page.live and ReviewRecord.objects.get().user == reviewer_user


@pytest.mark.django_db
def test_a_reviewer_group_member_without_a_reviewer_profile_cannot_sign_off(
    client, django_user_model, index_page, review_workflow, reviewers_group, editor
):
    nobody = _user(django_user_model, "noprofile", reviewers_group)
    page = _draft(index_page)
    _submit(client, editor, page)
    assert "not linked to a reviewer profile" in _dialog(client, nobody, page)
    response = _act(client, nobody, page, "approve", {**CHECKLIST})
    assert response.status_code == 302  # Wagtail's "no permission" redirect, not a 500
    page.refresh_from_db()
    assert not page.live and not ReviewRecord.objects.exists()


def test_the_self_approval_setting_is_checked(settings):
    from kratom_pages.checks import check_settings

    settings.KRATOM_PAGES = {"REVIEW_ALLOW_SELF_APPROVAL": "yes"}
    assert "kratom_pages.E060" in [error.id for error in check_settings(None)]


# --- after the review ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_change_after_review_flips_the_state(
    client, index_page, review_workflow, editor, reviewer_user, superuser
):
    page = _reviewed_page(client, index_page, editor, reviewer_user)
    # A change outside the body keeps the review.
    page.seo_title = "Better title"
    page.save_revision().publish()
    page = ArticlePage.objects.get(pk=page.pk)
    assert review_states([page])[page.pk] == ReviewState.REVIEWED

    page.body = [{"type": "paragraph", "value": "<p>Kratom cures everything.</p>"}]
    page.save_revision().publish()  # published outside the workflow, e.g. from a script
    page = ArticlePage.objects.get(pk=page.pk)
    assert review_states([page])[page.pk] == ReviewState.CHANGED

    _submit(client, editor, page, text="Kratom cures nothing.")
    page = ArticlePage.objects.get(pk=page.pk)
    assert review_states([page])[page.pk] == ReviewState.IN_PROGRESS


@pytest.mark.django_db
def test_fast_approval_of_a_correction_keeps_the_review_date(
    client, index_page, review_workflow, editor, reviewer_user, second_reviewer
):
    page = _reviewed_page(client, index_page, editor, reviewer_user)
    reviewed_on = datetime.date(2025, 6, 1)
    ReviewRecord.objects.update(reviewed_on=reviewed_on)

    _submit(client, editor, page, text="Kratom acts on opioid receptors (typo fixed).")
    response = _act(client, second_reviewer, page, "fast_approve", {"note": "Typo."})
    assert response.status_code == 302

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and "typo fixed" in page.body[0].value.source
    assert page.last_reviewed == reviewed_on
    assert page.reviewed_by.name == "Dr Rev"
    correction = ReviewRecord.objects.first()
    assert correction.outcome == ReviewRecord.Outcome.FAST_APPROVED
    assert correction.revision_id == page.live_revision_id
    assert correction.reviewer.name == "Dr Two"
    assert review_states([page], today=datetime.date(2025, 7, 1))[page.pk] == (ReviewState.REVIEWED)

    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["review"]["reviewed_at"] == "2025-06-01"
    assert data["review"]["covers_live_content"] is True
    assert data["review"]["reviewer"]["name"] == "Dr Rev"


@pytest.mark.django_db
def test_fast_approval_needs_an_earlier_approval(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _draft(index_page)
    _submit(client, editor, page)
    response = _act(client, reviewer_user, page, "fast_approve", {"note": ""})
    assert response.status_code == 302  # not offered before a first full review
    page.refresh_from_db()
    assert not page.live


# --- API and JSON-LD -----------------------------------------------------------------


def _v3(client, page):
    return client.get(f"/api/v3/pages/{page.pk}/").json()


@pytest.mark.django_db
def test_api_and_json_ld_report_the_review_only_while_it_covers_the_live_content(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _reviewed_page(client, index_page, editor, reviewer_user)
    client.logout()
    today = timezone.localdate().isoformat()
    expected = {
        "reviewer": {"name": "Dr Rev", "credentials": "PharmD", "profile_url": ""},
        "reviewed_at": today,
        "revision_id": page.live_revision_id,
        "covers_live_content": True,
    }
    v2 = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert v2["review"] == expected
    assert _v3(client, page)["review"] == expected
    node = v2["structured_data"]["@graph"][0]
    assert node["lastReviewed"] == today
    assert node["reviewedBy"]["name"] == "Dr Rev"
    assert "Medically reviewed by Dr Rev" in client.get(page.url).content.decode()

    page.body = [{"type": "paragraph", "value": "<p>Unreviewed claim.</p>"}]
    page.save_revision().publish()
    v2 = client.get(f"/api/v2/pages/{page.pk}/").json()  # the cache was invalidated
    assert v2["review"]["covers_live_content"] is False
    assert v2["review"]["revision_id"] == expected["revision_id"]
    assert _v3(client, page)["review"]["covers_live_content"] is False
    node = v2["structured_data"]["@graph"][0]
    assert "lastReviewed" not in node and "reviewedBy" not in node
    html = client.get(page.url).content.decode()
    assert '"lastReviewed"' not in html
    assert "Medically reviewed by" not in html  # the byline follows the same rule


@pytest.mark.django_db
def test_pages_outside_the_workflow_keep_their_typed_review(client, article):
    reviewer = Reviewer.objects.create(name="Dr Legacy", credentials="MD")
    article.reviewed_by = reviewer
    article.last_reviewed = datetime.date(2026, 1, 15)
    article.save_revision().publish()
    data = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert data["review"] is None
    node = data["structured_data"]["@graph"][0]
    assert node["lastReviewed"] == "2026-01-15" and node["reviewedBy"]["name"] == "Dr Legacy"


@pytest.mark.django_db
def test_a_new_review_record_invalidates_the_cached_api_response(
    client, index_page, review_workflow, editor, reviewer_user
):
    page = _reviewed_page(client, index_page, editor, reviewer_user)
    client.logout()
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["review"]["covers_live_content"]
    record = ReviewRecord.objects.get()
    ReviewRecord.objects.create(
        page=page,
        revision=None,
        revision_number=999,
        reviewer=record.reviewer,
        outcome=ReviewRecord.Outcome.APPROVED,
        reviewed_on=datetime.date(2026, 2, 2),
        body_fingerprint=record.body_fingerprint,
    )
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["review"]["revision_id"] == 999


@pytest.mark.django_db
def test_the_review_costs_no_query_per_page_in_listings(
    client, index_page, review_workflow, editor, reviewer_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(6):
        _reviewed_page(client, index_page, editor, reviewer_user, slug=f"p{n}")
    client.logout()
    url = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=review,structured_data&limit={}"
    counts = []
    for limit in (2, 6):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(limit), HTTP_CACHE_CONTROL="no-cache")
        assert all(item["review"]["covers_live_content"] for item in response.json()["items"])
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- report --------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_shows_states_filters_and_exports_csv(
    client, superuser, index_page, review_workflow, editor, reviewer_user, faq_page
):
    reviewed = _reviewed_page(client, index_page, editor, reviewer_user, slug="reviewed")
    changed = _reviewed_page(client, index_page, editor, reviewer_user, slug="changed")
    changed.title = "Changed page"
    changed.body = [{"type": "paragraph", "value": "<p>New claim.</p>"}]
    changed.save_revision().publish()
    waiting = _draft(index_page, "waiting")
    waiting.title = "Waiting page"
    waiting.save()
    _submit(client, editor, waiting)
    # faq_page (outside any review) was never reviewed.
    admin_client = Client()
    admin_client.force_login(superuser)

    url = reverse("kratom_pages_overdue_reviews")
    html = admin_client.get(url).content.decode()
    assert "Changed page" in html and "Waiting page" in html and faq_page.title in html
    assert f">{reviewed.title}<" not in html
    assert "Changed since review" in html and "Review in progress" in html

    html = admin_client.get(url, {"state": "changed_since_review"}).content.decode()
    assert "Changed page" in html and faq_page.title not in html

    reviewer = Reviewer.objects.get(name="Dr Rev")
    html = admin_client.get(url, {"reviewer": reviewer.pk}).content.decode()
    assert "Changed page" in html and faq_page.title not in html

    faq_type = faq_page.content_type_id
    html = admin_client.get(url, {"content_type": faq_type}).content.decode()
    assert faq_page.title in html and "Changed page" not in html

    export = admin_client.get(url, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    by_title = {row["Title"]: row for row in rows}
    assert by_title["Changed page"]["Review state"] == "Changed since review"
    assert by_title["Changed page"]["Reviewer"] == "Dr Rev, PharmD"
    assert by_title[faq_page.title]["Review state"] == "Never reviewed"

    dashboard = " ".join(admin_client.get("/admin/").content.decode().split())
    assert "Changed since review</a>: <span data-count>1</span>" in dashboard
    assert "Review in progress</a>: <span data-count>1</span>" in dashboard


@pytest.mark.django_db
def test_review_records_are_read_only_in_the_admin(
    client, superuser, index_page, review_workflow, editor, reviewer_user
):
    _reviewed_page(client, index_page, editor, reviewer_user)
    admin_client = Client()
    admin_client.force_login(superuser)
    record = ReviewRecord.objects.get()
    index = admin_client.get("/admin/kratom_pages/reviewrecord/")
    assert index.status_code == 200 and "Dr Rev" in index.content.decode()
    inspect = admin_client.get(f"/admin/kratom_pages/reviewrecord/inspect/{record.pk}/")
    assert inspect.status_code == 200
    assert admin_client.get(f"/admin/kratom_pages/reviewrecord/edit/{record.pk}/").status_code in (
        302,
        403,
    )
    assert admin_client.get("/admin/kratom_pages/reviewrecord/create/").status_code in (302, 403)


@pytest.mark.django_db
def test_editors_are_emailed_when_the_setting_is_on(
    client,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
    index_page,
    review_workflow,
    editor,
    reviewer_user,
):
    settings.KRATOM_PAGES = {"REVIEW_NOTIFY_EDITORS": True}
    page = _draft(index_page)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, editor, page)
        _approve(client, reviewer_user, page)
    subjects = [message.subject for message in mailoutbox if message.to == ["editor@example.com"]]
    assert any("Medical review requested" in s for s in subjects)
    assert any("Medical review approved" in s for s in subjects)


@pytest.mark.django_db
def test_a_reviewer_can_approve_from_the_page_editor(
    client, index_page, review_workflow, editor, reviewer_user
):
    import json

    page = _draft(index_page)
    _submit(client, editor, page)
    client.force_login(reviewer_user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    extra = dict.fromkeys(CHECKLIST, True) | {"note": "From the editor."}
    response = client.post(
        url,
        {
            **_form_data(page),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps(extra),
        },
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.reviewed_by.name == "Dr Rev"
    assert ReviewRecord.objects.get().revision_id == page.live_revision_id


@pytest.mark.django_db
def test_the_task_is_created_in_the_workflow_admin_like_core_tasks(admin_client, reviewers_group):
    types = admin_client.get(reverse("wagtailadmin_workflows:select_task_type"))
    assert "Medical review task" in types.content.decode()
    url = reverse("wagtailadmin_workflows:add_task", args=["kratom_pages", "medicalreviewtask"])
    response = admin_client.post(
        url, {"name": "Clinician sign-off", "groups": [reviewers_group.pk]}
    )
    assert response.status_code == 302
    task = MedicalReviewTask.objects.get(name="Clinician sign-off")
    assert list(task.groups.all()) == [reviewers_group]


# --- every admin route that publishes ------------------------------------------------


@pytest.mark.django_db
def test_the_editor_offers_submit_not_publish_under_the_workflow(
    admin_client, index_page, review_workflow
):
    page = _draft(index_page)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    add_url = reverse("wagtailadmin_pages:add", args=["kratom_pages", "articlepage", index_page.pk])
    assert 'name="action-publish"' not in admin_client.get(add_url).content.decode()


@pytest.mark.django_db
def test_the_editor_offers_publish_outside_the_workflow(admin_client, article):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' in html


@pytest.mark.django_db
def test_bulk_publish_refuses_pages_under_the_workflow_and_publishes_none(
    admin_client, root_page, index_page, review_workflow
):
    under_review = _draft(index_page)
    elsewhere = ArticlePageFactory.build(slug="elsewhere", title="Elsewhere", live=False)
    root_page.add_child(instance=elsewhere)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    explorer = reverse("wagtailadmin_explore", args=[index_page.pk])
    query = f"?id={under_review.pk}&id={elsewhere.pk}&next={explorer}"
    # Refused before Wagtail's "Are you sure?": the editor is not asked to confirm first.
    asked = admin_client.get(url + query)
    assert asked.status_code == 302 and asked["Location"] == explorer
    response = admin_client.get(url + query, follow=True)
    assert "Are you sure" not in response.content.decode()
    assert "goes live only through its medical review workflow" in response.content.decode()
    assert "Nothing was published" in response.content.decode()
    # And a POST made anyway is refused the same way.
    admin_client.post(url + query, {}, follow=True)
    assert not ArticlePage.objects.get(pk=under_review.pk).live
    assert not ArticlePage.objects.get(pk=elsewhere.pk).live  # nothing half-done

    # Outside the workflow the bulk action still works.
    admin_client.post(f"{url}?id={elsewhere.pk}", {})
    assert ArticlePage.objects.get(pk=elsewhere.pk).live


@pytest.mark.django_db
def test_copying_with_publish_copies_into_the_workflow_is_refused(
    admin_client, root_page, index_page, review_workflow
):
    source = ArticlePageFactory.build(slug="source-page", title="Source page")
    root_page.add_child(instance=source)
    url = reverse("wagtailadmin_pages:copy", args=[source.pk])
    data = {
        "new_title": "Copy",
        "new_slug": "copy",
        "new_parent_page": index_page.pk,
        "publish_copies": "on",
    }
    response = admin_client.post(url, data, follow=True)
    assert "go live only through its medical review workflow" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="copy").exists()

    # Without "Publish copies" the copy is made, as a draft to submit.
    admin_client.post(url, {**data, "publish_copies": ""})
    assert ArticlePage.objects.get(slug="copy").live is False


@pytest.mark.django_db
def test_approval_runs_the_publish_checks(
    client, settings, index_page, review_workflow, editor, reviewer_user
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "PUBLISH_CHECKS": True}
    page = _draft(index_page)
    _submit(client, editor, page)
    # The submitted revision has no disclaimer and no site default exists.
    revision = page.get_latest_revision()
    revision.content["disclaimer_override"] = ""
    revision.save(update_fields=["content"])

    dialog = _dialog(client, reviewer_user, page)
    # Said to the reviewer (who may not edit), with the way to send the page back.
    assert "You cannot sign this page off yet" in dialog
    assert "The page shows no medical disclaimer." in dialog
    assert 'name="claims_match_sources"' not in dialog
    assert "Request changes instead" in dialog and "data-kratom-send-back open" in dialog

    response = _act(client, reviewer_user, page, "approve", CHECKLIST, **XHR)
    assert response.status_code == 403
    page.refresh_from_db()
    assert not page.live
    assert not ReviewRecord.objects.exists()


@pytest.mark.django_db
def test_the_explorer_marks_pages_whose_review_needs_attention(
    client,
    admin_client,
    index_page,
    review_workflow,
    editor,
    reviewer_user,
    django_assert_max_num_queries,
):
    changed = _reviewed_page(client, index_page, editor, reviewer_user, slug="changed")
    changed.body = [{"type": "paragraph", "value": "<p>Kratom cures everything.</p>"}]
    changed.save_revision().publish()
    reviewed = _reviewed_page(client, index_page, editor, reviewer_user, slug="reviewed")
    waiting = _draft(index_page, slug="waiting")
    _submit(client, editor, waiting)

    url = reverse("wagtailadmin_explore", args=[index_page.pk])
    html = admin_client.get(url).content.decode()
    assert html.count('data-kratom-review-state="changed_since_review"') == 1
    assert html.count('data-kratom-review-state="review_in_progress"') == 1
    assert reverse("wagtailadmin_pages:edit", args=[changed.pk]) in html
    assert html.count("data-kratom-review-state=") == 2  # not the reviewed page
    assert reviewed.title in html

    # Rows ask one by one; the states cost the same for 3 rows as for 13.
    with django_assert_max_num_queries(1000) as few:
        admin_client.get(url)
    for number in range(10):
        _child_draft = ArticlePageFactory.build(slug=f"more-{number}", title=f"More {number}")
        index_page.add_child(instance=_child_draft)
    with django_assert_max_num_queries(1000) as many:
        html = admin_client.get(url).content.decode()
    review_queries = [q for q in many.captured_queries if "reviewrecord" in q["sql"].lower()]
    assert len(review_queries) == len(
        [q for q in few.captured_queries if "reviewrecord" in q["sql"].lower()]
    )
    assert html.count('data-kratom-review-state="never_reviewed"') == 10


@pytest.mark.django_db
def test_the_report_on_screen_says_what_its_csv_says(
    client, superuser, index_page, review_workflow, editor, reviewer_user, faq_page
):
    changed = _reviewed_page(client, index_page, editor, reviewer_user, slug="changed")
    changed.title = "Changed page"
    changed.body = [{"type": "paragraph", "value": "<p>New claim.</p>"}]
    changed.save_revision().publish()
    admin_client = Client()
    admin_client.force_login(superuser)
    url = reverse("kratom_pages_overdue_reviews")
    for query in ({}, {"state": "changed_since_review"}):
        html = admin_client.get(url, query).content.decode()
        body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        on_screen = [
            [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
            ]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        ]
        export = admin_client.get(url, {**query, "export": "csv"})
        rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))
        in_csv = [
            [
                row["Title"],
                row["Type"],
                row["Review state"],
                row["Reviewer"] or "—",
                row["Last reviewed"] or "Never",
            ]
            for row in rows
        ]
        for screen_row, csv_row in zip(on_screen, in_csv, strict=True):
            # Dates are formatted for people on screen and ISO in the CSV.
            assert screen_row[:4] == csv_row[:4]
            assert (screen_row[4] == "Never") == (csv_row[4] == "Never")
    changed_row = next(row for row in on_screen if row[0] == "Changed page")
    assert changed_row[1:4] == ["Article page", "Changed since review", "Dr Rev, PharmD"]
