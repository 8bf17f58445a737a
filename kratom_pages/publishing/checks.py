"""System checks of the shared state publishing relies on: the API cache and the reply
rate limit must be seen alike by every process, and their settings must be sound."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from kratom_pages import conf


@register(Tags.caches, deploy=False)
def check_shared_state(app_configs, **kwargs):
    """Caches and rate limits are only correct when every process shares them."""
    from kratom_pages.publishing import cache as caching

    messages = []
    alias = conf.get("API_CACHE")
    if alias and alias not in settings.CACHES:
        messages.append(
            Error(
                f"KRATOM_PAGES['API_CACHE'] names {alias!r}, which is not in CACHES.",
                id="kratom_pages.E040",
            )
        )
    elif (
        alias and not caching.enabled() and caching.backend_path(alias) != caching.NO_CACHE_BACKEND
    ):
        # Not for DummyCache (caching switched off on purpose) or in DEBUG (one process).
        messages.append(
            Warning(
                f"The API cache {alias!r} ({caching.backend_path(alias)}) is not shared "
                "between processes, so API responses are served uncached.",
                hint="Point CACHES (or KRATOM_PAGES['API_CACHE']) at Redis, Memcached or "
                "the database cache; see the README's 'Deploying at scale'.",
                id="kratom_pages.W001",
            )
        )
    if not settings.DEBUG and not caching.is_shared("default"):
        messages.append(
            Warning(
                "The default cache is not shared between processes, so the reply rate limit "
                "counts stored replies in the database instead.",
                hint="Use Redis or Memcached as the default cache to rate-limit every attempt.",
                id="kratom_pages.W002",
            )
        )
    if conf.get("API_CACHE_SHARED") not in (None, True, False):
        messages.append(
            Error(
                "KRATOM_PAGES['API_CACHE_SHARED'] must be None, True or False.",
                id="kratom_pages.E041",
            )
        )
    if not isinstance(conf.get("API_CACHE_LOCAL"), bool):
        messages.append(
            Error("KRATOM_PAGES['API_CACHE_LOCAL'] must be True or False.", id="kratom_pages.E045")
        )
    for name in ("API_CACHE_LOCAL_SECONDS", "API_CACHE_LOCAL_BYTES"):
        value = conf.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            messages.append(
                Error(f"KRATOM_PAGES[{name!r}] must be a positive number.", id="kratom_pages.E046")
            )
    if not isinstance(conf.get("API_PRERENDER"), bool):
        messages.append(
            Error("KRATOM_PAGES['API_PRERENDER'] must be True or False.", id="kratom_pages.E044")
        )
    paths = conf.get("CDN_PURGE_PATHS")
    if not isinstance(paths, list | tuple) or not all(
        isinstance(p, str) and p.startswith("/") and "{id}" in p for p in paths
    ):
        messages.append(
            Error(
                "KRATOM_PAGES['CDN_PURGE_PATHS'] must be a list of paths containing '{id}'.",
                id="kratom_pages.E042",
            )
        )
    return messages
