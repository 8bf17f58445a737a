"""Run only under the shim's settings; mark the differences from core we intend.

The main suite (``tests.settings``) ignores this folder. Run it with::

    .venv/bin/pytest tests/core_conformance --ds=tests.core_conformance.settings
"""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SHIM_SETTINGS = "tests.core_conformance.settings"

# pytest-django has already exported --ds (or the ini value) to the environment.
# KRATOM_CORE_CONFORMANCE=1 collects the tests under other settings derived from the shim's.
if (
    os.environ.get("DJANGO_SETTINGS_MODULE") != SHIM_SETTINGS
    and os.environ.get("KRATOM_CORE_CONFORMANCE") != "1"
):
    collect_ignore_glob = ["test_*.py"]

# "Class::test" -> why our endpoint answers differently on purpose (README, "Conformance
# with Wagtail core"). Strict: a test listed here that starts passing fails the run.
_RESTRICTED = "view-restricted pages are never served, even to users the restriction admits"
INTENDED_DIFFERENCES: dict[str, str] = {
    "TestPageListing::test_private_pages_with_user_login": _RESTRICTED,
    "TestPageListing::test_private_pages_with_user_groups": _RESTRICTED,
    "TestPageListing::test_slug_field_containing_null_bytes_gives_error": (
        "control characters are refused in every parameter before any view runs (400 with our"
        " message); core refuses them in field filters only"
    ),
    "TestAPIDetailQueryCount::test_detail_view_does_not_duplicate_queries": (
        "a cached detail read makes 1 query (the cache lookup) where core expects exactly 10"
    ),
}


def pytest_configure(config):
    # pytest-django turns Django's @tag into markers, and setup.cfg has --strict-markers.
    config.addinivalue_line("markers", "transaction: core's tag for TransactionTestCase tests")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        key = "::".join(item.nodeid.split("::")[-2:])
        reason = INTENDED_DIFFERENCES.get(key)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
