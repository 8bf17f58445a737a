"""System checks of the API's wiring: each endpoint we serve must be reachable at its URL.

Wagtail's page serving matches every path, so an API mounted after it in ``urlpatterns``
(``urlpatterns += [path("api/v3/", ...)]`` at the end of a project's urls.py) answers
with HTML 404s and nothing else says why.
"""

from django.core.checks import Error, Tags, register
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

# What Wagtail names its catch-all page view.
WAGTAIL_SERVE = "wagtail_serve"


def _shadowed(url_name: str) -> str | None:
    """The path of ``url_name`` when Wagtail's page serving answers it instead."""
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        return None  # not mounted at all: a project may serve one API version only
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return path if match.url_name == WAGTAIL_SERVE else None


@register(Tags.urls)
def check_api_routes(app_configs, **kwargs):
    from kratom_pages.api.v2 import registered_routers

    names = [("API v3", "wagtailapi_v3:list_reader_replies")]
    names += [
        ("API v2", f"{router.url_namespace}:{pages}:listing")
        for router, pages in list(registered_routers.items())
    ]
    errors = []
    for label, url_name in names:
        path = _shadowed(url_name)
        if path is not None:
            errors.append(
                Error(
                    f"{label} is mounted at {path!r}, but that path reaches Wagtail's page "
                    "serving first: every API request there answers an HTML 404.",
                    hint="Put the API's path() before include(wagtail_urls) in urlpatterns; "
                    "Wagtail's catch-all must come last.",
                    id="kratom_pages.E009",
                )
            )
    return errors
