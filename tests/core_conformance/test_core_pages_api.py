"""Wagtail core's API v2 pages tests (and the renderer tests, which read the pages
listing), collected here so they run against ``KratomPagesAPIViewSet``.

Differences we intend are marked as expected failures in ``conftest.py``.
"""

from tests.core_conformance.collect import core_test_cases, require_shim_settings

require_shim_settings()

from wagtail.api.v2.tests import test_pages, test_renderer_classes  # noqa: E402

globals().update(core_test_cases(test_pages))
globals().update(core_test_cases(test_renderer_classes))
