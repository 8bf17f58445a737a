"""Medical review (#18) in a real browser: an editor submits a health page to the demo's
medical review workflow, the demo reviewer approves it with the checklist, the page goes
live and the API names the reviewer for the live content."""

import datetime
import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.site_access import log_in, run_in_site, wait_for_autosave

pytestmark = pytest.mark.e2e

REVIEWER_NAME = "Demo Reviewer (fictional)"  # example_site/demo/content.py REVIEWER
CHECKLIST = (
    "Claims match their sources",
    "Evidence levels are right",
    "Safety information is current",
    "Disclaimer is present",
)


def _api_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _first_id(api: str, page_type: str) -> int:
    return _api_json(f"{api}/api/v2/pages/?type={page_type}")["items"][0]["id"]


def test_submitted_page_goes_live_once_the_reviewer_signs_off(servers, new_page, reviewer_password):
    api = servers["api"]
    page_id = _first_id(api, "kratom_pages.GuidelineListPage")
    detail_url = f"{api}/api/v2/pages/{page_id}/"
    before = _api_json(detail_url)
    new_author = f"{before['author_name']} (e2e review loop)"

    # 1. The editor changes the page; Publish is not offered as a way round the review.
    editor = new_page()
    log_in(editor, api, "admin", e2e.ADMIN_PASSWORD)
    editor.goto(f"{api}/admin/pages/{page_id}/edit/")
    editor.fill("#id_author_name", new_author)
    wait_for_autosave(editor)  # Submit pressed while autosave is in flight races it
    editor.get_by_role("button", name="More actions").click()
    submit = editor.locator("button[name='action-submit']")
    expect(submit).to_contain_text("Medical review")
    index_id = _first_id(api, "kratom_pages.KratomIndexPage")
    with editor.expect_navigation(url=f"{api}/admin/pages/{index_id}/"):
        submit.click()
    expect(editor.locator(".messages").first).to_contain_text("submitted for moderation")
    # Submitted is not live: readers still get the reviewed version.
    assert _api_json(detail_url)["author_name"] == before["author_name"]

    # 2. The reviewer opens the page and approves it with the checklist in the dialog.
    reviewer = new_page()
    log_in(reviewer, api, "reviewer", reviewer_password)
    reviewer.goto(f"{api}/admin/pages/{page_id}/edit/")
    expect(reviewer.locator("#id_author_name")).to_have_value(new_author)
    reviewer.get_by_role("button", name="More actions").click()
    approve = reviewer.locator("button[data-workflow-action-name='approve']")
    expect(approve).to_contain_text("Sign off and Publish")
    approve.click()
    dialog = reviewer.locator(".modal-dialog").last
    expect(dialog.get_by_text("You sign as")).to_contain_text(REVIEWER_NAME)
    # Nothing is signed off while an item of the checklist is unticked.
    for label in CHECKLIST[:3]:
        dialog.get_by_label(label).check()
    dialog.get_by_role("button", name="Sign off", exact=True).click()
    expect(dialog.get_by_text("Confirm the page shows a medical disclaimer.")).to_be_visible()
    for label in CHECKLIST:
        dialog.get_by_label(label).check()
    dialog.get_by_label("Note", exact=True).fill("Checked against the cited sources.")
    e2e.shot(reviewer, "review-1-approval-dialog")
    with reviewer.expect_navigation(url=f"{api}/admin/pages/{index_id}/"):
        dialog.get_by_role("button", name="Sign off", exact=True).click()
    e2e.shot(reviewer, "review-2-approved")

    # 3. The page is live with the edit, and the API names the reviewer of this content.
    after = _api_json(detail_url)
    assert after["author_name"] == new_author
    review = after["review"]
    assert review is not None, after
    assert review["covers_live_content"] is True
    assert review["reviewer"]["name"] == REVIEWER_NAME
    assert review["reviewed_at"] == datetime.datetime.now(datetime.UTC).date().isoformat()
    assert after["reviewed_by"]["name"] == REVIEWER_NAME
    assert after["last_reviewed"] == review["reviewed_at"]
    live_revision = run_in_site(
        api,
        f"from wagtail.models import Page; print(Page.objects.get(pk={page_id}).live_revision_id)",
    )
    assert review["revision_id"] == live_revision
