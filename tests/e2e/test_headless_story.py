"""The headless story in a real browser: compose, preview, publish, read, reply, moderate."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_PASSWORD, MODERATOR_PASSWORD, shot
from tests.e2e.site_access import insert_block, type_rich_text, wait_for_autosave

pytestmark = pytest.mark.e2e

TITLE = "E2E: kratom and sleep"
SLUG = "e2e-kratom-and-sleep"


def _api_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _login(page, api, username, password):
    page.goto(f"{api}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{api}/admin/")


def _choose_in_modal(page, link_text):
    # The chooser's own modal, the one shown. Not "the last [role=dialog]": once autosave
    # has created the page, Wagtail adds the edit view's hidden dialogs (#set-privacy)
    # after it in the document, and the link would be looked for in one of those.
    modal = page.locator(".modal-dialog").filter(visible=True)
    link = modal.get_by_role("link", name=re.compile(re.escape(link_text))).first
    link.click()
    link.wait_for(state="hidden")  # the chooser closed: the choice is in the form


@pytest.fixture
def index_without_review_workflow(servers):
    """This story publishes directly; the demo index sits under the medical review
    workflow (its own browser test is test_review_loop.py), so it is lifted meanwhile."""
    from tests.e2e.site_access import run_in_site

    api = servers["api"]
    detach = (
        "import json; from wagtail.models import WorkflowPage; "
        "rows = list(WorkflowPage.objects.values_list('page_id', 'workflow_id')); "
        "WorkflowPage.objects.all().delete(); print(json.dumps(rows))"
    )
    rows = run_in_site(api, detach)
    yield
    restore = (
        "from wagtail.models import WorkflowPage\n"
        f"for p, w in {rows!r}:\n    WorkflowPage.objects.create(page_id=p, workflow_id=w)\n"
        "print('null')"
    )
    run_in_site(api, restore)


def test_editor_reader_and_moderator_story(servers, new_page, index_without_review_workflow):
    api, frontend = servers["api"], servers["frontend"]
    index_id = _api_json(f"{api}/api/v2/pages/?type=kratom_pages.KratomIndexPage")["items"][0]["id"]

    # 1. An editor composes an article in the real admin.
    editor = new_page()
    _login(editor, api, "admin", ADMIN_PASSWORD)
    editor.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{index_id}/")
    editor.fill("#id_title", TITLE)

    insert_block(editor, "Heading")
    editor.fill("#body-0-value-text", "What surveys report")

    insert_block(editor, "Numbered section list")
    editor.fill("#body-1-value-heading", "Claimed effects")
    editor.fill("#body-1-value-items-0-value-heading", "Better sleep")
    type_rich_text(editor, "body-1-value-items-0-value-body", "Reported in surveys only.")
    editor.select_option("#body-1-value-items-0-value-evidence_level", "anecdotal")
    citations = editor.locator("[data-contentpath='citations']").first
    citations.get_by_role("button", name="Cite a source").click()  # opens the chooser
    _choose_in_modal(editor, "Kratom (research topic)")

    insert_block(editor, "FAQ list")
    editor.fill("#body-2-value-items-0-value-question", "Does kratom help sleep?")
    type_rich_text(editor, "body-2-value-items-0-value-answer", "There is no trial evidence.")

    # The hero image field has a "Choose an image" button too: wait for the new block's
    # own button before clicking, or a slow render sends the image to the hero.
    choose_image = editor.get_by_role("button", name="Choose an image")
    insert_block(editor, "Image")
    expect(choose_image).to_have_count(2)
    choose_image.last.click()
    _choose_in_modal(editor, "Kratom leaves")
    expect(editor.get_by_role("button", name="Choose an image")).to_have_count(1)

    wait_for_autosave(editor)
    editor.get_by_role("button", name="Save draft").click()
    # The page the save leads to (autosave has usually moved the address to the edit URL
    # already, so a URL wait alone would return on the page being left).
    saved = re.compile(rf"Page '{re.escape(TITLE)}' (created|has been updated)")
    expect(editor.locator(".messages").first).to_contain_text(saved)
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page_id = int(re.search(r"/pages/(\d+)/edit/", editor.url).group(1))
    shot(editor, "1-editor-saved-draft")

    # 4. A visitor without the preview token cannot see the draft.
    visitor = new_page()
    visitor.goto(f"{frontend}/{SLUG}/")
    visitor.wait_for_selector(".error")
    assert "Page not found" in visitor.inner_text("main")
    visitor.goto(f"{frontend}/preview/?content_type=kratom_pages.articlepage&token=forged")
    visitor.wait_for_selector(".error")
    assert TITLE not in visitor.inner_text("main")
    shot(visitor, "4-visitor-without-token")

    # 1 (cont.). Preview opens the draft in the frontend, then the editor publishes.
    preview_url = f"{frontend}/preview"
    with editor.expect_event(
        "framenavigated", predicate=lambda f: f.url.startswith(preview_url), timeout=60_000
    ) as navigated:
        editor.get_by_role("button", name="Toggle preview").click()
    preview_frame = navigated.value
    preview_frame.wait_for_selector("h1")
    preview_frame.wait_for_selector(".preview-banner")
    assert preview_frame.locator("h1").inner_text() == TITLE
    shot(editor, "1-editor-preview-in-frontend")

    editor.get_by_role("button", name="Toggle preview").click()  # close the side panel
    editor.get_by_role("button", name="More actions").click()
    publish = editor.locator("button[name='action-publish']")
    publish.wait_for(state="visible")
    # Wagtail autosaves the draft; publishing while a save is in flight meets its "You
    # saved a new version in another window" dialog. Publish once autosave has settled,
    # and if a late save still races the click, confirm as the editor would: the other
    # version is this editor's own autosave of the same content.
    wait_for_autosave(editor)
    explorer = f"{api}/admin/pages/{index_id}/"
    conflict = editor.locator(".w-dialog, [role=dialog], dialog").filter(
        has_text="You saved a new version in another window"
    )
    try:
        publish.click()
        expect(editor).to_have_url(explorer)
    except AssertionError:
        if not conflict.last.is_visible():
            shot(editor, "1-editor-publish-failed")
            raise
        with editor.expect_navigation(url=explorer):
            conflict.last.get_by_role("button", name="Publish", exact=True).click()
    assert _api_json(f"{api}/api/v2/pages/{page_id}/")["title"] == TITLE

    # 2. The frontend shows the published article with the same content.
    reader = new_page()
    reader.goto(f"{frontend}/{SLUG}/")
    reader.wait_for_selector("article[data-type='kratom_pages.ArticlePage']")
    text = reader.inner_text("main")
    assert TITLE in text and "What surveys report" in text
    assert (
        reader.locator("section.numbered ol > li h3").first.inner_text().startswith("Better sleep")
    )
    assert "Evidence: Anecdotal" in text
    assert reader.locator(".cite a").first.inner_text() == "[1]"
    assert "Kratom (research topic)" in reader.inner_text(".references")
    reader.locator("details summary", has_text="Does kratom help sleep?").click()
    assert "There is no trial evidence." in reader.inner_text("details[open]")
    assert reader.locator(".disclaimer").count() == 1
    assert reader.locator("figure img").count() >= 1
    ld = json.loads(reader.locator('script[type="application/ld+json"]').text_content())
    assert ld["@graph"][0]["headline"] == TITLE
    shot(reader, "2-frontend-article")

    # 3. A reader replies; it waits for moderation; a moderator approves it.
    reader.fill("#reply-display_name", "E2E reader")
    reader.fill("#reply-email", "e2e@example.com")
    reader.fill("#reply-body", "Thanks for saying the evidence is thin.")
    reader.get_by_role("button", name="Post reply").click()
    reader.wait_for_selector(".reply-status:has-text('once a moderator has approved it')")
    reader.reload()
    reader.wait_for_selector("#replies")
    assert "Thanks for saying the evidence is thin." not in reader.inner_text("#replies")
    shot(reader, "3-reply-pending")

    moderator = new_page()
    _login(moderator, api, "moderator", MODERATOR_PASSWORD)
    moderator.goto(f"{api}/admin/kratom_pages/readerreply/")  # opens on Pending
    row = moderator.locator("tr", has_text="E2E reader")
    with moderator.expect_navigation():  # the row's own one-click button
        row.get_by_role("button", name="Approve the reply by E2E reader").click()
    expect(moderator.locator(".messages").first).to_contain_text("1 reply marked approved.")
    shot(moderator, "3-moderator-approved")

    reader.reload()
    reader.wait_for_selector(".reply")
    assert "Thanks for saying the evidence is thin." in reader.inner_text("#replies")
    shot(reader, "3-reply-visible")

    for page in (reader, visitor):
        # The 404 page's failed fetch is expected; nothing else may log an error.
        unexpected = [e for e in page.console_errors if "404" not in e and "403" not in e]
        assert unexpected == [], unexpected


@pytest.mark.parametrize(
    "path", ["/", "/kratom-and-addiction-recovery/", "/kratom-safety-guidelines/", "/kratom-faq/"]
)
def test_demo_pages_render_without_console_errors(servers, new_page, path):
    page = new_page()
    page.goto(servers["frontend"] + path)
    page.wait_for_selector("article")
    assert page.locator("h1").count() == 1
    if path != "/":
        assert page.locator('script[type="application/ld+json"]').count() == 1
    shot(page, "demo-" + (path.strip("/") or "index"))
    assert page.console_errors == []
