"""Headless draft preview through API v2 and v3."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text
from wagtail_headless_preview.models import PagePreview

HEADLESS = {"CLIENT_URLS": {"default": "http://frontend.test/preview"}}


def _edit_data(page):
    from tests.test_evidence import _article_form_data

    heading = ("heading", {"text": "Previewed heading", "level": "h2", "anchor": ""})
    return _article_form_data(page, [heading])


def _v2(client, **params):
    return client.get("/api/v2/page_preview/", params)


def _v3(client, **params):
    return client.get("/api/v3/page_preview/", params)


@pytest.fixture
def draft_preview(article):
    """An edited, unpublished draft of the article, previewed as the admin would."""
    article.title = "Draft title"
    article.save_revision()
    draft = article.get_latest_revision_as_object()
    preview = draft.create_page_preview()
    return article, preview


@pytest.mark.django_db
@override_settings(WAGTAIL_HEADLESS_PREVIEW=HEADLESS)
def test_admin_preview_opens_the_frontend_with_a_token(admin_client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert admin_client.post(url, _edit_data(article)).json()["is_valid"]
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://frontend.test/preview/?content_type=kratom_pages.articlepage&amp;token=" in html
    assert PagePreview.objects.count() == 1


@pytest.mark.django_db
def test_without_a_frontend_the_admin_preview_is_server_rendered(admin_client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert admin_client.post(url, _edit_data(article)).json()["is_valid"]
    response = admin_client.get(url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert PagePreview.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("get", [_v2, _v3])
def test_valid_token_serves_the_draft(client, draft_preview, get):
    article, preview = draft_preview
    response = get(client, content_type="kratom_pages.articlepage", token=preview.token)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Draft title"
    live = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert live["title"] != "Draft title"


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_preview_has_the_same_shape_as_the_published_detail(client, draft_preview, version):
    article, preview = draft_preview
    draft = client.get(
        f"/api/{version}/page_preview/",
        {"content_type": "kratom_pages.articlepage", "token": preview.token},
    ).json()
    published = client.get(f"/api/{version}/pages/{article.pk}/").json()
    assert set(draft) == set(published)
    assert set(draft["meta"]) == set(published["meta"])
    assert [b["type"] for b in draft["body"]] == [b["type"] for b in published["body"]]


@pytest.mark.django_db
@pytest.mark.parametrize("get", [_v2, _v3])
@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({}, 400, "content_type"),
        ({"content_type": "kratom_pages.articlepage"}, 400, "token"),
        ({"content_type": "nope.nothing", "token": "x"}, 400, "Unknown content_type"),
        ({"content_type": "kratom_pages.articlepage", "token": "forged:token"}, 403, "not valid"),
    ],
)
def test_missing_or_wrong_token_is_a_clear_4xx(client, draft_preview, get, params, status, words):
    response = get(client, **params)
    assert response.status_code == status
    body = response.json()
    message = body.get("message") or body.get("detail")
    assert words in message


@pytest.mark.django_db
@pytest.mark.parametrize("get", [_v2, _v3])
def test_expired_token_is_refused(client, settings, draft_preview, get):
    _article, preview = draft_preview
    settings.KRATOM_PAGES = {"PREVIEW_TOKEN_MAX_AGE": -1}
    response = get(client, content_type="kratom_pages.articlepage", token=preview.token)
    assert response.status_code == 403
    body = response.json()
    assert "expired" in (body.get("message") or body.get("detail"))


@pytest.mark.django_db
def test_token_for_another_page_type_is_refused(client, draft_preview):
    _article, preview = draft_preview
    response = _v2(client, content_type="kratom_pages.faqpage", token=preview.token)
    assert response.status_code == 404


@pytest.mark.django_db
def test_expired_previews_are_cleaned_up(draft_preview, faq_page):
    from datetime import date, timedelta

    from django.core.management import call_command

    _article, old = draft_preview
    PagePreview.objects.filter(pk=old.pk).update(created_at=date.today() - timedelta(days=3))
    fresh = faq_page.create_page_preview()
    call_command("purge_page_previews")
    assert list(PagePreview.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_drafts_are_never_stored_by_shared_caches(client, draft_preview, version):
    _article, preview = draft_preview
    response = client.get(
        f"/api/{version}/page_preview/",
        {"content_type": "kratom_pages.articlepage", "token": preview.token},
    )
    assert response.status_code == 200 and response.json()["title"] == "Draft title"
    directives = response["Cache-Control"]
    assert "private" in directives and "no-store" in directives and "public" not in directives


def _claim_data(page):
    from tests.test_evidence import _article_form_data

    heading = ("heading", {"text": "Previewed heading", "level": "h2", "anchor": ""})
    paragraph = ("paragraph", rich_text("Draft words the content checks count."))
    return _article_form_data(page, [heading, paragraph])


def _checked_main(html: str) -> str:
    start = html.index("<main")
    return html[start : html.index("</main>", start)]


@pytest.mark.django_db
@override_settings(WAGTAIL_HEADLESS_PREVIEW=HEADLESS)
def test_headless_preview_gives_the_content_checks_the_draft_text(admin_client, article):
    """Wagtail's checks panel reads ``main`` in the preview frame through the userbar's
    extractor; the frontend's frame is on another origin, so the draft is rendered here too."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert admin_client.post(url, _claim_data(article)).json()["is_valid"]
    html = admin_client.get(url).content.decode()
    assert '<iframe class="kp-preview-frame" src="http://frontend.test/preview/?' in html
    main = _checked_main(html)
    assert "Previewed heading" in main and "Draft words the content checks count." in main
    assert "<wagtail-userbar" in html  # registers the extractor the checks panel calls
    assert '<html lang="en">' in html  # reading speed follows the content language


@pytest.mark.django_db
@override_settings(WAGTAIL_HEADLESS_PREVIEW={**HEADLESS, "REDIRECT_ON_PREVIEW": True})
def test_headless_preview_can_still_redirect_to_the_frontend(admin_client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert admin_client.post(url, _edit_data(article)).json()["is_valid"]
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("http://frontend.test/preview/?")


@pytest.mark.django_db
def test_server_rendered_preview_has_the_userbar_the_checks_panel_needs(admin_client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert admin_client.post(url, _claim_data(article)).json()["is_valid"]
    html = admin_client.get(url).content.decode()
    assert "<wagtail-userbar" in html
    assert "Draft words the content checks count." in _checked_main(html)


@pytest.mark.django_db
def test_published_pages_carry_no_userbar(admin_client, article):
    response = admin_client.get(article.url)  # an editor sees what every reader sees
    assert response.status_code == 200
    assert "wagtail-userbar" not in response.content.decode()
