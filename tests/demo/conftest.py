"""Run only under the demo's settings (``make test`` runs this folder second)::

.venv/bin/pytest tests/demo --ds=tests.demo.settings
"""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.demo.settings":
    collect_ignore_glob = ["test_*.py"]
