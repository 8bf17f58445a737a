"""Editors first (#19) in a real browser: publish checks as field errors, drafts that save
unfinished, the moderation queue, the source chooser's search, webhook Resend and the admin
in French.

With KRATOM_SCREENSHOTS=1 the tests also refresh the README's editor guide pictures in
docs/screenshots/ (tracked files, so other runs leave them alone)."""

import json
import os
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_PASSWORD, MODERATOR_PASSWORD, ROOT, shot
from tests.e2e.site_access import (
    insert_block,
    log_in,
    run_in_site,
    type_rich_text,
    wait_for_autosave,
)

pytestmark = pytest.mark.e2e

DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"

# How many lines an element's text takes: the distinct tops of its text's line boxes.
TEXT_LINES = """element => {
    const tops = new Set();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        for (const box of range.getClientRects()) if (box.width) tops.add(Math.round(box.top));
    }
    return tops.size;
}"""
# The words of an element's text that start on one line and end on the next ("Approve d").
SPLIT_WORDS = """element => {
    const split = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (const word of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const tops = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
            if (tops.size > 1) split.push(word[0]);
        }
    }
    return split;
}"""
# Ids that more than one element of the document carries.
DUPLICATE_IDS = """() => {
    const seen = {};
    for (const element of document.querySelectorAll("[id]")) {
        seen[element.id] = (seen[element.id] || 0) + 1;
    }
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""
# What makes an error look like Wagtail's field error (and not a pink help-critical box).
ERROR_LOOKS = """element => {
    const style = getComputedStyle(element);
    const icon = element.previousElementSibling;
    return [style.color, style.fontWeight, style.fontSize, style.backgroundColor,
            icon ? icon.getAttribute("class") : null];
}"""

FRENCH_PASSWORD = "e2e-french-editor-password"
HOOK_URL = "http://127.0.0.1:9/e2e-hook"  # loopback: refused at send, nothing is contacted

# Setup the admin cannot do in a browser, in one `manage.py shell` run (each run starts
# Django): a section outside the medical review workflow (pages under the demo index go
# live only through it, so Publish never reaches the publish checks there), replies waiting
# for moderation, a webhook delivery (the endpoint form refuses loopback URLs, and this
# sandbox resolves no public name) and a second admin for the French interface.
SETUP = f"""
import json
from django.contrib.auth.models import User
from wagtail.models import Page
from kratom_pages.models import (
    ArticlePage, KratomIndexPage, ReaderReply, WebhookDelivery, WebhookEndpoint,
    hash_client_ip,
)

root = Page.objects.get(depth=1)
section = KratomIndexPage.objects.filter(slug="e2e-unreviewed-section").first()
if section is None:
    section = root.add_child(instance=KratomIndexPage(
        title="E2E section without medical review", slug="e2e-unreviewed-section"))
    section.save_revision().publish()

article = ArticlePage.objects.get(slug="kratom-and-addiction-recovery")
replies = {{
    name: ReaderReply.objects.create(
        page=article, display_name=name, email="queue@example.com", body=body,
        status="pending", ip_hash=hash_client_ip("127.0.0.1"),
    ).pk
    for name, body in [
        ("E2E queue Alpha", "Alpha: a first reply waiting in the queue."),
        ("E2E queue Bravo", "Bravo: a second reply waiting in the queue."),
        ("E2E queue Charlie", "Charlie: a longer reply. " + "It goes on. " * 20 + "The end."),
    ]
}}

endpoint = WebhookEndpoint.objects.create(
    name="E2E receiver", url="{HOOK_URL}", is_active=False)
delivery = WebhookDelivery.objects.create(
    endpoint=endpoint, endpoint_url=endpoint.url, action="page_published",
    payload={{"action": "page_published", "page": {{"id": article.pk, "title": "é"}}}},
    status="failed", attempts=4, last_error="UnsafeURL: resolves to a loopback address",
)

french = User.objects.filter(username="e2e-french").first()
if french is None:
    User.objects.create_superuser(
        "e2e-french", "fr@example.com", "{FRENCH_PASSWORD}",
        first_name="Camille", last_name="Martin",  # the Account form requires a name
    )

print(json.dumps({{
    "section": section.pk, "article": article.pk, "replies": replies,
    "delivery": delivery.pk, "event_id": str(delivery.event_id),
}}))
"""


def _api_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _index_id(api: str) -> int:
    found = _api_json(f"{api}/api/v2/pages/?type=kratom_pages.KratomIndexPage")
    return found["items"][0]["id"]


@pytest.fixture(scope="module")
def setup(servers):
    return run_in_site(servers["api"], SETUP)


@pytest.fixture
def admin(servers, new_page):
    page = new_page()
    log_in(page, servers["api"], "admin", ADMIN_PASSWORD)
    return page


def _save_draft(page, title):
    """Save draft, and wait for the page it leads to. Not for the edit URL: autosave has
    usually created the page already and moved the address to its edit URL with the
    History API (so a URL wait returns at once, on the page being left); and it makes the
    message "has been updated" rather than "created". The message shows only on the page
    the save leads to."""
    wait_for_autosave(page)
    page.get_by_role("button", name="Save draft").click()
    saved = re.compile(rf"Page '{re.escape(title)}' (created|has been updated)")
    expect(page.locator(".messages").first).to_contain_text(saved)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))


def _open_more_actions(page):
    page.get_by_role("button", name="More actions").click()


def _publish(page):
    wait_for_autosave(page)
    _open_more_actions(page)
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()


def _docs_screenshot(page, name: str, band=None) -> None:
    """``docs/screenshots/<name>.png`` for the README when KRATOM_SCREENSHOTS=1: the 1280 px
    viewport, or the full-width band of it around the ``band`` locators (in view)."""
    if os.environ.get("KRATOM_SCREENSHOTS") != "1":
        return
    clip = None
    if band:
        boxes = [locator.bounding_box() for locator in band]
        top = max(0, min(box["y"] for box in boxes) - 24)
        bottom = max(box["y"] + box["height"] for box in boxes) + 24
        clip = {"x": 0, "y": top, "width": page.viewport_size["width"], "height": bottom - top}
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), clip=clip)


def _assert_queue_fits(page):
    """At 1280 px every header and button of the reply queue keeps to one line and no
    cell breaks a word."""
    assert page.viewport_size["width"] == 1280
    table = page.locator("table.listing")
    headers = table.locator("thead th")
    expect(headers.first).to_be_visible()
    for header in headers.all():
        if header.inner_text().strip():
            assert header.evaluate(TEXT_LINES) == 1, header.inner_text()
    for button in table.locator(".kp-reply-actions button, .w-status").all():
        assert button.evaluate(TEXT_LINES) == 1, button.inner_text()
    assert table.locator("tbody").evaluate(SPLIT_WORDS) == []


def test_publishing_an_unsourced_claim_marks_the_claim_in_one_round(servers, setup, admin):
    api = servers["api"]
    admin.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{setup['section']}/")
    admin.fill("#id_title", "E2E: an unsourced claim")
    insert_block(admin, "Numbered section list")
    admin.fill("#body-0-value-items-0-value-heading", "Eases withdrawal")
    type_rich_text(admin, "body-0-value-items-0-value-body", "Some users say so.")
    # No evidence level and no source: a draft may be unfinished.
    _save_draft(admin, "E2E: an unsourced claim")
    page_id = int(re.search(r"/pages/(\d+)/edit/", admin.url).group(1))
    expect(admin.locator(".help-critical:visible, .error-message:visible")).to_have_count(0)
    expect(admin.locator("[data-contentpath='body'] [contenteditable=true]").last).to_contain_text(
        "Some users say so."
    )

    _publish(admin)

    # One round: the publish check and the required field, each on the claim itself.
    # (The page has one claim: each error is on that claim's own field.)
    citations = admin.locator("[data-contentpath='citations']")
    level = admin.locator("[data-contentpath='evidence_level']")
    claim_error = citations.locator(".w-field__errors > .error-message")
    level_error = level.locator(".w-field__errors > .error-message")
    expect(claim_error).to_have_text("Cite at least one source for this claim.")
    expect(level_error).to_contain_text("Choose an evidence level: nobody has")
    # Drawn like the level's field error, not as Wagtail's pink box for a list's errors.
    expect(citations.locator(".help-critical")).to_have_count(0)
    assert claim_error.evaluate(ERROR_LOOKS) == level_error.evaluate(ERROR_LOOKS)
    # And counted like it: the minimap gives the claim both errors.
    claim_in_minimap = admin.locator(".w-minimap-item--error").filter(has_text="Eases withdrawal")
    expect(claim_in_minimap.locator(".w-minimap-item__errors")).to_have_text("2")
    banner = admin.locator(".messages").first
    expect(banner).to_contain_text("could not be published")
    expect(banner).to_contain_text("saved as a draft")
    admin.get_by_role("button", name="Go to the first error").click()
    expect(level_error).to_be_in_viewport()
    shot(admin, "flows-1-unsourced-claim-field-error")

    # Graded but still unsourced: the claim's Sources is now the first error.
    level.locator("select").select_option("anecdotal")
    _publish(admin)
    expect(level_error).to_have_count(0)
    expect(claim_error).to_have_text("Cite at least one source for this claim.")
    # (Before "Go to the first error": Wagtail's focus scrolls the editor sideways too.)
    heading = admin.locator("[data-contentpath='heading']:has(#body-0-value-items-0-value-heading)")
    citations.evaluate("element => element.scrollIntoView({block: 'center'})")
    _docs_screenshot(admin, "unsourced-claim-field-error", band=[heading, citations])
    admin.get_by_role("button", name="Go to the first error").click()
    expect(claim_error).to_be_in_viewport()
    expect(claim_error).to_be_focused()

    detail = run_in_site(
        api,
        "import json; from wagtail.models import Page; "
        f"p = Page.objects.get(pk={page_id}); "
        "print(json.dumps([p.live, p.get_latest_revision_as_object().title]))",
    )
    assert detail == [False, "E2E: an unsourced claim"]


def test_a_draft_with_a_blank_faq_question_saves(servers, admin):
    api = servers["api"]
    admin.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{_index_id(api)}/")
    admin.fill("#id_title", "E2E: a draft with a blank question")
    insert_block(admin, "FAQ list")
    type_rich_text(admin, "body-0-value-items-0-value-answer", "Waiting for its question.")
    expect(admin.locator("#body-0-value-items-0-value-question")).to_have_value("")
    _save_draft(admin, "E2E: a draft with a blank question")
    expect(admin.locator(".help-critical:visible, .error-message:visible")).to_have_count(0)
    expect(admin.locator("#body-0-value-items-0-value-question")).to_have_value("")
    shot(admin, "flows-2-draft-with-blank-question")


def test_moderator_works_through_the_pending_queue(servers, setup, new_page):
    api = servers["api"]
    moderator = new_page()
    log_in(moderator, api, "moderator", MODERATOR_PASSWORD)
    moderator.goto(f"{api}/admin/kratom_pages/readerreply/")

    # The queue opens on Pending: approved replies ("Sam") are not in it.
    rows = moderator.locator("table.listing tbody tr")
    for name in ("E2E queue Alpha", "E2E queue Bravo", "E2E queue Charlie"):
        expect(rows.filter(has_text=name)).to_have_count(1)
    expect(rows.filter(has_text=re.compile(r"\bSam\b"))).to_have_count(0)
    expect(rows.filter(has_text="Approved")).to_have_count(0)
    _assert_queue_fits(moderator)
    # Row links show on hover: look for Delete whether shown or not.
    expect(moderator.locator("a[href*='/delete/'], [title^='Delete']")).to_have_count(0)

    # Wagtail's bulk actions: select all ticks every row; ticking it again clears them.
    select_all = moderator.locator("thead [data-bulk-action-select-all-checkbox]")
    checkboxes = rows.locator("input.bulk-action-checkbox")
    select_all.check()
    expect(checkboxes.and_(moderator.locator(":not(:checked)"))).to_have_count(0)
    select_all.uncheck()
    expect(checkboxes.and_(moderator.locator(":checked"))).to_have_count(0)

    for name in ("E2E queue Alpha", "E2E queue Bravo"):
        rows.filter(has_text=name).locator("input.bulk-action-checkbox").check()
    footer = moderator.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text("2 items selected")
    shot(moderator, "flows-3-moderation-queue")
    _docs_screenshot(moderator, "moderation-queue")
    footer.get_by_role("link", name="Approve the selected replies").click()
    moderator.wait_for_url(re.compile(r"/admin/bulk/kratom_pages/readerreply/approve/"))
    expect(moderator.locator("main")).to_contain_text("Approve these 2 replies?")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Yes, approve", exact=True).click()
    moderator.wait_for_url(re.compile(r"/admin/kratom_pages/readerreply/"))
    expect(moderator.locator(".messages").first).to_contain_text("2 replies marked approved.")
    expect(rows.filter(has_text="E2E queue Alpha")).to_have_count(0)
    expect(rows.filter(has_text="E2E queue Bravo")).to_have_count(0)
    statuses = run_in_site(
        api,
        "import json; from kratom_pages.models import ReaderReply; "
        "print(json.dumps(dict(ReaderReply.objects.filter(display_name__startswith="
        "'E2E queue').values_list('display_name', 'status'))))",
    )
    assert statuses == {
        "E2E queue Alpha": "approved",
        "E2E queue Bravo": "approved",
        "E2E queue Charlie": "pending",
    }

    # Inspect shows the whole reply and its page, with the queue's actions and no Delete.
    charlie = setup["replies"]["E2E queue Charlie"]
    row = rows.filter(has_text="E2E queue Charlie")
    row.get_by_role("button", name=re.compile(r"^More options for")).click()  # Wagtail's row menu
    row.get_by_role("link", name="Inspect").click()
    moderator.wait_for_url(f"{api}/admin/kratom_pages/readerreply/inspect/{charlie}/")
    card = moderator.locator(".kp-reply-card")
    expect(card.locator(".kp-reply-body")).to_contain_text("The end.")
    expect(card).to_contain_text("Kratom and addiction recovery")
    expect(moderator.locator("a[href*='/delete/'], [title^='Delete']")).to_have_count(0)
    shot(moderator, "flows-3-moderation-inspect")
    with moderator.expect_navigation():
        card.get_by_role("button", name="Reject", exact=True).click()
    expect(moderator.locator(".messages").first).to_contain_text("1 reply marked rejected.")
    expect(moderator.locator(".kp-reply-card .w-status")).to_have_text("Rejected")


def test_source_chooser_searches_and_filters_the_library(servers, admin):
    api = servers["api"]
    admin.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{_index_id(api)}/")
    insert_block(admin, "Numbered section list")
    # The block starts the first autosave, which creates the page and then fills in the
    # edit view's parts: a click on the list's Add in the middle of that was lost once
    # under load (the list stayed empty). Add once the form has settled.
    wait_for_autosave(admin)
    citations = admin.locator("[data-contentpath='citations']").first
    # One click from the claim: "Cite a source" adds a citation and opens the chooser.
    citations.get_by_role("button", name="Cite a source").click()

    modal = admin.locator(".modal-dialog").last
    search = modal.locator("form[data-chooser-modal-search]")
    results = modal.locator("#search-results tbody tr")
    expect(modal.get_by_role("tab", name="Add a new source")).to_be_visible()

    listing = modal.locator("#search-results")
    query = search.locator("[name=q]")

    # Each step waits for its own results before the next one, so no two searches race.
    query.fill("Grundmann")  # an author
    expect(listing).to_contain_text("Patterns of Kratom use and health impact")
    expect(results).to_have_count(1)
    query.fill("10.1021/acscentsci")  # a DOI
    expect(listing).to_contain_text("7-Hydroxymitragynine")
    expect(results).to_have_count(1)
    query.fill("")
    expect(listing).to_contain_text("FDA and Kratom")
    search.locator("select[name=kind]").select_option("public_health")
    expect(results).to_have_count(6)
    search.locator("select[name=year]").select_option("2018")
    expect(results).to_have_count(3)
    expect(listing).to_contain_text("Commonly Abused Drugs Charts")
    expect(listing).not_to_contain_text("FDA and Kratom")  # public health, but no year
    # Its search and "Add a new source" forms both have kind and year, and the page has a
    # title of its own: every id once, so each label names its own field.
    assert admin.evaluate(DUPLICATE_IDS) == []
    shot(admin, "flows-4-source-chooser")
    _docs_screenshot(admin, "source-chooser")

    chosen = "Multistate Outbreak of Salmonella Infections Linked to Kratom"
    link = results.get_by_role("link", name=re.compile(chosen))
    link.click()
    link.wait_for(state="hidden")
    expect(citations).to_contain_text(chosen)

    # A source the library lacks, added from the chooser and cited at once.
    citations.get_by_role("button", name=re.compile("Add")).last.click()
    citations.get_by_role("button", name="Choose a source").last.click()
    modal = admin.locator(".modal-dialog").last
    new_source_tab = modal.get_by_role("tab", name="Add a new source")
    new_source_tab.click()
    expect(new_source_tab).to_have_attribute("aria-selected", "true")
    create = modal.get_by_role("tabpanel", name="Add a new source")
    expect(create).to_be_visible()
    create.get_by_label("Title").fill("E2E: a source added from the chooser")
    create.get_by_label("Authors").fill("Doe J")
    create.get_by_label("Year").fill("2024")
    create.get_by_label("DOI").fill("10.1000/e2e-chooser")
    create.get_by_label("Kind").select_option("other")
    assert admin.evaluate(DUPLICATE_IDS) == []
    create.get_by_role("button", name="Add source").click()
    expect(modal).to_be_hidden()
    expect(citations).to_contain_text("E2E: a source added from the chooser")


def test_a_failed_webhook_delivery_can_be_resent(servers, setup, admin):
    api = servers["api"]
    admin.goto(f"{api}/admin/kratom_pages/webhookdelivery/inspect/{setup['delivery']}/")
    payload = admin.locator("pre.kp-json")
    expect(payload).to_contain_text('"action": "page_published"')
    with admin.expect_navigation(url=re.compile(r"/webhookdelivery/inspect/\d+/$")):
        admin.get_by_role("button", name="Resend this event").click()
    copy_id = int(re.search(r"/inspect/(\d+)/$", admin.url).group(1))
    assert copy_id != setup["delivery"]
    expect(admin.locator(".messages").first).to_contain_text(
        f"Event queued again as delivery {copy_id} to {HOOK_URL}"
    )
    # The same event (the receiver deduplicates on its id), sent again and logged anew.
    expect(admin.locator("main")).to_contain_text(setup["event_id"])
    shot(admin, "flows-5-webhook-resent")
    stored = run_in_site(
        api,
        "import json; from kratom_pages.models import WebhookDelivery; "
        f"d = WebhookDelivery.objects.get(pk={copy_id}); "
        "print(json.dumps([str(d.event_id), d.endpoint_url, d.attempts >= 1, d.last_error]))",
    )
    assert stored[:3] == [setup["event_id"], HOOK_URL, True]
    assert "loopback" in stored[3]


def test_admin_in_french_translates_the_plugin(servers, setup, new_page):
    api = servers["api"]
    page = new_page()
    log_in(page, api, "e2e-french", FRENCH_PASSWORD)
    page.goto(f"{api}/admin/account/")
    page.locator("[name='locale-preferred_language']").select_option("fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.goto(f"{api}/admin/kratom_pages/readerreply/?status=all")  # rows, whatever ran before
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text("Réponses des lecteurs")
    for label in ("Approuver", "Refuser", "Indésirable"):
        expect(main.locator(".kp-reply-actions button", has_text=label).first).to_be_visible()
    # The bulk actions footer, shown once a reply is ticked.
    main.locator("tbody input.bulk-action-checkbox").first.check()
    footer = page.locator("[data-bulk-action-footer]")
    spam = "Marquer les réponses sélectionnées comme indésirables"
    expect(footer.get_by_role("link", name=spam)).to_be_visible()
    for english in ("Reader replies", "Select all", "selected replies", "Mark as spam", "Approve"):
        expect(main).not_to_contain_text(english)
        expect(footer).not_to_contain_text(english)
    _assert_queue_fits(page)  # French words are longer
    shot(page, "flows-6-queue-in-french")

    page.goto(f"{api}/admin/pages/add/kratom_pages/articlepage/{_index_id(api)}/")
    page.locator("button[title='Insérer un bloc']").last.click()
    expect(page.get_by_role("option", name="Liste de sections numérotées")).to_be_visible()
    shot(page, "flows-6-block-picker-in-french")


def test_demo_accounts_have_a_name_so_account_settings_save(servers, admin):
    api = servers["api"]
    admin.goto(f"{api}/admin/account/")
    # Wagtail's Account form requires a name: saving any setting (the admin language, say)
    # sends it back.
    expect(admin.locator("[name='name_email-first_name']")).not_to_have_value("")
    expect(admin.locator("[name='name_email-last_name']")).not_to_have_value("")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messages").first).to_contain_text("changed successfully")
    names = run_in_site(
        api,
        "import json; from django.contrib.auth.models import User; print(json.dumps(list("
        "User.objects.filter(username__in=['admin', 'reviewer', 'moderator'])"
        ".values_list('username', 'first_name', 'last_name'))))",
    )
    assert {username for username, *_name in names} == {"admin", "reviewer", "moderator"}
    assert all(first and last for _username, first, last in names), names
