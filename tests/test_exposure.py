"""Only what should be public is public, in every endpoint, for every page type."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site

from kratom_pages.models import KratomIndexPage, ReaderReply, Reviewer
from tests.factories import (
    ArticlePageFactory,
    FAQPageFactory,
    GuidelineListPageFactory,
    KratomIndexPageFactory,
)

FACTORIES = {
    "article": ArticlePageFactory,
    "guidelines": GuidelineListPageFactory,
    "faq": FAQPageFactory,
    "index": KratomIndexPageFactory,
}


def _make(kind, parent, slug, publish=True):
    page = FACTORIES[kind].build(slug=slug, title=f"Hidden {kind} {slug}")
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def _restrict(page, state):
    if state == "password":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif state == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif state == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Members"))


def _hidden_page(kind, state, index_page):
    if state == "draft":
        page = _make(kind, index_page, "draft", publish=False)
        page.live = False
        page.save()
        return page
    if state == "other_site":
        root = Page.get_first_root_node()
        other_root = root.add_child(instance=KratomIndexPage(title="Other site", slug="other-site"))
        other_root.save_revision().publish()
        Site.objects.create(hostname="other.example", root_page=other_root)
        return _make(kind, other_root, "elsewhere")
    page = _make(kind, index_page, state)
    if state == "unpublished":
        page.unpublish()
    else:
        _restrict(page, state)
    return page


ENDPOINTS = {
    "v2 detail": lambda c, p: c.get(f"/api/v2/pages/{p.pk}/"),
    "v3 detail": lambda c, p: c.get(f"/api/v3/pages/{p.pk}/"),
    "v2 replies": lambda c, p: c.get("/api/v2/replies/", {"page": p.pk}),
    "v3 replies": lambda c, p: c.get("/api/v3/replies/", {"page": p.pk}),
    "v2 find": lambda c, p: c.get("/api/v2/pages/find/", {"html_path": "/" + p.slug + "/"}),
}
LISTINGS = ["/api/v2/pages/?limit=100", "/api/v3/pages/?limit=100"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(FACTORIES))
@pytest.mark.parametrize(
    "state", ["draft", "unpublished", "password", "login", "groups", "other_site"]
)
def test_non_public_pages_are_never_served(client, index_page, kind, state):
    hidden = _hidden_page(kind, state, index_page)
    for name, get in ENDPOINTS.items():
        response = get(client, hidden)
        assert response.status_code in (400, 404), (name, response.status_code)
    for url in LISTINGS:
        ids = [item["id"] for item in client.get(url).json()["items"]]
        assert hidden.pk not in ids, url


@pytest.mark.django_db
def test_alias_of_a_live_page_is_served_like_the_page(client, index_page, article):
    other = _make("index", index_page, "alias-parent")
    alias = article.create_alias(parent=other, update_slug="article-alias")
    data = client.get(f"/api/v2/pages/{alias.pk}/").json()
    assert data["meta"]["alias_of"]["id"] == article.pk
    assert data["title"] == article.title


@pytest.mark.django_db
def test_no_endpoint_leaks_private_fields(client, article, faq_page):
    reviewer = Reviewer.objects.create(
        name="Dr Pub", credentials="MD", email="private-reviewer@example.com"
    )
    article.reviewed_by = reviewer
    article.save_revision().publish()
    ReaderReply.objects.create(
        page=article,
        display_name="Reader",
        email="private-reader@example.com",
        body="Public words",
        status="approved",
        ip_hash="deadbeef" * 8,
        moderation_note="private note",
    )
    urls = [
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=*",
        f"/api/v3/pages/{article.pk}/",
        f"/api/v2/replies/?page={article.pk}",
        f"/api/v3/replies/?page={article.pk}",
        article.url,
    ]
    for url in urls:
        text = client.get(url).content.decode()
        for secret in (
            "private-reviewer@example.com",
            "private-reader@example.com",
            "deadbeef",
            "private note",
        ):
            assert secret not in text, (url, secret)
    assert "Public words" in json.dumps(client.get(f"/api/v2/replies/?page={article.pk}").json())
