"""Cache hits answered before the API framework's own machinery runs: DRF's viewset for v2
(``v2_hits``), django-ninja's operation for v3 (``v3_cache``). Both answer only requests
the framework would answer exactly as the cache does, and build that answer the same way.
"""

from django.conf import settings
from django.http import HttpResponse

from kratom_pages.publishing import cache as caching


def is_anonymous_read(request) -> bool:
    """A GET carrying no credentials: no Authorization header (a bearer token, Basic) and
    no session cookie. Anything else goes through the framework's authentication."""
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


# The raw-query check lives with the cache, whose listing rule uses it too.
may_name = caching.query_may_name


def cached_response(
    request, entry, content_type: str, *, shared: bool, headers: tuple = ()
) -> HttpResponse:
    """The answer of a cache hit: the entry's bytes, or 304 when the client's copy is
    current, with ETag, Last-Modified, Cache-Control (``shared=False`` keeps it out of
    shared caches) and then ``headers``, the endpoint's own ``(name, value)`` pairs."""
    body, etag, last_modified = entry
    response = caching.not_modified(request, etag, last_modified)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response = caching.add_validators(response, etag, last_modified, shared=shared)
    for header, value in headers:
        response[header] = value
    return response
