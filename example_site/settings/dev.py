"""Local development: debug on, SQLite by default, everything on 127.0.0.1."""

import os

from example_site.settings.base import *  # noqa: F401,F403

DEBUG = True
# A fixed key is fine for a local demo; production.py refuses to start without its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "kratom-pages-example-site-development-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
globals().update(email_backend("django.core.mail.backends.console.EmailBackend"))  # noqa: F405

# `make demo` runs a task worker (db_worker) beside the server and sets this, so webhook
# deliveries and retries leave the publish request; without it tasks run in the request.
if os.environ.get("KRATOM_DEMO_TASK_WORKER"):
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
