"""Settings shared by the example site's dev and production configurations."""

import os
from pathlib import Path

import dj_database_url
import django

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "example_site.demo",
    "corsheaders",
    "kratom_pages",
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "django_tasks_db",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite next to the project unless DATABASE_URL says otherwise (e.g. PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields (checked from Django 6.0).
    INSTALLED_APPS.append("django.contrib.postgres")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (reader replies) queue rather than fail with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The admin's languages: those kratom-pages has a catalogue for (kratom_pages/locale), so
# an editor never picks one in which half the screens are English.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "kratom-pages example"
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

KRATOM_PAGES = {
    "INDEX_PAGE_SIZE": 12,
    # Refuse to publish an article without a disclaimer or with an unsourced claim.
    "PUBLISH_CHECKS": True,
}

# Headless frontends on other origins may read the API (and only the API).
CORS_ALLOWED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get(
        "FRONTEND_ORIGINS", "http://127.0.0.1:3000,http://localhost:3000"
    ).split(",")
    if origin.strip()
]
CORS_URLS_REGEX = r"^/api/.*$"

# Let frontends page through listings 100 at a time (Wagtail's default cap is 20).
WAGTAILAPI_LIMIT_MAX = 100

# Headless preview: set FRONTEND_PREVIEW_URL (e.g. http://127.0.0.1:3000/preview) and the
# admin's Preview opens the draft in that frontend; unset, Wagtail's own preview is used.
if os.environ.get("FRONTEND_PREVIEW_URL"):
    WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {"default": os.environ["FRONTEND_PREVIEW_URL"]},
        "REDIRECT_ON_PREVIEW": False,
    }


def email_backend(path: str) -> dict:
    """The settings that send email through ``path``: ``MAILERS`` from Django 6.1, where
    ``EMAIL_BACKEND`` is deprecated (and every send warns until ``MAILERS`` is set),
    ``EMAIL_BACKEND`` before it."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": path}}}
    return {"EMAIL_BACKEND": path}


globals().update(email_backend("django.core.mail.backends.smtp.EmailBackend"))
