"""The API v3 OpenAPI document as served: valid for an independent validator, our schema
components named apart from Wagtail's, and every response our operations send, errors
included, documented (status and content type) and valid against its documented schema."""

from urllib.parse import urlencode

import pydantic
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from kratom_pages.models import ReaderReply
from tests.factories import ReaderReplyFactory


@pytest.fixture
def document(client, db):
    return client.get("/api/v3/openapi.json").json()


def _operation(document, path):
    return document["paths"][path]["get"]


def assert_documented(document, path, response):
    """``response`` has a documented status and content type, and its body validates
    against the schema documented for them."""
    responses = _operation(document, path)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{path} answered {status}, documented: {sorted(responses)}"
    content_type = response["Content-Type"].split(";")[0]
    content = responses[status].get("content", {})
    assert content_type in content, f"{path} {status} sent {content_type}, not {list(content)}"
    schema = {**content[content_type]["schema"], "components": document["components"]}
    errors = list(OAS31Validator(schema).iter_errors(response.json()))
    assert not errors, [error.message for error in errors]


def test_the_served_document_is_valid_openapi(document):
    validate(document)  # raises on any error


def test_anonymous_access_is_an_empty_security_requirement(document):
    assert "AllowAnonymous" not in document["components"]["securitySchemes"]
    requirements = [
        requirement
        for item in document["paths"].values()
        for operation in item.values()
        for requirement in operation.get("security", [])
    ]
    assert {} in requirements
    assert all("AllowAnonymous" not in requirement for requirement in requirements)


def test_our_image_schema_leaves_wagtails_images_endpoint_its_own(document):
    components = document["components"]["schemas"]
    assert "renditions" in components["KratomImageSchema"]["properties"]
    assert "renditions" not in components["ImageSchema"]["properties"]
    detail = _operation(document, "/api/v3/images/{image_id}/")["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("/ImageSchema")


def _all_models(base=pydantic.BaseModel):
    for model in base.__subclasses__():
        yield model
        yield from _all_models(model)


def test_no_schema_of_ours_shares_a_component_name_with_another_model(document):
    """OpenAPI components are keyed by class name: a clash replaces one of the two."""
    ours, others = set(), set()
    for model in _all_models():
        (ours if model.__module__.startswith("kratom_pages") else others).add(model.__name__)
    assert not ours & others


@pytest.mark.django_db
def test_every_reader_replies_response_is_documented(client, document, article):
    path = "/api/v3/replies/"
    ReaderReplyFactory(page=article, status=ReaderReply.Status.APPROVED)
    cases = {
        f"page={article.pk}": 200,
        f"page={article.pk}&limit=1000": 400,  # ours, a problem document
        "page=%00": 400,  # refused by the middleware before any view
        "page=999999": 404,
        "page=abc": 400,  # the middleware's integer check
        "": 422,  # no page: ninja's own validation
    }
    for query, status in cases.items():
        response = client.get(f"{path}?{query}")
        assert response.status_code == status, (query, response.content[:200])
        assert_documented(document, path, response)


@pytest.mark.django_db
def test_every_page_preview_response_is_documented(client, document, article):
    path = "/api/v3/page_preview/"
    article.title = "Draft title"
    article.save_revision()
    preview = article.get_latest_revision_as_object().create_page_preview()
    cases = {
        urlencode({"content_type": "kratom_pages.articlepage", "token": preview.token}): 200,
        "content_type=&token=": 400,
        "content_type=kratom_pages.articlepage&token=forged": 403,
        "content_type=%01": 400,  # the middleware's
    }
    for query, status in cases.items():
        response = client.get(f"{path}?{query}")
        assert response.status_code == status, (query, response.content[:200])
        assert_documented(document, path, response)
    # A valid token whose preview has been purged.
    query = urlencode({"content_type": "kratom_pages.articlepage", "token": preview.token})
    preview.delete()
    response = client.get(f"{path}?{query}")
    assert response.status_code == 404
    assert_documented(document, path, response)
