"""API v3 failures answered by cause, with no backend's text, even without our middleware.

A database refusing the request's own values (an FTS5 or tsquery syntax error in
``?search=``, a number out of range) is the client's mistake: 400 naming the parameter,
as v2 answers. A database outage is 503.

Wagtail's v3 maps every pydantic ``ValidationError`` to 422 "Validation failed" with the
errors listed. When the *response* fails to validate because reading an attribute raised
(``meta.html_url`` reads the site root paths from the default cache, or a row from the
database), that list carries the backend's exception text ("OperationalError: no such
table: ...") to the client, as a client error. Such a failure is answered as a database
or cache outage (503, JSON ``{"message": ...}`` as v2 answers) when it is one, as a 500
with no detail otherwise, and logged in full here.
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from kratom_pages.middleware import is_cache_outage, unavailable_response

logger = logging.getLogger(__name__)

_OUTAGE_NAMES = ("OperationalError", "InterfaceError", "ConnectionError", "TimeoutError")


def _errors(exc) -> list[dict]:
    return list(exc.errors() if callable(getattr(exc, "errors", None)) else exc.errors)


def _is_response_failure(errors: list[dict]) -> bool:
    return any(tuple(error.get("loc") or ())[:1] == ("response",) for error in errors)


def _is_outage(exc: BaseException, errors: list[dict]) -> bool:
    causes = [exc.__cause__, exc.__context__]
    if any(isinstance(c, OperationalError | InterfaceError) or is_cache_outage(c) for c in causes):
        return True
    # pydantic keeps only the text of an attribute getter's exception.
    return any(str((e.get("ctx") or {}).get("error", "")).startswith(_OUTAGE_NAMES) for e in errors)


def database_error(request, exc: DatabaseError):
    from django.http import JsonResponse

    from kratom_pages.api import bounds

    refusal = bounds.database_refusal(exc, request.GET)
    if refusal is not None:
        logger.info("Query refused by the database for %s: %s", request.path, exc)
        return JsonResponse(refusal.as_dict(), status=400)
    if isinstance(exc, OperationalError | InterfaceError):
        logger.exception("Database unavailable while serving %s", request.path)
        return unavailable_response()
    raise exc  # a bug: Django's 500, logged with its traceback


def install(api) -> None:
    """Put our handlers in front of Wagtail's for validation and database errors (safe to
    call twice)."""
    handlers = api._exception_handlers
    handlers.setdefault(DatabaseError, database_error)
    for exc_class in (PydanticValidationError, NinjaValidationError):
        core = handlers.get(exc_class)
        if core is None or getattr(core, "kratom_server_failures", False):
            continue

        def handler(request, exc, core=core):
            errors = _errors(exc)
            if not _is_response_failure(errors):
                return core(request, exc)  # the client's mistake: Wagtail's 422
            logger.error("API v3 response for %s failed: %s", request.path, errors)
            if _is_outage(exc, errors):
                return unavailable_response()
            from wagtail.api.v3.errors import problem_response

            return problem_response(status=500, detail="Internal server error")

        handler.kratom_server_failures = True
        handlers[exc_class] = handler
