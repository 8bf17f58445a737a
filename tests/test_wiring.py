"""What a new project gets from INSTALLED_APPS and the README's wiring alone."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from tests.conftest import publish

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_api_v3_gets_the_visibility_rule_without_any_wiring_call(client, article):
    """tests/urls.py mounts Wagtail's v3 ``api.urls`` and calls nothing of ours."""
    article.expire_at = timezone.now() - timedelta(minutes=1)
    article.save(update_fields=["expire_at"])  # past expiry, before publish_scheduled runs
    assert client.get(f"/api/v3/pages/{article.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    assert client.get(f"/api/v3/replies/?page={article.pk}").status_code == 404
    assert client.get("/api/v3/page_preview/?content_type=x&token=y").status_code == 400


@pytest.mark.django_db
def test_an_expired_page_is_404_on_its_own_url(client, article):
    assert client.get(article.url).status_code == 200
    article.expire_at = timezone.now() - timedelta(seconds=1)
    article.save(update_fields=["expire_at"])
    assert client.get(article.url).status_code == 404


@pytest.mark.django_db
def test_a_page_expiring_later_is_served(client, article):
    article.expire_at = timezone.now() + timedelta(days=1)
    publish(article)
    assert client.get(article.url).status_code == 200


def test_apis_mounted_after_wagtails_catch_all_are_reported(settings):
    settings.ROOT_URLCONF = "tests.wiring_urls"
    errors = [m for m in run_checks() if m.id == "kratom_pages.E009"]
    assert [e.msg.split(" is mounted")[0] for e in errors] == ["API v3", "API v2"]
    assert "before include(wagtail_urls)" in errors[0].hint


def test_apis_mounted_before_the_catch_all_pass():
    assert not [m for m in run_checks() if m.id == "kratom_pages.E009"]


@pytest.mark.django_db
def test_a_search_the_database_cannot_parse_is_400_in_v3_without_our_middleware(
    client, settings, article
):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "kratom_pages" not in m]
    for version in ("v2", "v3"):
        response = client.get(f'/api/{version}/pages/?search=a" OR 1=1--')
        assert response.status_code == 400, (version, response.content[:200])
        assert "search" in response.json()["message"]


def test_a_missing_required_app_is_named_not_a_runtime_error(tmp_path):
    settings_module = tmp_path / "no_preview_settings.py"
    settings_module.write_text(
        "from tests.settings import *\n"
        "INSTALLED_APPS = [a for a in INSTALLED_APPS if a != 'wagtail_headless_preview']\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "DJANGO_SETTINGS_MODULE": "no_preview_settings"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: kratom-pages needs 'wagtail_headless_preview'" in result.stderr
    assert "RuntimeError" not in result.stderr
