"""The Wagtail admin: every page type can be created and edited; bad input gives field
errors, not a 500, and saves nothing."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kratom_pages.models import ArticlePage, FAQPage, GuidelineListPage


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["index_page", "article", "guideline_page", "faq_page"])
def test_edit_view_answers_200_for_a_superuser(admin_client, request, fixture):
    page = request.getfixturevalue(fixture)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ArticlePage, GuidelineListPage, FAQPage])
def test_create_view_answers_200_for_a_superuser(admin_client, index_page, model):
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, index_page.pk],
    )
    assert admin_client.get(url).status_code == 200


def _faq_post_data(title, *questions):
    return nested_form_data(
        {
            "title": title,
            "slug": "posted-faq",
            "intro": rich_text(""),
            "author_name": "",
            "published_date": "",
            "body": streamfield(
                [
                    (
                        "faq",
                        {
                            "heading": "Basics",
                            "items": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "question": q,
                                            "answer": rich_text("An answer"),
                                            "citations": streamfield([]),
                                        },
                                    )
                                    for q in questions
                                ]
                            ),
                        },
                    )
                ]
            ),
        }
    )


def _add_url(index_page):
    return reverse("wagtailadmin_pages:add", args=["kratom_pages", "faqpage", index_page.pk])


@pytest.mark.django_db
def test_duplicate_question_in_admin_gives_field_error_and_saves_nothing(admin_client, index_page):
    data = _faq_post_data("Posted FAQ", "Is it legal?", "is it legal")
    response = admin_client.post(_add_url(index_page), data)
    assert response.status_code == 200
    assert "This question repeats question 1." in response.content.decode()
    assert not FAQPage.objects.filter(slug="posted-faq").exists()


@pytest.mark.django_db
def test_valid_faq_posted_in_admin_is_saved(admin_client, index_page):
    data = _faq_post_data("Posted FAQ", "Is it legal?", "Is it safe?")
    response = admin_client.post(_add_url(index_page), data)
    assert response.status_code == 302
    page = FAQPage.objects.get(slug="posted-faq")
    assert [i["question"] for i in page.body[0].value["items"]] == ["Is it legal?", "Is it safe?"]
