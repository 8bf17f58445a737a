"""The medical review loop (#30) in a real browser, through the demo's workflow: an editor
submits an article with an unsourced claim and is refused on the claim; cites a source in
one click and submits; the reviewer requests changes; the editor reads the note at the top
of the editor; fixes and submits; the reviewer signs off; the page is live with a record.
Then the review report says on screen what its CSV says, and bulk Publish refuses pages
under the workflow without asking first."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.site_access import (
    insert_block,
    log_in,
    run_in_site,
    type_rich_text,
    wait_for_autosave,
)
from tests.e2e.test_headless_story import _api_json, _choose_in_modal
from tests.e2e.test_review_loop import CHECKLIST, REVIEWER_NAME

pytestmark = pytest.mark.e2e

TITLE = "E2E: the review loop"


def _submit(editor) -> None:
    wait_for_autosave(editor)
    editor.get_by_role("button", name="More actions").click()
    editor.locator("button[name='action-submit']").click()


def _workflow_action(reviewer, name: str):
    reviewer.get_by_role("button", name="More actions").click()
    reviewer.locator(f"button[data-workflow-action-name='{name}']").click()
    return reviewer.locator(".modal-dialog").filter(visible=True)


def test_the_review_loop_from_refusal_to_a_live_record(servers, new_page, reviewer_password):
    api = servers["api"]
    index_id = _api_json(f"{api}/api/v2/pages/?type=kratom_pages.KratomIndexPage")["items"][0]["id"]

    # 1. The editor writes an article with a claim that cites nothing, and submits it.
    editor = new_page()
    log_in(editor, api, "admin", e2e.ADMIN_PASSWORD)
    editor.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{index_id}/")
    editor.fill("#id_title", TITLE)
    insert_block(editor, "Numbered section list")
    editor.fill("#body-0-value-heading", "Claimed effects")
    editor.fill("#body-0-value-items-0-value-heading", "Better sleep")
    type_rich_text(editor, "body-0-value-items-0-value-body", "Reported in surveys only.")
    editor.select_option("#body-0-value-items-0-value-evidence_level", "anecdotal")
    # Saved first: a submission refused on the create view creates nothing to keep.
    wait_for_autosave(editor)
    editor.get_by_role("button", name="Save draft").click()
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(editor.locator(".messages").first).to_contain_text(TITLE)
    _submit(editor)
    # Refused on the claim, in one round; the draft is kept and the banner says so.
    expect(editor.locator(".messages").first).to_contain_text(
        "was not submitted for medical review"
    )
    claim_error = editor.locator("[data-contentpath='citations'] .error-message").first
    expect(claim_error).to_have_text("Cite at least one source for this claim.")
    e2e.shot(editor, "loop-1-submission-refused")
    page_id = int(re.search(r"/pages/(\d+)/edit/", editor.url).group(1))

    # 2. One click from the claim opens the sources chooser; then the page goes to review.
    citations = editor.locator("[data-contentpath='citations']").first
    citations.get_by_role("button", name="Cite a source").click()
    _choose_in_modal(editor, "Kratom (research topic)")
    expect(citations).to_contain_text("Kratom (research topic)")
    _submit(editor)
    expect(editor.locator(".messages").first).to_contain_text("submitted for moderation")

    # 3. The reviewer asks for changes, with a note.
    reviewer = new_page()
    log_in(reviewer, api, "reviewer", reviewer_password)
    reviewer.goto(f"{api}/admin/pages/{page_id}/edit/")
    dialog = _workflow_action(reviewer, "reject")
    dialog.get_by_label("What needs to change").fill("Say the surveys were self-selected.")
    dialog.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator(".messages").first).to_contain_text("You asked for changes to")

    # 4. The editor reads the note where they work: the top of the page editor.
    editor.goto(f"{api}/admin/pages/{page_id}/edit/")
    expect(editor.locator(".messages").first).to_contain_text("asked for changes on")
    expect(editor.locator(".messages").first).to_contain_text("Say the surveys were self-selected.")
    e2e.shot(editor, "loop-2-note-in-the-editor")
    editor.fill("#body-0-value-items-0-value-heading", "Better sleep (self-selected surveys)")
    _submit(editor)
    expect(editor.locator(".messages").first).to_contain_text("submitted for moderation")

    # 5. The reviewer signs off with the checklist: the page goes live with its record.
    reviewer.goto(f"{api}/admin/pages/{page_id}/edit/")
    dialog = _workflow_action(reviewer, "approve")
    for label in CHECKLIST:
        dialog.get_by_label(label).check()
    dialog.get_by_role("button", name="Sign off", exact=True).click()
    expect(reviewer.locator(".messages").first).to_contain_text("It is live.")
    detail = _api_json(f"{api}/api/v2/pages/{page_id}/")
    assert detail["review"]["covers_live_content"] is True
    assert detail["reviewed_by"]["name"] == REVIEWER_NAME

    # 6. The report on screen says what its CSV says.
    editor.goto(f"{api}/admin/reports/overdue-medical-reviews/")
    rows = editor.locator("table.listing tbody tr")
    on_screen = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()
    ]
    export = editor.request.get(f"{api}/admin/reports/overdue-medical-reviews/?export=csv")
    in_csv = list(csv.DictReader(io.StringIO(export.text())))
    assert [row[0] for row in on_screen] == [row["Title"] for row in in_csv]
    for screen_row, csv_row in zip(on_screen, in_csv, strict=True):
        assert screen_row[1:4] == [
            csv_row["Type"],
            csv_row["Review state"],
            csv_row["Reviewer"] or "—",
        ]

    # 7. Bulk Publish of a page under the workflow is refused before "Are you sure?".
    draft_id = run_in_site(
        api,
        "from kratom_pages.models import ArticlePage, KratomIndexPage; "
        "index = KratomIndexPage.objects.first(); "
        "p = index.add_child(instance=ArticlePage(title='E2E: bulk', slug='e2e-bulk', "
        "live=False)); "
        "p.save_revision(); print(p.pk)",
    )
    explorer = f"{api}/admin/pages/{index_id}/"
    editor.goto(explorer)
    editor.locator(f"input[data-bulk-action-checkbox][data-object-id='{draft_id}']").check()
    editor.get_by_role("link", name="Publish selected pages", exact=True).click()
    editor.wait_for_url(re.compile(re.escape(explorer)))
    expect(editor.locator(".messages").first).to_contain_text("Nothing was published")
    expect(editor.get_by_text("Are you sure")).to_have_count(0)
    e2e.shot(editor, "loop-3-bulk-publish-refused")
