"""The example site's production settings, as an operator runs them, plus the hooks the
fault suite drives (test views, a webhook receiver and CDN purge recorder on 127.0.0.1)
and short leases and retries so that a dead worker is replaced within seconds."""

import os

from example_site.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "tests.faults.urls"

KRATOM_PAGES = {  # noqa: F405
    **KRATOM_PAGES,  # noqa: F405
    "WORK_LEASE_SECONDS": 3,
    "CDN_RETRY_MAX_SECONDS": 2,
    "WEBHOOK_BACKOFF": 0.5,
    "WEBHOOK_ALLOW_HTTP": True,
    "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
    "REPLY_RATE_LIMIT": "10000/1m",
    "CDN_PURGE_PATHS": ["/api/v2/pages/{id}/"],
}
if os.environ.get("FAULTS_WEBHOOK_URL"):
    KRATOM_PAGES["WEBHOOKS"] = [
        {"url": os.environ["FAULTS_WEBHOOK_URL"], "secret": "whsec_" + "MTIzNDU2Nzg5MA=="}
    ]
# A second CDN backend beside Varnish: a purge API the suite can hold, to kill a worker
# in the middle of a purge.
if os.environ.get("FAULTS_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {  # noqa: F405
        **WAGTAILFRONTENDCACHE,  # noqa: F405
        "recorder": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FAULTS_PURGE_URL"],
        },
    }
