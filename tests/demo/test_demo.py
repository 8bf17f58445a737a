"""The example site's demo loader."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from kratom_pages.models import ArticlePage, FAQPage, GuidelineListPage, KratomIndexPage
from tests.test_api import _walk


def _snapshot():
    return (
        list(
            Page.objects.order_by("path").values_list("path", "slug", "live", "latest_revision_id")
        ),
        Revision.objects.count(),
        get_image_model().objects.count(),
        list(Site.objects.values_list("root_page_id", flat=True)),
    )


@pytest.mark.django_db
def test_demo_loader_builds_the_three_pages_under_the_site_root():
    call_command("load_demo_content", verbosity=0)
    index = KratomIndexPage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == index.pk
    for model in (ArticlePage, GuidelineListPage, FAQPage):
        page = model.objects.get()
        assert page.live and page.get_parent().pk == index.pk


@pytest.mark.django_db
def test_demo_loader_is_idempotent():
    call_command("load_demo_content", verbosity=0)
    first = _snapshot()
    call_command("load_demo_content", verbosity=0)
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_reset_rebuilds_the_pages():
    call_command("load_demo_content", verbosity=0)
    old_pk = ArticlePage.objects.get().pk
    call_command("load_demo_content", reset=True, verbosity=0)
    assert ArticlePage.objects.get().pk != old_pk


@pytest.mark.django_db
def test_demo_article_has_the_seed_shape_and_sources_every_claim():
    call_command("load_demo_content", verbosity=0)
    article = ArticlePage.objects.get()
    types = [block.block_type for block in article.body]
    assert types[0] == "callout" and article.body[0].value["variant"] == "disclaimer"
    for expected in ("heading", "numbered_sections", "guidelines", "conclusion", "faq"):
        assert expected in types
    assert types.index("conclusion") < types.index("faq")
    sections = next(b for b in article.body if b.block_type == "numbered_sections")
    items = sections.value["items"]
    assert len(items) == 7
    for item in items:
        assert [s for s in item["citations"] if s], f"{item['heading']} has no source"
        assert item["evidence_level"] in {"strong", "moderate", "limited", "anecdotal", "none"}
        assert "What this rests on:" in item["body"].source


@pytest.mark.django_db
def test_demo_pages_render(client):
    call_command("load_demo_content", verbosity=0)
    for model in (KratomIndexPage, ArticlePage, GuidelineListPage, FAQPage):
        response = client.get(model.objects.get().url)
        assert response.status_code == 200
    article = client.get(ArticlePage.objects.get().url).content.decode()
    assert "not medical advice" in article


@pytest.mark.django_db
def test_demo_admin_password_comes_from_the_environment(monkeypatch, django_user_model):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "s3cret-demo")
    call_command("ensure_demo_admin", verbosity=0)
    user = django_user_model.objects.get(username="admin")
    assert user.is_superuser and user.check_password("s3cret-demo")


@pytest.mark.django_db
def test_demo_article_api_detail_has_everything_to_render_it(client):
    call_command("load_demo_content", verbosity=0)
    article = ArticlePage.objects.get()
    data = client.get(f"/api/v2/pages/{article.pk}/").json()

    for path, value in _walk(data["body"], "body"):
        if type(value) is int and not path.endswith(("number", "width", "height", "year")):
            assert path.endswith(".id"), f"bare id at {path}"
    types = [child["type"] for child in data["body"]]
    assert {"image", "numbered_sections", "guidelines", "faq", "related_pages"} <= set(types)
    related = next(c for c in data["body"] if c["type"] == "related_pages")["value"]["pages"]
    assert [link["type"] for link in related] == [
        "kratom_pages.GuidelineListPage",
        "kratom_pages.FAQPage",
    ]
    # Absolute, on the demo site's own address (the one base-URL rule), as the page's URL is.
    site_root = data["meta"]["html_url"].split("/kratom-and", 1)[0]
    assert site_root.startswith("http")
    assert data["hero_image"]["renditions"]["og"]["url"].startswith(site_root + "/media/")


@pytest.mark.django_db
def test_every_demo_source_passes_the_editors_validation_and_names_no_journal_as_author():
    from example_site.demo import sources
    from kratom_pages.models import Source

    call_command("load_demo_content", verbosity=0)
    assert Source.objects.count() == len(sources.ALL)
    for source in Source.objects.all():
        source.full_clean()  # a URL or a DOI, a plausible year
        assert source.link.startswith("https://"), source.title
        assert "Journal" not in source.authors and "Dependence" not in source.authors


@pytest.mark.django_db
def test_demo_sets_up_the_medical_review_workflow_and_a_reviewer_account(
    monkeypatch, django_user_model
):
    from wagtail.models import WorkflowPage

    from kratom_pages.models import MedicalReviewTask, Reviewer

    monkeypatch.setenv("DEMO_REVIEWER_PASSWORD", "rev-demo")
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_content", verbosity=0)  # idempotent
    call_command("ensure_demo_admin", verbosity=0)
    index = KratomIndexPage.objects.get()
    workflow = WorkflowPage.objects.get(page=index).workflow
    task = workflow.tasks.get().specific
    assert isinstance(task, MedicalReviewTask)
    reviewer = django_user_model.objects.get(username="reviewer")
    assert reviewer.check_password("rev-demo") and not reviewer.is_superuser
    assert list(task.groups.all()) == list(reviewer.groups.all())
    assert Reviewer.objects.get(user=reviewer).credentials == "PharmD"


@pytest.mark.django_db
def test_demo_pages_claim_their_review_from_a_record_of_it(client):
    """The demo reviewer signs every demo page off through the workflow: what the byline,
    the API and JSON-LD say comes from that record, and covers the live content."""
    from kratom_pages.models import ReviewRecord

    call_command("load_demo_content", verbosity=0)
    for model in (ArticlePage, GuidelineListPage, FAQPage):
        page = model.objects.get()
        data = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert data["review"]["covers_live_content"] is True, model
        assert data["reviewed_by"]["name"] == data["review"]["reviewer"]["name"]
        record = ReviewRecord.objects.get(page_id=page.pk)
        assert record.outcome == "approved" and record.revision_id == page.live_revision_id
    call_command("load_demo_content", verbosity=0)  # again: no second sign-off
    assert ReviewRecord.objects.count() == 3


def test_the_admin_offers_the_languages_the_plugin_is_translated_into():
    from pathlib import Path

    import kratom_pages
    from example_site.settings import base

    shipped = {path.name for path in (Path(kratom_pages.__file__).parent / "locale").iterdir()}
    offered = {code for code, _name in base.WAGTAILADMIN_PERMITTED_LANGUAGES}
    assert offered == shipped | {"en"}
