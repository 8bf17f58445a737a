"""Collecting Wagtail core's test classes into our test modules."""

import unittest
from types import ModuleType

import pytest
from django.conf import settings

SHIM_URLCONF = "tests.core_conformance.urls"


def require_shim_settings() -> None:
    """Skip the calling module unless the shim's settings are active: core's test modules
    import Wagtail's test apps, which only the shim installs (this covers a test file
    named on the command line, which ``collect_ignore`` does not)."""
    if settings.ROOT_URLCONF != SHIM_URLCONF:
        pytest.skip(
            "core conformance tests run with --ds=tests.core_conformance.settings",
            allow_module_level=True,
        )


def core_test_cases(module: ModuleType) -> dict[str, type]:
    """The TestCase classes ``module`` defines (not the names it imports)."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, unittest.TestCase)
        and value.__module__ == module.__name__
    }
