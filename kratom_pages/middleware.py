"""API failures as JSON: a database outage answers 503 with a message, not a traceback."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_OUTAGES = (OperationalError, InterfaceError)


def unavailable_response() -> JsonResponse:
    response = JsonResponse(
        {"message": _("The service is temporarily unavailable; try again shortly.")},
        status=503,
    )
    response["Retry-After"] = "30"
    return response


class APIErrorMiddleware:
    """For paths under ``API_PREFIX`` (default ``/api/``): database outages become 503 JSON.

    Add it to MIDDLEWARE; it leaves every other path alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except _OUTAGES:
            if not self._is_api(request):
                raise
            logger.exception("Database unavailable while serving %s", request.path)
            return unavailable_response()

    def process_exception(self, request, exception):
        if self._is_api(request) and isinstance(exception, _OUTAGES):
            logger.exception("Database unavailable while serving %s", request.path)
            return unavailable_response()
        if self._is_api(request) and isinstance(exception, DatabaseError):
            logger.exception("Database error while serving %s", request.path)
        return None

    @staticmethod
    def _is_api(request) -> bool:
        return request.path.startswith("/api/")
