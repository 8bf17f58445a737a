"""Settings for the two-server test: PostgreSQL and Redis shared, as two hosts would."""

import os

from tests.settings import *  # noqa: F401,F403

DEBUG = False
DATABASES = {"default": dj_database_url.parse(os.environ["KP_MULTIPROCESS_DATABASE_URL"])}  # noqa: F405
if "django.contrib.postgres" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["KP_MULTIPROCESS_REDIS_URL"],
        "KEY_PREFIX": os.environ.get("KP_MULTIPROCESS_CACHE_PREFIX", "kp-multiprocess"),
    }
}
if os.environ.get("KP_MULTIPROCESS_CACHE") == "locmem":
    # What a project that never configured CACHES has: one cache per process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Decided from the backend, as in production: Redis is shared.
KRATOM_PAGES = {}
ROOT_URLCONF = "tests.multiprocess_urls"
