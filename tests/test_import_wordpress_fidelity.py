"""The WordPress importer against the edge cases of real exports (issue 29): one test per
finding, on ``fixtures/wordpress/edge-cases.xml`` (a fictional blog written for these
tests; no text of any real export)."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.embeds.finders import get_finders
from wagtail.embeds.finders.base import EmbedFinder
from wagtail.models import Page, PageViewRestriction, WorkflowState

from kratom_pages.importers.markup import rich_text
from kratom_pages.importers.models import ImportedItem
from kratom_pages.models import HealthContentSettings, KratomIndexPage, ReaderReply

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
EDGE = FIXTURES / "edge-cases.xml"
REDIRECTS = [*settings.MIDDLEWARE, "wagtail.contrib.redirects.middleware.RedirectMiddleware"]


class OfflineFinder(EmbedFinder):
    """Answers for the providers the fixture uses, without the network."""

    def accept(self, url):
        return "youtube.com/watch" in url or "twitter.com/" in url

    def find_embed(self, url, max_width=None, max_height=None):
        return {
            "title": "Example",
            "type": "video",
            "width": 640,
            "height": 360,
            "html": f'<iframe src="https://player.example/{len(url)}"></iframe>',
        }


@pytest.fixture(autouse=True)
def offline_embeds():
    get_finders.cache_clear()
    finders = [{"class": "tests.test_import_wordpress_fidelity.OfflineFinder"}]
    with override_settings(WAGTAILEMBEDS_FINDERS=finders):
        yield
    get_finders.cache_clear()


@pytest.fixture
def disclaimer(index_page):
    """A site-wide disclaimer, so pages without numbered claims pass the publish checks."""
    HealthContentSettings.objects.update_or_create(
        site=index_page.get_site(), defaults={"default_disclaimer": "<p>Not advice.</p>"}
    )


@pytest.fixture
def media_dir(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "02"
    folder.mkdir(parents=True)
    for name in ("leaf-a.jpg", "leaf-b.jpg"):  # capsule.jpg stays missing
        PILImage.new("RGB", (20, 20), "green").save(folder / name, "JPEG")
    return tmp_path / "uploads"


def run(parent, *args, export=EDGE) -> str:
    out = io.StringIO()
    call_command(
        "import_wordpress",
        str(export),
        "--parent",
        str(parent.pk),
        "--post-types",
        "post,page",
        *args,
        stdout=out,
    )
    return out.getvalue()


def page_for(wp_id: int):
    return ImportedItem.objects.get(wp_id=wp_id).page.specific


def raw(wp_id: int) -> list[dict]:
    return page_for(wp_id).get_latest_revision_as_object().body.raw_data


def blocks_of(wp_id: int, kind: str) -> list[dict]:
    return [block["value"] for block in raw(wp_id) if block["type"] == kind]


@pytest.mark.parametrize(
    "namespace",
    [
        "https://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.1/",
        "http://wordpress.org/export/1.0/",
    ],
)
def test_every_wxr_namespace_is_read(index_page, tmp_path, namespace):
    export = tmp_path / "export.xml"
    export.write_text(EDGE.read_text().replace("https://wordpress.org/export/1.2/", namespace))

    output = run(index_page, "--dry-run", export=export)

    assert output.count("): would create") == 14
    assert "Items: skipped 1, would create 14" in output


def test_items_in_a_namespace_we_cannot_read_are_an_error(index_page, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        EDGE.read_text().replace("https://wordpress.org/export/1.2/", "https://example.org/x/")
    )

    with pytest.raises(CommandError, match=r"None of the 18 items has WordPress fields"):
        run(index_page, export=export)


def test_an_export_with_nothing_of_the_chosen_types_is_an_error(index_page):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing to import: the export holds no page"):
        call_command(
            "import_wordpress", str(FIXTURES / "shared-slug.xml"), "--parent",
            str(index_page.pk), "--post-types", "page", stdout=out,
        )  # fmt: skip


def test_the_admin_shows_an_unreadable_export_as_an_error(index_page, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = EDGE.read_bytes().replace(b"https://wordpress.org/export/1.2/", b"urn:unknown:")
    response = admin_client.post(
        "/admin/import-wordpress/",
        {
            "export_file": SimpleUploadedFile("e.xml", data, content_type="text/xml"),
            "parent_page": index_page.pk,
            "post_types": ["post"],
        },
    )

    assert response.status_code == 200
    assert "has WordPress fields we can read" in response.content.decode()


@override_settings(MIDDLEWARE=REDIRECTS)
def test_a_password_protected_post_is_never_public(index_page, client, disclaimer):
    output = run(index_page, "--publish")
    page = page_for(403)
    secret = "only for members who have the password"

    restriction = PageViewRestriction.objects.get(page=page)
    assert restriction.restriction_type == "password" and restriction.password == "taper-notes"
    assert "readers need the same password" in output
    for url in (
        page.url,
        f"/api/v2/pages/{page.pk}/",
        f"/api/v3/pages/{page.pk}/",
        "/api/v2/pages/?limit=50",
        "/api/v3/pages/?limit=50",
        "/api/v2/pages/?search=members&limit=50",
        f"/api/v2/replies/?page={page.pk}",
        f"/api/v3/replies/?page={page.pk}",
        "/2024/04/members-notes/",
    ):
        body = client.get(url, follow=True).content.decode()
        assert secret not in body and "stays behind the password" not in body, url
    # Its comment keeps its state, and is shown only with the page, behind the password.
    assert ReaderReply.objects.get(page=page).status == "approved"


def test_a_private_post_stays_a_draft_behind_a_login(index_page, disclaimer):
    output = run(index_page, "--publish")
    page = page_for(404)

    assert not page.live
    assert PageViewRestriction.objects.get(page=page).restriction_type == "login"
    assert "left as draft: it was private in WordPress" in output


def test_publish_under_the_medical_review_workflow_submits_instead(
    index_page, disclaimer, django_user_model
):
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from kratom_pages.models import MedicalReviewTask

    workflow = Workflow.objects.create(name="Medical review")
    task = MedicalReviewTask.objects.create(name="Medical sign-off")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=index_page)

    dry = run(index_page, "--publish", "--dry-run")
    output = run(index_page, "--publish")

    health = Page.objects.descendant_of(index_page).not_type(KratomIndexPage)
    assert not health.live().exists()
    submitted = set(
        WorkflowState.objects.filter(status="in_progress").values_list("object_id", flat=True)
    )
    assert str(page_for(406).pk) in submitted and str(page_for(403).pk) in submitted
    assert str(page_for(411).pk) not in submitted  # its image is missing: a draft
    assert "submitted to the Medical review workflow instead of publishing" in output
    assert dry.count("submitted to the Medical review workflow") == output.count(
        "submitted to the Medical review workflow"
    )
    assert "Published: 0" in output


def test_content_keeps_its_order_and_lead_ins_stay_in_the_body(index_page):
    run(index_page)
    page = page_for(402)

    assert page.intro == ""  # "...wrote to us about stopping:" introduces the quote
    kinds = [block["type"] for block in raw(402)]
    assert kinds[:5] == ["paragraph", "quote", "paragraph", "quote", "paragraph"]
    quotes = blocks_of(402, "quote")
    assert [q["citation"] for q in quotes] == ["Reader A (fictional)", "Reader B (fictional)"]
    assert "first week" in quotes[0]["quote"] and "trouble sleeping" in quotes[1]["quote"]
    # Each button is a paragraph of its own, not glued to the next.
    buttons = next(b for b in blocks_of(402, "paragraph") if "Find treatment" in b)
    assert "Find treatment</a></p><p><a" in buttons
    # 401 opens with a lede: it becomes the intro, and the body starts at the heading.
    assert page_for(401).intro.startswith("<p>Labels on kratom products")
    assert raw(401)[0]["type"] == "heading"


def test_tables_quotes_and_code_become_blocks_with_text_escaped(index_page, client):
    run(index_page)

    table = blocks_of(401, "table")[0]
    assert [c["heading"] for c in table["columns"]] == ["Field", "What it tells you"]
    assert table["rows"][1]["values"][1].startswith("<p>Lets you <a href=")
    empty_cell = blocks_of(402, "table")[0]
    assert empty_cell["caption"] == "Made-up table" and empty_cell["rows"][1]["values"][0] == ""
    code = blocks_of(401, "code")[0]["code"]
    assert code == "Sample:   batch 42 (fictional)\n\n  Heavy metals: see page 2 <not included>"
    snippets = [c["code"] for c in blocks_of(402, "code")]
    assert snippets[0].startswith("<?php echo 'not medical advice'; ?>\n    indented")
    assert snippets[1] == "Day 1: note symptoms\nDay 2:    call the clinic"
    assert blocks_of(401, "quote")[0]["citation"] == "Our paraphrase of U.S. FDA consumer advice"
    text = " ".join(blocks_of(401, "paragraph"))
    assert "&lt;script&gt; included as text" in text and "<script" not in text


def test_headings_keep_their_hierarchy(index_page):
    run(index_page)

    headings = [(h["text"], h["level"]) for h in blocks_of(401, "heading")]
    assert headings == [
        ("What the label says", "h2"),
        ("An example label", "h3"),
        ("Lab reports", "h4"),
    ]
    paragraphs = " ".join(blocks_of(401, "paragraph"))
    for minor in ("What the regulator says", "Alerts", "Footnote"):
        assert f"<p><b>{minor}</b></p>" in paragraphs


def test_embeds_become_embed_blocks_and_other_sites_images_are_dropped(index_page):
    output = run(index_page)

    assert blocks_of(401, "embed") == [
        {"url": "https://www.youtube.com/watch?v=AbCdEfGhIjK", "caption": ""}
    ]
    assert blocks_of(402, "embed")[0]["caption"].startswith("A public post about tapering")
    assert "tracker.example.net" not in str(raw(401))
    assert "Removed an image from another site: https://tracker.example.net/pixel.gif" in output


def test_galleries_keep_their_captions_and_missing_images_keep_theirs(index_page, media_dir):
    output = run(index_page, "--media-dir", str(media_dir), "--publish")

    shortcode = blocks_of(401, "gallery")[0]["images"]
    assert [i["caption"] for i in shortcode] == [
        "Dried leaves on a tray (illustration).",
        "Powder in a jar (illustration).",
    ]
    assert all(isinstance(i["image"], int) for i in shortcode)
    block = blocks_of(402, "gallery")[0]
    assert block["caption"] == "Photos sent by readers"
    assert [i["caption"] for i in block["images"]] == [
        "A reader's photo of dried leaves (fictional).",
        "Capsules a reader stopped taking (fictional).",
    ]
    assert block["images"][1]["image"] is None  # capsule.jpg: a placeholder, reported
    captioned = blocks_of(401, "image")[0]
    assert captioned["image"] is None
    assert captioned["caption"] == "Capsules sold as kratom (illustration)."
    assert "1 of the 2 images in this group are missing" in output
    # A post that is only a missing image is a draft, never an empty published page.
    assert not page_for(411).live
    assert "Images: 2 found, 1 missing" in output  # images, not references to them


def test_a_scheduled_post_keeps_its_date_and_gets_its_redirect_when_live(index_page, disclaimer):
    library = KratomIndexPage(title="Library", slug="library")
    index_page.add_child(instance=library)
    library.save_revision().publish()
    run(library, "--publish")
    run(library, "--publish")  # a second run must not redirect to it early either
    page = page_for(405)

    assert not page.live
    assert page.go_live_at.isoformat() == "2031-05-01T08:00:00+00:00"
    revision = page.get_latest_revision()
    assert revision.approved_go_live_at == page.go_live_at
    assert not Redirect.objects.filter(old_path="/2031/05/planned-update").exists()

    revision.content["go_live_at"] = "2020-01-01T00:00:00Z"  # as if the date has come
    revision.approved_go_live_at = "2020-01-01T00:00:00Z"
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", stdout=io.StringIO())

    assert Redirect.objects.get(old_path="/2031/05/planned-update").redirect_page_id == page.pk


def test_a_second_import_changes_nothing(index_page, disclaimer):
    from wagtail.models import Revision

    def counts():
        models = (Page, Revision, Redirect, ReaderReply, PageViewRestriction, WorkflowState)
        return [model.objects.count() for model in models]

    run(index_page, "--publish")
    before = counts()
    output = run(index_page, "--publish")

    assert counts() == before
    assert output.count("): unchanged") == 14


def test_closed_comments_close_replies_and_sticky_is_reported(index_page, client, disclaimer):
    output = run(index_page, "--publish")

    assert page_for(406).allow_replies is False
    assert page_for(401).allow_replies is True
    response = client.post(
        "/api/v2/replies/",
        {"page": page_for(406).pk, "display_name": "X", "body": "Late"},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert "It was a sticky post" in output


@override_settings(MIDDLEWARE=REDIRECTS)
def test_the_page_tree_is_rebuilt_and_every_permalink_serves(index_page, client, disclaimer):
    library = KratomIndexPage(title="Library", slug="library")
    index_page.add_child(instance=library)
    library.save_revision().publish()  # imported below the site root: every address moves
    run(library, "--publish")

    guides, wellbeing, sevrage = (ImportedItem.objects.get(wp_id=i) for i in (501, 502, 503))
    assert isinstance(guides.section.specific, KratomIndexPage)
    assert wellbeing.section.get_parent().pk == guides.section.pk
    assert sevrage.page.get_parent().pk == wellbeing.section.pk
    assert guides.page.get_parent().pk == guides.section.pk  # its own content, inside
    served = 0
    for record in ImportedItem.objects.exclude(permalink=""):
        target = record.section or record.page
        response = client.get(record.permalink + "/")
        if target.live:
            served += 1
            assert response.status_code == 301, record.permalink
            assert client.get(response["Location"]).status_code == 200, record.permalink
        else:  # a redirect to a draft would be a 404: it comes when the page is published
            assert response.status_code == 404, record.permalink
    # Besides the feed and sitemap addresses (tests/test_import_wordpress.py).
    assert served == Redirect.objects.filter(redirect_page__isnull=False).count() == 8
    # The Unicode path, written with a doubled slash in the export, and its child.
    response = client.get("/guides/bien-%C3%AAtre/")
    assert response["Location"] == wellbeing.section.url
    assert client.get("/guides/bien-%C3%AAtre/sevrage/", follow=True).status_code == 200


def test_titles_are_plain_text_and_comments_are_decoded_then_escaped(index_page, client):
    HealthContentSettings.objects.update_or_create(
        site=index_page.get_site(), defaults={"default_disclaimer": "<p>Not advice.</p>"}
    )
    run(index_page, "--publish")
    page = page_for(408)
    reply = ReaderReply.objects.get(page=page)

    assert page.title == "Dosage claims & what is known"
    assert page_for(410).title == "A note on sources"
    assert reply.display_name == "Sam & Lee (fictional)"
    assert reply.body == "You wrote <blockquote> where you meant a quote & that confused me."
    html = client.get(page.url).content.decode()
    assert "You wrote &lt;blockquote&gt; where you meant a quote &amp; that" in html
    assert "&amp;lt;blockquote" not in html


def test_nothing_is_lost_silently(index_page):
    output = run(index_page)

    empty = page_for(409)
    assert not empty.live and ReaderReply.objects.filter(page=empty).count() == 1
    assert "It has no content: imported as an empty draft." in output
    assert "#412 '' (post, published): skipped" in output
    assert "Its 1 comment was not imported with it." in output
    statuses = Counter(ReaderReply.objects.values_list("status", flat=True))
    assert statuses == {"approved": 4}  # every comment of every imported item


def test_the_report_is_in_words_and_translated(index_page):
    from django.utils import translation

    dry = run(index_page, "--dry-run")
    assert "#401 'What product labels leave out' (post, published): would create" in dry
    assert "blocks: Code or preformatted text 1, Embed 1, Heading 3, Image 1" in dry
    with translation.override("fr"):
        french = run(index_page, "--dry-run")
    assert "#401 'What product labels leave out' (article, publié): serait créé" in french
    assert "Soumis à la relecture médicale : 0" in french
    assert "numbered_sections" not in french and "article page" not in french


def test_the_admin_report_links_each_problem_to_its_block(
    index_page, admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/import-wordpress/",
            {
                "export_file": SimpleUploadedFile("e.xml", EDGE.read_bytes(), "text/xml"),
                "parent_page": index_page.pk,
                "post_types": ["post", "page"],
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(response["Location"])
    html = admin_client.get(response["Location"]).content.decode()

    gallery = next(b for b in raw(402) if b["type"] == "gallery")
    assert f"/admin/pages/{page_for(402).pk}/edit/#block-{gallery['id']}-section" in html
    assert "Image group" in html and "Missing image" in html or "missing image" in html


def test_rich_text_keeps_escaped_markup_as_text():
    html = rich_text("Use &lt;script&gt; and <b>bold</b> &amp; more", ["bold"])

    assert html == "<p>Use &lt;script&gt; and <b>bold</b> &amp; more</p>"
