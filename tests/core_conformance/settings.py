"""Wagtail's test project (``wagtail.test``) with kratom-pages installed and its pages
endpoint in place of core's, so core's API v2 tests exercise our viewset.

SQLite in memory by default; DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
runs the same tests on PostgreSQL.
"""

import tempfile

import dj_database_url
from wagtail.test.settings import *  # noqa: F403
from wagtail.test.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "tests.core_conformance.urls"

INSTALLED_APPS = [
    "kratom_pages",
    *(
        app
        for app in ("wagtail_modeladmin", "wagtail_headless_preview", "wagtail.contrib.settings")
        if app not in INSTALLED_APPS
    ),
    *INSTALLED_APPS,
]

# The middleware the README recommends to projects, so core's requests go through the
# stack a kratom-pages project serves them with.
MIDDLEWARE = ["kratom_pages.middleware.APIErrorMiddleware", *MIDDLEWARE]

# Jinja2 is no dependency of ours, and no API test renders a Jinja2 template.
TEMPLATES = [engine for engine in TEMPLATES if not engine["BACKEND"].endswith(".Jinja2")]

DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")  # as wagtail.test.settings does
    # A test database of its own, so this run never drops the main suite's `test_<name>`.
    DATABASES["default"]["TEST"] = {"NAME": "test_kp_core_conformance"}

# Wagtail's test settings write uploads inside the installed wagtail package.
MEDIA_ROOT = tempfile.mkdtemp(prefix="kp-core-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="kp-core-static-")

# The API cache uses core's test cache (the database cache, emptied by each test's
# rollback). The test process is one process, so caching is allowed whatever the backend.
KRATOM_PAGES = {
    "API_CACHE_SHARED": True,
    # Core's test URLconf serves API v2 under /api/main/.
    "CDN_PURGE_PATHS": ["/api/main/pages/{id}/"],
}
