import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from tests.factories import (
    ArticlePageFactory,
    FAQPageFactory,
    GuidelineListPageFactory,
    KratomIndexPageFactory,
)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def cold_get(client, settings, url, **extra):
    """``client.get`` with the API cache switched off: what a cold read answers."""
    previous = settings.KRATOM_PAGES
    settings.KRATOM_PAGES = {**previous, "API_CACHE": "dummy"}
    try:
        return client.get(url, **extra)
    finally:
        settings.KRATOM_PAGES = previous


def redis_unreachable(url: str) -> str | None:
    """Why Redis at ``url`` cannot be used (for a skip reason), or None when it answers."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis not reachable at {url}: {exc}"
    return None


@pytest.fixture(autouse=True)
def _api_cache_trusted():
    """Each test starts with the breaker closed and the cache taken as current (no check
    against the change records in its first request, which would add queries)."""
    from kratom_pages.publishing import breaker, outbox

    breaker.reset()
    outbox.mark_current()
    yield
    breaker.reset()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run ``action`` and then its on-commit callbacks (deliveries, purges), as a commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def root_page(db):
    # A transactional test's flush also removes the root Wagtail's migrations made.
    root = Page.get_first_root_node()
    if root is None:
        locale, _created = Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@pytest.fixture
def index_page(root_page):
    index = KratomIndexPageFactory.build(slug="kratom")
    root_page.add_child(instance=index)
    publish(index)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": index},
    )
    return index


def _child(factory, parent, **kwargs):
    page = factory.build(**kwargs)
    parent.add_child(instance=page)
    return publish(page)


@pytest.fixture
def article(index_page):
    return _child(ArticlePageFactory, index_page, slug="article")


@pytest.fixture
def guideline_page(index_page):
    return _child(GuidelineListPageFactory, index_page, slug="guidelines")


@pytest.fixture
def faq_page(index_page):
    return _child(FAQPageFactory, index_page, slug="faq")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


# --- the medical review workflow (tests/test_medical_review.py, tests/test_review_loop.py) --


def _user(django_user_model, name, *groups):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    user.groups.add(*groups)
    return user


@pytest.fixture
def editors(index_page):
    group = Group.objects.create(name="Health editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=index_page, permission=Permission.objects.get(codename=codename)
        )
    return group


@pytest.fixture
def reviewers_group(index_page):
    group = Group.objects.create(name="Medical reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    # Approving the last task publishes the page, as the reviewer.
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=index_page, permission=Permission.objects.get(codename=codename)
        )
    return group


@pytest.fixture
def review_workflow(index_page, reviewers_group):
    from kratom_pages.models import MedicalReviewTask

    workflow = Workflow.objects.create(name="Medical review")
    task = MedicalReviewTask.objects.create(name="Medical sign-off")
    task.groups.add(reviewers_group)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=index_page)
    return workflow


@pytest.fixture
def editor(django_user_model, editors):
    return _user(django_user_model, "editor", editors)


@pytest.fixture
def reviewer_user(django_user_model, reviewers_group):
    from kratom_pages.models import Reviewer

    user = _user(django_user_model, "drrev", reviewers_group)
    Reviewer.objects.create(name="Dr Rev", credentials="PharmD", user=user)
    return user


@pytest.fixture
def second_reviewer(django_user_model, reviewers_group):
    from kratom_pages.models import Reviewer

    user = _user(django_user_model, "drtwo", reviewers_group)
    Reviewer.objects.create(name="Dr Two", credentials="MD", user=user)
    return user
