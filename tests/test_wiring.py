"""What a new project gets from INSTALLED_APPS and the README's wiring alone."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection
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
        if connection.vendor != "sqlite":  # PostgreSQL's full-text search parses it
            assert response.status_code == 200, (version, response.content[:200])
            continue
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


@pytest.fixture
def public_site(settings, index_page):
    """A site whose public address is neither the request's host nor the admin's."""
    from wagtail.models import Site

    settings.WAGTAILADMIN_BASE_URL = "http://example.com"  # what `wagtail start` leaves
    Site.objects.filter(is_default_site=True).update(hostname="www.health.test", port=443)
    return "https://www.health.test"


@pytest.mark.django_db
def test_every_absolute_url_follows_one_base_url_rule(client, public_site, index_page):
    import wagtail_factories

    from kratom_pages.publishing import cdn, webhooks
    from tests.factories import ArticlePageFactory

    image = wagtail_factories.ImageFactory(title="Leaves")
    page = ArticlePageFactory.build(slug="urls", hero_image=image)
    index_page.add_child(instance=page)
    publish(page)
    v2 = client.get(f"/api/v2/pages/{page.pk}/").json()
    v3 = client.get(f"/api/v3/pages/{page.pk}/").json()
    urls = [
        v2["meta"]["html_url"],
        v2["meta"]["detail_url"],
        v2["seo"]["canonical_url"],
        v2["seo"]["og_image"]["url"],
        *(r["url"] for r in v2["hero_image"]["renditions"].values()),
        v3["meta"]["html_url"],
        v3["meta"]["detail_url"],
        v3["seo"]["canonical_url"],
        *(r["url"] for r in v3["hero_image"]["renditions"].values()),
        webhooks.page_event("publish", page)["page"]["url"],
        *cdn.api_urls([page.pk]),
    ]
    graph = v2["structured_data"]["@graph"]
    urls += [node["url"] for node in graph if "url" in node]
    assert urls and all(url.startswith(public_site + "/") for url in urls), urls
    assert v2["seo"]["canonical_url"] == v3["seo"]["canonical_url"] == page.full_url
    html = client.get(page.url).content.decode()
    assert f'<link rel="canonical" href="{public_site}/' in html
    assert "example.com" not in html and "testserver" not in str(urls)


@pytest.mark.django_db
def test_alt_text_is_the_same_in_the_api_and_the_page(client, index_page):
    import wagtail_factories

    from tests.factories import ArticlePageFactory

    described = wagtail_factories.ImageFactory(title="IMG_2231.jpg", description="Dried leaves")
    page = ArticlePageFactory.build(
        slug="alt",
        hero_image=described,
        body=[{"type": "image", "value": {"image": described.pk, "caption": "", "alt_text": ""}}],
    )
    index_page.add_child(instance=page)
    publish(page)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["hero_image"]["alt"] == "Dried leaves"  # the description, not the file name
    assert 'alt="Dried leaves"' in client.get(page.url).content.decode()
    assert "IMG_2231" not in client.get(page.url).content.decode().split("<main")[1]


@pytest.mark.django_db
def test_a_disclaimer_in_the_body_is_not_repeated_by_the_api(client, settings, index_page):
    from kratom_pages.models import HealthContentSettings
    from tests.factories import ArticlePageFactory

    site_default = "<p>General information only; talk to a clinician.</p>"
    settings_row = HealthContentSettings.for_site(index_page.get_site())
    settings_row.default_disclaimer = site_default
    settings_row.save()
    callout = {"variant": "disclaimer", "title": "Not advice", "body": "<p>Ask a doctor.</p>"}
    with_callout = ArticlePageFactory.build(
        slug="with", body=[{"type": "callout", "value": callout}]
    )
    without = ArticlePageFactory.build(slug="without", body=[])
    for page in (with_callout, without):
        index_page.add_child(instance=page)
        publish(page)
    for version in ("v2", "v3"):
        data = client.get(f"/api/{version}/pages/{with_callout.pk}/").json()
        assert (data["disclaimer"], data["disclaimer_in_body"]) == ("", True)
        data = client.get(f"/api/{version}/pages/{without.pk}/").json()
        assert data["disclaimer_in_body"] is False
        assert "talk to a clinician" in data["disclaimer"]
    # The page itself says it once, like the API.
    html = client.get(with_callout.url).content.decode().split("<footer")[0]
    assert html.count("talk to a clinician") == 0 and html.count("Ask a doctor") == 1
