"""The API v3 OpenAPI document as served: corrections applied after django-ninja builds it.

- Wagtail 8.0.1 documents its ``AllowAnonymous`` auth as ``{"type": "http"}`` with no
  ``scheme``, which OpenAPI forbids (validators reject the whole document). Anonymous
  access is what OpenAPI's empty security requirement ``{}`` says, so each requirement
  naming it becomes ``{}`` and the scheme goes. (Reported upstream; drop this then.)
- Our operations' errors are RFC 7807 problem documents, sent as
  ``application/problem+json`` by Wagtail's handlers; ninja documents every response as
  ``application/json``. Their 400 may also come from ``APIErrorMiddleware``, before any
  view, as ``{"message": ...}`` in ``application/json``: both are documented.
"""

from functools import wraps

from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail

ANONYMOUS_SCHEME = "AllowAnonymous"
# The operations kratom-pages adds (kratom_pages.api.v3) and the errors each answers.
OPERATION_ERRORS = {
    "reader_replies_list": (400, 404, 422),
    "page_preview": (400, 403, 404, 422),
    "sitemap": (400, 404, 422),
    "feed": (400, 404, 422),
}
MIDDLEWARE_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}


def error_responses(operation_id: str) -> dict[int, type]:
    """The ``response=`` entries of an operation's errors, for its decorator."""
    return dict.fromkeys(OPERATION_ERRORS[operation_id], ProblemDetail)


def corrected(document: dict) -> dict:
    """``document`` with the corrections above applied (in place; also returned)."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    if schemes.get(ANONYMOUS_SCHEME, {}).get("scheme") is None and ANONYMOUS_SCHEME in schemes:
        del schemes[ANONYMOUS_SCHEME]
        for operation in _operations(document):
            if "security" in operation:
                operation["security"] = [
                    {} if ANONYMOUS_SCHEME in requirement else requirement
                    for requirement in operation["security"]
                ]
    for operation in _operations(document):
        if operation.get("operationId") not in OPERATION_ERRORS:
            continue
        for status, response in operation.get("responses", {}).items():
            if not str(status).startswith("4") or "application/json" not in response.get(
                "content", {}
            ):
                continue
            content = response["content"]
            content[PROBLEM_JSON] = content.pop("application/json")
            if str(status) == "400":
                content["application/json"] = {"schema": MIDDLEWARE_ERROR_SCHEMA}
    return document


def _operations(document: dict):
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options"}:
                yield operation


def install(api) -> None:
    """Serve ``api``'s document corrected. Safe to call twice."""
    original = api.get_openapi_schema
    if getattr(original, "kratom_corrected", False):
        return

    @wraps(original)
    def get_openapi_schema(*args, **kwargs):
        return corrected(original(*args, **kwargs))

    get_openapi_schema.kratom_corrected = True
    api.get_openapi_schema = get_openapi_schema
