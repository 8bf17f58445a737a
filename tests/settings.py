"""Settings for the kratom-pages test suite.

SQLite in memory by default; set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
to run the same suite against PostgreSQL.
"""

import os
import tempfile

import dj_database_url
import django

SECRET_KEY = "kratom-pages-tests"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "corsheaders",
    "kratom_pages",
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.contrib.typed_table_block",  # the table block
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "kratom_pages.middleware.APIErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields (checked from Django 6.0).
    INSTALLED_APPS.append("django.contrib.postgres")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("KRATOM_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="kp-media-")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "kratom-pages tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

CORS_ALLOWED_ORIGINS = ["http://frontend.test"]
CORS_URLS_REGEX = r"^/api/.*$"

# Two content languages, so the API's locale filter and JSON-LD inLanguage are tested.
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("fr", "French")]

# Let frontends page through listings 100 at a time (Wagtail's default cap is 20).
WAGTAILAPI_LIMIT_MAX = 100

# Local memory by default (no server needed); TEST_REDIS_URL (CI sets it when Redis is
# reachable) runs the same suite on Redis, the shared cache production uses.
if os.environ.get("TEST_REDIS_URL"):
    _DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["TEST_REDIS_URL"],
        "KEY_PREFIX": f"kp-tests-{os.getpid()}",
    }
else:
    _DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {
    "default": _DEFAULT_CACHE,
    # For tests that measure uncached API serialization.
    "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# The suite runs in one process, so its local-memory cache is as shared as caches get;
# tests of the multi-process rule override this. The cache is checked against the change
# records once per test (tests/conftest.py), not every second, so query counts are exact;
# tests of that check set their own interval.
KRATOM_PAGES = {"API_CACHE_SHARED": True, "API_CACHE_VERIFY_SECONDS": 3600}
if os.environ.get("KRATOM_TEST_PER_PROCESS_CACHE"):  # what a misconfigured project has
    KRATOM_PAGES = {}

# Django 6.1 sends email through MAILERS (the test run swaps each for local memory); without
# it every send warns that Django 2028 will have no default mailer.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {}}
