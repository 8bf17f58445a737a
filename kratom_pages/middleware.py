"""API failures as JSON, by cause: a request out of bounds, or one whose values the
database rejects, answers 400 naming the parameter; a database or cache outage answers 503."""

import logging
import re

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

from kratom_pages.api import bounds

logger = logging.getLogger(__name__)

_OUTAGES = (OperationalError, InterfaceError)
_BODY_METHODS = frozenset(["POST", "PUT", "PATCH"])


def unavailable_response() -> JsonResponse:
    response = JsonResponse(
        {"message": _("The service is temporarily unavailable; try again shortly.")},
        status=503,
    )
    response["Retry-After"] = "30"
    return response


def bad_request_response(error: bounds.BoundsError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=400)


class APIErrorMiddleware:
    """For paths under ``/api/``: requests out of bounds (``api.bounds``) answer 400 before
    any view runs, Wagtail's core endpoints included; database errors a request caused
    answer 400, database outages 503, all as JSON.

    Add it to MIDDLEWARE; it leaves every other path alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_api(request):
            try:
                self._check_bounds(request)
            except bounds.BoundsError as error:
                return bad_request_response(error)
        try:
            return self.get_response(request)
        except _OUTAGES:
            if not self._is_api(request):
                raise
            logger.exception("Database unavailable while serving %s", request.path)
            return unavailable_response()

    @staticmethod
    def _check_bounds(request) -> None:
        bounds.check_query(request.META.get("QUERY_STRING", ""), request.path)
        if request.method in _BODY_METHODS and _is_json(request.content_type):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return
            cap = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            # A body over Django's cap is the endpoint's to refuse, in its own words.
            if length > 0 and (cap is None or length <= cap):
                bounds.check_json_body(request.body)

    def process_exception(self, request, exception):
        if self._is_api(request) and is_cache_outage(exception):
            # Wagtail itself reads site root paths from the default cache.
            logger.exception("Cache unavailable while serving %s", request.path)
            return unavailable_response()
        if not self._is_api(request) or not isinstance(exception, DatabaseError | InterfaceError):
            return None
        refusal = bounds.database_refusal(exception, request.GET)
        if refusal is not None:
            logger.info("Query refused by the database for %s: %s", request.path, exception)
            return bad_request_response(refusal)
        if isinstance(exception, _OUTAGES) or is_aborted_transaction(exception):
            logger.exception("Database unavailable while serving %s", request.path)
            return unavailable_response()
        logger.exception("Database error while serving %s", request.path)
        return None

    @staticmethod
    def _is_api(request) -> bool:
        return request.path.startswith("/api/")


def is_cache_outage(exception: BaseException) -> bool:
    """A cache server that cannot be reached (Redis here; memcached clients raise OSError),
    or a database cache whose table is missing (``check --deploy`` says so: E049)."""
    if isinstance(exception, DatabaseError) and _names_a_cache_table(exception):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is optional
        return isinstance(exception, ConnectionError | TimeoutError)
    return isinstance(
        exception, RedisConnectionError | RedisTimeoutError | ConnectionError | TimeoutError
    )


def _names_a_cache_table(exception: DatabaseError) -> bool:
    # "no such table: t" (SQLite), 'relation "t" does not exist' (PostgreSQL), …
    tables = [
        spec.get("LOCATION", "")
        for spec in settings.CACHES.values()
        if spec.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
    ]
    return any(re.search(rf"\b{re.escape(table)}\b", str(exception)) for table in tables if table)


def is_aborted_transaction(exception: BaseException) -> bool:
    """PostgreSQL refusing every statement after an earlier one failed in the same
    transaction (``ATOMIC_REQUESTS``, or a test): the request cannot be served, and the
    first error was already logged where it happened."""
    cause = exception.__cause__
    return isinstance(exception, DatabaseError) and type(cause).__name__ == "InFailedSqlTransaction"


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")
