"""Project-level promises: migrations complete, settings checked, API lists our types."""

from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_default_settings_pass_our_checks():
    ids = [e.id for e in run_checks() if e.id.startswith("kratom_pages")]
    assert ids == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], "kratom_pages.E001"),
        ({"NOPE": 1}, "kratom_pages.E002"),
        ({"INDEX_PAGE_SIZE": 0}, "kratom_pages.E003"),
        ({"FAQ_MARKUP": "articles"}, "kratom_pages.E064"),
        ({"RICH_TEXT_FEATURES": "bold"}, "kratom_pages.E004"),
        ({"RENDITIONS": {"small": "bogus-spec"}}, "kratom_pages.E005"),
        (
            {"RENDITIONS": {"small": "width-100"}, "SOCIAL_IMAGE_RENDITION": "og"},
            "kratom_pages.E006",
        ),
        ({"SOCIAL_IMAGE_SPEC": "bogus-spec"}, "kratom_pages.E006"),
        ({"RICH_TEXT_FORMAT": "pdf"}, "kratom_pages.E007"),
        ({"REPLY_RATE_LIMIT": "five a minute"}, "kratom_pages.E043"),
        ({"API_CACHE": "nowhere"}, "kratom_pages.E040"),
        ({"API_CACHE_SHARED": "yes"}, "kratom_pages.E041"),
        ({"CDN_PURGE_PATHS": ["/api/v2/pages/"]}, "kratom_pages.E042"),
    ],
)
def test_bad_settings_are_reported_by_system_checks(settings, value, expected):
    settings.KRATOM_PAGES = value
    ids = [e.id for e in run_checks() if e.id.startswith("kratom_pages")]
    assert expected in ids


@pytest.mark.django_db
def test_api_lists_the_three_content_types(client, article, guideline_page, faq_page):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    types = {item["meta"]["type"] for item in response.json()["items"]}
    assert {
        "kratom_pages.ArticlePage",
        "kratom_pages.GuidelineListPage",
        "kratom_pages.FAQPage",
    } <= types


def test_missing_required_apps_are_reported(monkeypatch):
    from django.apps import apps

    from kratom_pages.checks import _check_required_apps

    assert _check_required_apps() == []
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail_headless_preview" and installed(name)
    )
    assert [e.id for e in _check_required_apps()] == ["kratom_pages.E008"]
