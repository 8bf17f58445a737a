"""Production: every secret and host comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS (comma-separated), DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from example_site.settings.base import *  # noqa: F401,F403


def _require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = _require("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _require("ALLOWED_HOSTS").split(",") if host.strip()]
_require("DATABASE_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Webhook deliveries (and Wagtail's own background work) go through a database queue;
# run `python example_site/manage.py db_worker` beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The API cache must be shared by every process and host, or one worker's invalidation
# would not reach the others (kratom_pages.W001). Redis when REDIS_URL is set; otherwise
# the database everyone already shares (run `manage.py createcachetable` once).
# Every call gives up after 50 ms, so a hung Redis cannot hold a request (kratom_pages.W004).
_REDIS_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 0.05, "SOCKET_TIMEOUT": 0.05}
if os.environ.get("REDIS_URL"):
    CACHES = {
        # Wagtail's own reads (site root paths) and the reply rate limit: an outage of Redis
        # is a miss, not an error (kratom_pages.W005). django-redis keeps one client per
        # process (Django's own backend builds one per call).
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {**_REDIS_OPTIONS, "IGNORE_EXCEPTIONS": True},
        },
        # The API cache, on the same Redis: kratom-pages must see every failure, to serve
        # uncached and catch the cache up when it returns (kratom_pages.E048).
        "api": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
    KRATOM_PAGES = {**KRATOM_PAGES, "API_CACHE": "api"}  # noqa: F405
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kratom_pages_cache",
        }
    }

# A database restarted under load: each request checks its persistent connection first,
# so the first request after the restart reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# A CDN or Varnish in front: set FRONTEND_CACHE_URL (e.g. http://127.0.0.1:6081) and the
# API detail URLs of changed pages are purged through wagtail.contrib.frontend_cache.
if os.environ.get("FRONTEND_CACHE_URL"):
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
        }
    }
