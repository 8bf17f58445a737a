"""System checks of the shared state publishing relies on: the API cache and the reply
rate limit must be seen alike by every process, and their settings must be sound."""

from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from kratom_pages import conf


@register(Tags.caches, deploy=False)
def check_shared_state(app_configs, **kwargs):
    """Caches and rate limits are only correct when every process shares them."""
    from kratom_pages.publishing import versions as caching

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
    positive = ("API_CACHE_LOCAL_SECONDS", "API_CACHE_LOCAL_BYTES", "WORK_LEASE_SECONDS")
    for name in (*positive, "CDN_RETRY_MAX_SECONDS"):
        value = conf.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            messages.append(
                Error(f"KRATOM_PAGES[{name!r}] must be a positive number.", id="kratom_pages.E046")
            )
    for name in (
        "API_CACHE_RETRY_SECONDS",
        "API_CACHE_VERIFY_SECONDS",
        "API_CACHE_LOCAL_BARRIER_SECONDS",
    ):
        value = conf.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            messages.append(
                Error(f"KRATOM_PAGES[{name!r}] must be 0 or more seconds.", id="kratom_pages.E046")
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


def _redis_options(alias: str) -> dict | None:
    """The OPTIONS of cache ``alias`` when it is Redis, else None."""
    from kratom_pages.publishing.redis_conf import REDIS_BACKENDS

    spec = settings.CACHES.get(alias, {})
    return (spec.get("OPTIONS") or {}) if spec.get("BACKEND") in REDIS_BACKENDS else None


@register(Tags.caches)
def check_cache_failures_are_seen(app_configs, **kwargs):
    """kratom-pages must see every failure of the API cache, or an invalidation the cache
    never took would count as applied."""
    alias = conf.get("API_CACHE")
    options = _redis_options(alias) if alias in settings.CACHES else None
    if options and options.get("IGNORE_EXCEPTIONS"):
        return [
            Error(
                f"The API cache {alias!r} ignores errors (IGNORE_EXCEPTIONS), so a change whose "
                "invalidation it never took could not be told from one it did.",
                hint="Give KRATOM_PAGES['API_CACHE'] an alias of its own without "
                "IGNORE_EXCEPTIONS (the same Redis is fine); keep IGNORE_EXCEPTIONS on the "
                "default cache. See the README's 'Failure modes'.",
                id="kratom_pages.E048",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_cache_outages_are_survivable(app_configs, **kwargs):
    """Before traffic: each cache answers, a hung Redis cannot hold a request for long, and
    a Redis outage cannot take Wagtail's own reads (site root paths) down."""
    from kratom_pages.publishing.redis_conf import redis_url
    from kratom_pages.publishing.versions import backend_path

    messages = []
    aliases = [a for a in dict.fromkeys(["default", conf.get("API_CACHE")]) if a in settings.CACHES]
    asked = set()
    for alias in aliases:
        options = _redis_options(alias)
        if options is not None:
            timeouts = [
                options.get(name, options.get(name.lower()))
                for name in ("SOCKET_CONNECT_TIMEOUT", "SOCKET_TIMEOUT")
            ]
            if any(t is None or float(t) > 0.5 for t in timeouts):
                messages.append(
                    Warning(
                        f"Cache {alias!r} is Redis without short socket timeouts: a Redis that "
                        "hangs would hold every request for the operating system's timeout.",
                        hint="Set OPTIONS SOCKET_CONNECT_TIMEOUT and SOCKET_TIMEOUT "
                        "(django-redis; socket_connect_timeout/socket_timeout for Django's "
                        "backend) to 0.05 or so.",
                        id="kratom_pages.W004",
                    )
                )
            if alias == "default" and not options.get("IGNORE_EXCEPTIONS"):
                messages.append(
                    Warning(
                        "The default cache is Redis and raises on errors: Wagtail reads site "
                        "root paths from it, so a Redis outage would fail every page and API "
                        "read.",
                        hint="Use django-redis with OPTIONS IGNORE_EXCEPTIONS on the default "
                        "cache, and an alias of its own (without it) as "
                        "KRATOM_PAGES['API_CACHE'].",
                        id="kratom_pages.W005",
                    )
                )
        if redis_url(alias) is not None and redis_url(alias) in asked:
            continue  # one Redis under two aliases is asked once
        asked.add(redis_url(alias))
        problem = _cache_problem(alias, backend_path(alias))
        if problem is not None:
            messages.append(problem)
    return messages


def _cache_problem(alias: str, backend: str):
    from django.db import DatabaseError, connection

    if backend == "django.core.cache.backends.db.DatabaseCache":
        table = settings.CACHES[alias].get("LOCATION")
        try:
            missing = table not in connection.introspection.table_names()
        except DatabaseError:
            return None  # the database itself is unreachable: Django says so elsewhere
        if missing:
            return Error(
                f"Cache {alias!r} is the database cache, and its table {table!r} does not "
                "exist: every use of it fails.",
                hint="Run `manage.py createcachetable`.",
                id="kratom_pages.E049",
            )
        return None
    from kratom_pages.publishing.redis_conf import redis_url, socket_timeouts

    url = redis_url(alias)
    if url is None:
        return None
    try:
        import redis

        connect_timeout, timeout = socket_timeouts(alias)
        # Asked directly: a default cache that ignores errors would answer a cache get.
        redis.Redis.from_url(
            url, socket_connect_timeout=max(connect_timeout, 1), socket_timeout=max(timeout, 1)
        ).ping()
    except Exception as exc:  # noqa: BLE001 - any failure: say which
        return Warning(
            f"Redis for cache {alias!r} did not answer ({type(exc).__name__}); API responses "
            "will be served uncached until it does.",
            id="kratom_pages.W003",
        )
    return None


@register(deploy=True)
def check_task_worker(app_configs, **kwargs):
    """Webhooks, CDN purges and prerendering are retried by a worker; without one they run
    once inside the editor's request, or wait for ever in the queue."""
    from django.db import DatabaseError
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    try:
        backend = task_backends["default"]
    except Exception:  # noqa: BLE001 - django-tasks reports its own configuration errors
        return []
    if isinstance(backend, ImmediateBackend):
        if settings.DEBUG:
            return []
        return [
            Warning(
                "Tasks run in the request (django-tasks' ImmediateBackend): webhook "
                "deliveries, CDN purges and prerendering hold up the editor who publishes, "
                "and a failed CDN purge is not retried until the next change.",
                hint="Use a queue (TASKS = {'default': {'BACKEND': "
                "'django_tasks_db.DatabaseBackend'}}) and run `manage.py db_worker`.",
                id="kratom_pages.W006",
            )
        ]
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return []
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.filter(
            status="READY", run_after__lt=timezone.now() - timedelta(minutes=5)
        ).count()
    except DatabaseError:
        return []
    if waiting:
        return [
            Warning(
                f"{waiting} task(s) have waited more than 5 minutes in the database queue: "
                "is a worker running?",
                hint="Run `manage.py db_worker` beside the web server (and keep it running).",
                id="kratom_pages.W007",
            )
        ]
    return []
