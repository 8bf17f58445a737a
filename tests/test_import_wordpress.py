"""The WordPress (WXR) importer, through its management command."""

import io
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision

from kratom_pages.importers.models import ImportedImage, ImportedItem, WordPressImport
from kratom_pages.models import (
    ArticlePage,
    FAQPage,
    GuidelineListPage,
    HealthContentSettings,
    ReaderReply,
    hash_client_ip,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = FIXTURES / "export.xml"
RAW_IPS = ["203.0.113.7", "198.51.100.23", "198.51.100.24", "192.0.2.99", "2001:db8::5"]


@pytest.fixture
def media_dir(tmp_path):
    """A copy of wp-content/uploads holding the one attachment file the export's posts use."""
    folder = tmp_path / "wp-content" / "uploads" / "2024" / "03"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (40, 30), "green").save(folder / "leaf.jpg", "JPEG")
    return tmp_path


def run(parent, *args, export=EXPORT) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--parent", str(parent.pk), *args, stdout=out)
    return out.getvalue()


def page_for(wp_id: int):
    return ImportedItem.objects.get(wp_id=wp_id).page.specific


def block_counts(page) -> dict[str, int]:
    return dict(Counter(block.block_type for block in page.body))


def model_counts() -> dict[str, int]:
    models = [
        Page,
        Revision,
        PageLogEntry,
        ReaderReply,
        Redirect,
        get_image_model(),
        ImportedItem,
        ImportedImage,
        WordPressImport,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_posts_become_typed_pages_with_exact_blocks(index_page, media_dir):
    run(index_page, "--media-dir", str(media_dir))

    assert ArticlePage.objects.count() == 3
    assert GuidelineListPage.objects.count() == 1
    assert FAQPage.objects.count() == 1
    article = page_for(101)
    assert isinstance(article, ArticlePage) and not article.live
    assert block_counts(article) == {
        "heading": 1,
        "paragraph": 1,
        "image": 1,
        "numbered_sections": 1,
        "guidelines": 1,
        "conclusion": 1,
        "faq": 1,
    }
    assert article.intro.startswith("<p>Kratom is sold online")
    assert article.author_name == "Sam Rivera (fictional)"
    assert str(article.published_date) == "2024-03-05"
    blocks = {block.block_type: block.value for block in article.body}
    numbered = blocks["numbered_sections"]
    assert numbered["heading"] == "Claimed benefits"
    assert [item["heading"] for item in numbered["items"]] == [
        "Pain relief",
        "Easing opioid withdrawal",
        "More energy",
    ]
    # Unsourced claims are graded "no evidence" until an editor cites sources.
    assert {item["evidence_level"] for item in numbered["items"]} == {"none"}
    assert [item["kind"] for item in blocks["guidelines"]["items"]] == ["do", "avoid", "caution"]
    assert blocks["guidelines"]["heading"] == "Tips for safer use"
    assert len(blocks["faq"]["items"]) == 2  # the repeated question was merged
    assert blocks["conclusion"]["heading"] == "Conclusion"
    assert blocks["image"]["caption"] == "Leaves on a branch (illustration)."
    assert blocks["image"]["alt_text"] == "Green leaves on a branch"
    assert article.hero_image_id == blocks["image"]["image"].pk

    guidelines = page_for(102)
    assert isinstance(guidelines, GuidelineListPage)
    assert block_counts(guidelines) == {"guidelines": 1, "callout": 1}
    assert [i["kind"] for i in guidelines.body[0].value["items"]] == ["avoid", "caution", "do"]
    assert guidelines.body[1].value["variant"] == "disclaimer"
    faq = page_for(103)
    assert isinstance(faq, FAQPage)
    assert block_counts(faq) == {"faq": 1}
    assert len(faq.body[0].value["items"]) == 2
    reasons = page_for(104)
    assert block_counts(reasons) == {"numbered_sections": 1, "faq": 1}
    assert reasons.slug == "why-people-say-they-try-kratom"  # drafts have no WordPress slug
    assert block_counts(page_for(105)) == {"heading": 1, "paragraph": 1}


def test_imported_rich_text_is_sanitised(index_page):
    run(index_page)

    stored = " ".join(
        f"{page.intro} {page.body.raw_data}" for page in ArticlePage.objects.all()
    ).lower()
    for unsafe in ("<script", "onclick", "javascript:", "<iframe", "<span", "alert("):
        assert unsafe not in stored
    assert "click here was a link in the original" in stored


def test_report_names_what_was_removed_and_guessed(index_page):
    output = run(index_page)

    assert "warning: Removed <script>" in output
    assert "warning: Removed <iframe>" in output
    assert 'check: Guideline "Avoid mixing with alcohol": kind guessed as avoid.' in output
    assert 'Duplicate FAQ question "is kratom approved as a medicine"' in output


def test_images_are_deduplicated_and_missing_ones_reported(index_page, media_dir):
    output = run(index_page, "--media-dir", str(media_dir), "--post-types", "post,page")

    assert get_image_model().objects.count() == 1  # the inline image and the hero are one
    about = ArticlePage.objects.get(slug="about")
    # The missing image is a placeholder keeping its alt text, never a broken reference.
    assert block_counts(about) == {"heading": 1, "paragraph": 1, "image": 1}
    placeholder = about.body.raw_data[2]["value"]
    assert placeholder["image"] is None and placeholder["alt_text"] == "The team"
    assert re.search(
        r"missing image: https://blog.example.com/\S+/team.jpg \(file not found\)", output
    )
    run(index_page, "--media-dir", str(media_dir), "--post-types", "post,page")
    assert get_image_model().objects.count() == 1


def test_without_media_dir_images_are_missing_not_fetched(index_page):
    output = run(index_page)

    assert get_image_model().objects.count() == 0
    assert block_counts(page_for(101))["paragraph"] == 1
    image = next(b for b in page_for(101).body.raw_data if b["type"] == "image")["value"]
    assert image["image"] is None  # nothing hotlinked: a placeholder keeping the caption
    assert image["caption"] == "Leaves on a branch (illustration)."
    assert "(no --media-dir given)" in output


def test_fetch_media_goes_through_the_outbound_rules(index_page, tmp_path):
    export = tmp_path / "local.xml"
    export.write_text(
        EXPORT.read_text().replace(
            "https://blog.example.com/wp-content", "https://127.0.0.1/wp-content"
        )
    )

    output = run(index_page, "--fetch-media", export=export)

    assert "refused: resolves to a loopback address" in output
    assert get_image_model().objects.count() == 0


def test_reimport_creates_nothing(index_page, media_dir):
    run(index_page, "--media-dir", str(media_dir), "--post-types", "post,page")
    before = model_counts()

    output = run(index_page, "--media-dir", str(media_dir), "--post-types", "post,page")

    assert model_counts() == before
    assert output.count("): unchanged") == 6


def test_changed_source_makes_a_new_draft_revision(index_page, tmp_path):
    run(index_page)
    article = page_for(101)
    revisions = article.revisions.count()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text().replace(
            "No controlled trial has tested this.", "Trials are still missing."
        )
    )
    pages = Page.objects.count()

    output = run(index_page, export=changed)

    assert Page.objects.count() == pages
    assert article.revisions.count() == revisions + 1
    latest = page_for(101).get_latest_revision_as_object()
    numbered = next(b.value for b in latest.body if b.block_type == "numbered_sections")
    assert "Trials are still missing." in numbered["items"][0]["body"].source
    assert not page_for(101).live
    assert output.count("): updated") == 1 and output.count("): unchanged") == 4


@override_settings(
    MIDDLEWARE=[*settings.MIDDLEWARE, "wagtail.contrib.redirects.middleware.RedirectMiddleware"]
)
def test_old_permalinks_redirect_permanently_once_their_page_serves(index_page, client):
    HealthContentSettings.objects.update_or_create(
        site=index_page.get_site(), defaults={"default_disclaimer": "<p>Not advice.</p>"}
    )
    output = run(index_page, "--publish")
    questions, article = page_for(103), page_for(101)

    response = client.get("/2024/05/kratom-questions")
    assert response.status_code == 301 and response["Location"] == questions.url
    assert client.get(response["Location"]).status_code == 200
    # The article stays a draft (unsourced claims): a redirect now would lead to a 404.
    assert client.get("/2024/03/kratom-what-people-report/").status_code == 404
    assert "/2024/03/kratom-what-people-report will redirect here once" in output
    # The guideline page kept its address, so a redirect would only loop.
    assert not Redirect.objects.filter(redirect_page=page_for(102)).exists()
    assert "not needed" not in output  # the report line is per item, not noise

    article.save_revision().publish()  # an editor publishes it later

    response = client.get("/2024/03/kratom-what-people-report/")
    assert response.status_code == 301 and response["Location"] == article.url
    assert client.get(response["Location"]).status_code == 200
    # 104 was never published ("/?p=104") and 105 keeps its address: no redirect for them.
    page_redirects = Redirect.objects.filter(is_permanent=True, redirect_page__isnull=False)
    assert page_redirects.filter(site=index_page.get_site()).count() == 2


@override_settings(
    MIDDLEWARE=[*settings.MIDDLEWARE, "wagtail.contrib.redirects.middleware.RedirectMiddleware"]
)
def test_old_feed_and_sitemap_addresses_redirect_to_ours(index_page, client, tmp_path):
    # A blog under /notes, with a category listed on the channel and one only on a post.
    export = tmp_path / "export.xml"
    text = EXPORT.read_text().replace("https://blog.example.com", "https://example.com/notes")
    category = (
        "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[safety]]>"
        "</wp:category_nicename><wp:cat_name><![CDATA[Safety]]></wp:cat_name></wp:category>"
    )
    export.write_text(text.replace("<wp:author>", category + "<wp:author>", 1))

    output = run(index_page, export=export)

    section_feed = f"/sections/{index_page.pk}/feed.xml"
    expected = {
        "/notes/feed/": "/feed.xml",
        "/notes/category/safety/feed/": section_feed,
        "/notes/category/explainers/feed/": section_feed,
        "/notes/wp-sitemap.xml": "/sitemap.xml",
        "/notes/sitemap_index.xml": "/sitemap.xml",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new, old
    assert client.get("/notes/feed/", follow=True).status_code == 200
    assert "Feed and sitemap addresses redirected: 5" in output
    run(index_page, export=export)  # again: the same redirects, none added
    assert Redirect.objects.filter(redirect_page__isnull=True).count() == 5


def test_comments_become_replies_by_state_with_hashed_ips(index_page):
    run(index_page)
    page = page_for(101)
    replies = ReaderReply.objects.filter(page=page)

    assert dict(Counter(replies.values_list("status", flat=True))) == {
        "approved": 2,
        "pending": 2,
        "spam": 1,
    }
    first = replies.get(display_name="Alex (fictional reader)")
    assert first.parent is None
    assert first.ip_hash == hash_client_ip("203.0.113.7")
    assert first.email == "alex@example.org"
    assert first.body == "Thanks for saying clearly what has not been tested."
    assert first.created_at == datetime(2024, 3, 6, 10, 0, tzinfo=UTC)
    # A reply to a reply hangs under its top-level ancestor.
    assert replies.get(display_name="Cy (fictional reader)").parent == first
    assert replies.get(display_name="Bea (fictional reader)").parent == first
    stored = " ".join(str(row) for row in replies.values_list())
    for ip in RAW_IPS:
        assert ip not in stored


def test_dry_run_writes_nothing(index_page, media_dir):
    before = model_counts()

    output = run(index_page, "--dry-run", "--media-dir", str(media_dir), "--publish")

    assert model_counts() == before
    assert "Dry run: nothing was written." in output
    assert output.count("): would create") == 5
    assert (
        "blocks: Conclusion 1, FAQ list 1, Guideline list 1, Heading 1, Image 1, "
        "Numbered section list 1, Paragraph 1" in output
    )
    assert (
        "replies: approved 2, not imported (trash, pingbacks and trackbacks) 2, pending 2, "
        "spam 1" in output
    )
    assert "images: 1 found, 0 missing" in output  # the hero and the inline image are one


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml"])
def test_entity_attacks_are_refused_with_a_clear_message(index_page, name):
    before = model_counts()

    with pytest.raises(CommandError, match="Entity expansion is disabled"):
        run(index_page, export=FIXTURES / name)

    assert model_counts() == before


def test_malformed_file_is_rejected_with_line_and_column(index_page):
    before = model_counts()

    with pytest.raises(CommandError, match=r"not well-formed XML: line 16, column 18"):
        run(index_page, export=FIXTURES / "malformed.xml")

    assert model_counts() == before  # not even the well-formed first post


def test_two_posts_sharing_a_slug_are_both_imported(index_page):
    output = run(index_page, export=FIXTURES / "shared-slug.xml")

    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["kratom-and-sleep", "kratom-and-sleep-2"]
    assert output.count("): created") == 2


def test_unmappable_post_is_reported_and_the_rest_import(index_page):
    output = run(index_page)

    assert "#106 '' (post, published): skipped" in output
    assert "Not imported: it has no title and no address to name it from." in output
    assert ImportedItem.objects.count() == 5
    assert not ImportedItem.objects.filter(wp_id=106).exists()
    assert "Not imported: post 1, trash 1" not in output  # summary lists by kind
    assert (
        "Not imported: attachments (their images are imported with the posts) 2, "
        "in the trash 1, page 1" in output
    )


def test_publish_publishes_only_items_that_pass_the_publish_checks(index_page):
    output = run(index_page, "--publish")

    assert sorted(page.title for page in Page.objects.live().type(GuidelineListPage)) == [
        "Kratom safety points"
    ]
    live = Page.objects.live().descendant_of(index_page)
    assert set(live.values_list("pk", flat=True)) == {page_for(102).pk}
    assert "left as draft: it was draft in WordPress" in output
    assert "left as draft: it was private in WordPress" in output
    assert "left as draft: Add a medical disclaimer" in output
    assert 'left as draft: Numbered section 1 ("Pain relief") in list 1 has no source.' in output


def test_publish_with_a_site_disclaimer_still_holds_unsourced_claims(index_page):
    site = index_page.get_site()
    HealthContentSettings.objects.update_or_create(
        site=site, defaults={"default_disclaimer": "<p>Information, not medical advice.</p>"}
    )
    run(index_page)

    run(index_page, "--publish")  # a second run publishes what now passes

    live = set(Page.objects.live().descendant_of(index_page).values_list("title", flat=True))
    assert live == {"Kratom safety points", "Kratom questions readers ask"}


def test_pages_are_imported_only_when_asked(index_page):
    run(index_page)
    assert not ArticlePage.objects.filter(slug="about").exists()

    run(index_page, "--post-types", "post,page", "--limit", "1")

    assert ArticlePage.objects.filter(slug="about").exists() is False  # the limit came first
    run(index_page, "--post-types", "page")
    assert ArticlePage.objects.filter(slug="about").exists()


def test_parent_by_url_path_and_refusal_of_unsuitable_parents(index_page):
    with pytest.raises(CommandError, match="cannot hold health pages"):
        run(index_page.get_parent())
    out = io.StringIO()
    call_command("import_wordpress", str(EXPORT), "--parent", "/", "--limit", "1", stdout=out)
    assert ArticlePage.objects.child_of(index_page).count() == 1
