"""The medical review loop as editors and reviewers live it (#30): submission runs the
checks its sign-off will run; a reviewer who cannot approve is told why, in words for a
reviewer, with each problem linked to its block and a way to send the page back; the
reviewer's note reaches the editor where they work; each decision says what happened."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Site, WorkflowState

from kratom_pages.models import ArticlePage, HealthContentSettings, ReviewRecord
from tests.factories import SourceFactory
from tests.test_medical_review import XHR, _dialog, _draft
from tests.test_publish_check_errors import _body, _claim, _claim_errors


@pytest.fixture
def checked(settings):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "PUBLISH_CHECKS": True}
    HealthContentSettings.objects.create(
        site=Site.objects.get(is_default_site=True), default_disclaimer="<p>Not advice.</p>"
    )


def _submit_body(client, user, page, body):
    from tests.test_evidence import _article_form_data

    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, {**_article_form_data(page, body), "action-submit": "submit"})


@pytest.mark.django_db
def test_submitting_an_unsourced_claim_is_refused_on_the_claim(
    client, checked, index_page, review_workflow, editor
):
    page = _draft(index_page)
    response = _submit_body(client, editor, page, _body(_claim("Bare")))
    assert response.status_code == 200  # the editor stays, with the errors
    html = response.content.decode()
    assert _claim_errors(html, 0)["citations"]["messages"] == [
        "Cite at least one source for this claim."
    ]
    assert "was not submitted for medical review" in html
    assert "Your changes are saved as a draft." in html and "could not be saved" not in html
    page.refresh_from_db()
    assert page.current_workflow_state is None  # no reviewer received it
    assert page.get_latest_revision_as_object().body[0].value["items"][0]["heading"] == "Bare"

    # Fixed, it goes to the reviewer.
    source = SourceFactory()
    response = _submit_body(client, editor, page, _body(_claim("Bare", citations=[source.pk])))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.django_db
def test_submitting_outside_the_checks_setting_is_not_held_up(
    client, index_page, review_workflow, editor
):
    page = _draft(index_page)
    response = _submit_body(client, editor, page, _body(_claim("Bare")))
    assert response.status_code == 302


def _submitted_with_unsourced_claim(client, editor, page):
    """A submission made before submissions ran the checks (or a source deleted since)."""
    source = SourceFactory()
    response = _submit_body(client, editor, page, _body(_claim("Energy", citations=[source.pk])))
    assert response.status_code == 302
    page.refresh_from_db()
    revision = page.get_latest_revision()
    body = json.loads(revision.content["body"])
    claim = body[0]["value"]["items"][0]
    claim.get("value", claim)["citations"] = []
    revision.content["body"] = json.dumps(body)
    revision.save(update_fields=["content"])
    return body[0]["id"]


@pytest.mark.django_db
def test_a_reviewer_who_cannot_approve_is_told_why_and_can_send_it_back(
    client, checked, index_page, review_workflow, editor, reviewer_user
):
    page = _draft(index_page)
    block_id = _submitted_with_unsourced_claim(client, editor, page)
    dialog = _dialog(client, reviewer_user, page)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert f'href="{edit_url}#block-{block_id}-section"' in dialog
    assert "Numbered section 1 (“Energy”) cites no source." in dialog
    assert "Cite at least one from the sources library" not in dialog  # the editor's words
    # The note to the editor is written already; sending it back takes one click.
    assert "- Numbered section 1 (“Energy”) cites no source." in dialog
    send_back = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "reject", page.current_workflow_task_state.pk],
    )
    assert f'action="{send_back}"' in dialog
    response = client.post(send_back, {"note": "Cite the trial for section 1."}, **XHR)
    assert response.json()["step"] == "success"
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert ReviewRecord.objects.get().note == "Cite the trial for section 1."


@pytest.mark.django_db
def test_the_sign_off_dialog_always_offers_to_request_changes(
    client, index_page, review_workflow, editor, reviewer_user
):
    from tests.test_medical_review import _submit

    page = _draft(index_page)
    _submit(client, editor, page)
    dialog = _dialog(client, reviewer_user, page)
    assert 'name="claims_match_sources"' in dialog  # nothing stops the approval
    assert "Request changes instead" in dialog and "data-kratom-send-back open" not in dialog


def _decide_in_editor(client, user, page, action, **extra):
    """The reviewer decides from the page editor's action menu (Wagtail posts the edit
    form with the dialog's data)."""
    from tests.test_medical_review import _form_data

    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(
        url,
        {
            **_form_data(page),
            "action-workflow-action": "true",
            "workflow-action-name": action,
            "workflow-action-extra-data": json.dumps(extra),
        },
        follow=True,
    )


@pytest.mark.django_db
def test_the_editor_hears_the_reviewer_where_they_work(
    client, index_page, review_workflow, editor, reviewer_user
):
    from tests.test_medical_review import _submit

    page = _draft(index_page)
    _submit(client, editor, page)
    response = _decide_in_editor(client, reviewer_user, page, "reject", note="Cite NIDA here.")
    html = response.content.decode()
    assert "You asked for changes to" in html and "has been updated" not in html

    # The editor opens the page: the note is at the top of the editor.
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Dr Rev, PharmD asked for changes on" in html and "“Cite NIDA here.”" in html
    # And on their dashboard, with a link to the page.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Changes requested by medical review" in dashboard
    assert "Cite NIDA here." in dashboard
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in dashboard
    # Once resubmitted, the request is answered: neither shows it any more.
    _submit(client, editor, page)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "asked for changes" not in html
    assert (
        "Changes requested by medical review"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


@pytest.mark.django_db
def test_each_decision_in_the_editor_says_what_happened(
    client, index_page, review_workflow, editor, reviewer_user, second_reviewer
):
    from tests.test_medical_review import CHECKLIST, _submit

    page = _draft(index_page)
    _submit(client, editor, page)
    checklist = dict.fromkeys(CHECKLIST, True)
    html = _decide_in_editor(client, reviewer_user, page, "approve", **checklist).content.decode()
    assert "as its medical reviewer. It is live." in html and "has been updated" not in html

    page.refresh_from_db()
    page.title = "Typo fixed"
    page.save_revision(user=editor)
    _submit(client, editor, ArticlePage.objects.get(pk=page.pk))
    html = _decide_in_editor(client, second_reviewer, page, "fast_approve", note="Typo.").content
    assert "You approved the correction to" in html.decode()


def _claims(client, page) -> dict:
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    graph = data["structured_data"]["@graph"]
    article = next(node for node in graph if "MedicalWebPage" in node.get("@type", []))
    byline = client.get(page.url).content.decode()
    return {
        "reviewed_by": (data["reviewed_by"] or {}).get("name"),
        "last_reviewed": data["last_reviewed"],
        "json_ld": article.get("reviewedBy", {}).get("name") if "reviewedBy" in article else None,
        "byline": "Medically reviewed by" in byline,
    }


@pytest.mark.django_db
def test_under_the_workflow_only_a_review_record_may_claim_a_review(
    client, index_page, review_workflow, editor, reviewer_user
):
    """Typed reviewer fields on a page under the medical review workflow claim nothing:
    the demo's pages once said "Medically reviewed by" with no review behind them."""
    import datetime

    from kratom_pages.models import Reviewer
    from tests.conftest import publish
    from tests.test_medical_review import _approve, _submit

    typed = Reviewer.objects.create(name="Typed In", credentials="MD")
    page = _draft(index_page, "typed")
    page.reviewed_by, page.last_reviewed = typed, datetime.date(2026, 1, 5)
    publish(page)  # as a script or a fixture would, around the workflow
    assert _claims(client, page) == {
        "reviewed_by": None,
        "last_reviewed": None,
        "json_ld": None,
        "byline": False,
    }
    _submit(client, editor, page)
    _approve(client, reviewer_user, page)
    client.logout()
    claims = _claims(client, page)
    assert claims["reviewed_by"] == claims["json_ld"] == "Dr Rev"
    assert claims["byline"] and claims["last_reviewed"] is not None


@pytest.mark.django_db
def test_outside_the_workflow_typed_reviewer_fields_still_speak(client, index_page):
    import datetime

    from kratom_pages.models import Reviewer
    from tests.conftest import publish

    page = _draft(index_page, "typed")
    page.reviewed_by = Reviewer.objects.create(name="Typed In", credentials="MD")
    page.last_reviewed = datetime.date(2026, 1, 5)
    publish(page)
    assert _claims(client, page) == {
        "reviewed_by": "Typed In",
        "last_reviewed": "2026-01-05",
        "json_ld": "Typed In",
        "byline": True,
    }


@pytest.mark.django_db
def test_assigning_the_workflow_to_a_section_withdraws_typed_claims_at_once(
    client, index_page, reviewers_group, run_on_commit
):
    import datetime

    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from kratom_pages.models import MedicalReviewTask, Reviewer
    from tests.conftest import publish

    page = _draft(index_page, "typed")
    page.reviewed_by = Reviewer.objects.create(name="Typed In", credentials="MD")
    page.last_reviewed = datetime.date(2026, 1, 5)
    publish(page)
    assert _claims(client, page)["reviewed_by"] == "Typed In"  # and now cached

    def assign():
        workflow = Workflow.objects.create(name="Medical review")
        task = MedicalReviewTask.objects.create(name="Sign-off")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=index_page)

    run_on_commit(assign)
    assert _claims(client, page)["reviewed_by"] is None


@pytest.mark.django_db
def test_publishing_an_faq_copied_from_the_faq_page_warns_the_editor(
    admin_client, index_page, faq_page
):
    from wagtail.test.utils.form_data import rich_text, streamfield

    from tests.factories import ArticlePageFactory
    from tests.test_evidence import _article_form_data

    page = ArticlePageFactory.build(slug="copied-faq", live=False)
    index_page.add_child(instance=page)
    question = faq_page.body[0].value["items"][0]["question"]
    body = [
        (
            "faq",
            {
                "heading": "Questions",
                "items": streamfield(
                    [
                        (
                            "item",
                            {
                                "question": question,
                                "answer": rich_text("A."),
                                "citations": streamfield([]),
                            },
                        )
                    ]
                ),
            },
        )
    ]
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = admin_client.post(
        url, {**_article_form_data(page, body), "action-publish": "publish"}, follow=True
    )
    html = response.content.decode()
    assert ArticlePage.objects.get(pk=page.pk).live  # a warning, not a refusal
    assert "The FAQ repeats a question the site&#x27;s FAQ page answers" in html
    assert question in html


@pytest.fixture
def api_token(superuser):
    from wagtail.models import APIToken

    _token, raw = APIToken.create_token(user=superuser, name="automation")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_api_v3_actions_cannot_put_a_page_live_around_its_review(
    client, index_page, root_page, review_workflow, api_token
):
    """Even a superuser's token: v3's publish, create-and-publish, copy keeping it live and
    alias actions are refused under the medical review workflow, and work outside it."""
    from tests.factories import ArticlePageFactory

    draft = _draft(index_page, "api-draft")
    draft.save_revision()
    response = client.post(f"/api/v3/pages/{draft.pk}/actions/publish/", **api_token)
    assert response.status_code == 403, response.content
    assert "medical review workflow" in response.json()["detail"]
    assert not ArticlePage.objects.get(pk=draft.pk).live

    outside = ArticlePageFactory.build(slug="outside", title="Outside")
    root_page.add_child(instance=outside)
    from tests.conftest import publish

    publish(outside)
    copied = client.post(
        f"/api/v3/pages/{outside.pk}/actions/copy/",
        json.dumps({"destination_page_id": index_page.pk, "slug": "copied", "keep_live": True}),
        content_type="application/json",
        **api_token,
    )
    assert copied.status_code == 403, copied.content
    alias = client.post(
        f"/api/v3/pages/{outside.pk}/actions/create_alias/",
        json.dumps({"destination_page_id": index_page.pk, "slug": "aliased"}),
        content_type="application/json",
        **api_token,
    )
    assert alias.status_code == 403, alias.content
    assert not ArticlePage.objects.filter(slug__in=["copied", "aliased"]).exists()
    # Outside the workflow the same actions work.
    outside_draft = ArticlePageFactory.build(slug="outside-draft", live=False)
    root_page.add_child(instance=outside_draft)
    outside_draft.save_revision()
    response = client.post(f"/api/v3/pages/{outside_draft.pk}/actions/publish/", **api_token)
    assert response.status_code == 200, response.content
    assert ArticlePage.objects.get(pk=outside_draft.pk).live


@pytest.mark.django_db
def test_a_scheduled_page_goes_live_with_the_review_it_was_approved_with(
    client, index_page, review_workflow, editor, reviewer_user
):
    """Scheduling goes through the review too: the approved revision is the one
    publish_scheduled puts live, and its review record covers it then."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Revision

    from tests.test_medical_review import _approve, _form_data

    page = _draft(index_page, "scheduled")
    client.force_login(editor)
    later = timezone.now() + timedelta(hours=1)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = {
        **_form_data(page),
        "go_live_at": later.strftime("%Y-%m-%d %H:%M"),
        "action-submit": "1",
    }
    assert client.post(url, data).status_code == 302
    page.refresh_from_db()
    _approve(client, reviewer_user, page)
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its time
    due = timezone.now() - timedelta(seconds=1)
    for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = due.isoformat()
        revision.approved_go_live_at = due
        revision.save()
    call_command("publish_scheduled")
    client.logout()
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["review"]["covers_live_content"] is True
    assert data["reviewed_by"]["name"] == "Dr Rev"


@pytest.mark.django_db
def test_the_reviewers_actions_say_what_they_do_in_a_few_words(
    client, index_page, review_workflow, editor, reviewer_user, second_reviewer
):
    from tests.test_medical_review import _approve, _submit

    page = _draft(index_page)
    _submit(client, editor, page)
    client.force_login(reviewer_user)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.get(edit).content.decode()
    assert "Sign off and Publish" in html and "Approve with medical sign-off" not in html
    _approve(client, reviewer_user, page)
    page.refresh_from_db()
    page.title = "Corrected"
    page.save_revision(user=editor)
    _submit(client, editor, ArticlePage.objects.get(pk=page.pk))
    client.force_login(second_reviewer)
    html = client.get(edit).content.decode()
    assert "Approve correction and Publish (keeps review date)" in html


@pytest.mark.django_db
def test_each_claim_offers_to_cite_a_source_in_one_click(admin_client, article):
    """The button itself is drawn by cite-in-one-click.js (tests/e2e clicks it): the
    editor loads the script and gives every citation list its translated label."""
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    html = html.decode()
    assert "kratom_pages/js/cite-in-one-click.js" in html
    assert "kp-citations" in html and "data-kp-cite-label" in html
    assert "Cite a source" in html
