"""Settings for the benchmark server: the example site, production-like, on a throwaway
database named by BENCH_DB (SQLite path) or DATABASE_URL."""

import os

from example_site.settings.base import *  # noqa: F401,F403
from example_site.settings.base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "kratom-pages-benchmarks"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.plain"]
ROOT_URLCONF = "benchmarks.urls"

if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("BENCH_DB", "/tmp/kratom-bench.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
MEDIA_ROOT = os.environ.get("BENCH_MEDIA", "/tmp/kratom-bench-media")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
LOGGING = {"version": 1, "disable_existing_loggers": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
KRATOM_PAGES = {
    "INDEX_PAGE_SIZE": 12,
    "REPLY_RATE_LIMIT": os.environ.get("BENCH_REPLY_RATE_LIMIT", "5/10m"),
}

# The API cache: Redis (BENCH_CACHE=redis, the production design; BENCH_REDIS_URL) or each
# worker's local memory (BENCH_CACHE=locmem). Local memory is only correct for one process,
# so the app refuses it outside DEBUG; the benchmark declares it shared to measure the
# in-process ceiling on its read-only workload, never something to deploy.
BENCH_CACHE = os.environ.get("BENCH_CACHE", "redis")
if BENCH_CACHE == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    KRATOM_PAGES["API_CACHE_SHARED"] = True
