"""Core's other API v2 tests (images, documents, the v2 utilities), run through the same
router and middleware as our pages endpoint."""

from tests.core_conformance.collect import core_test_cases, require_shim_settings

require_shim_settings()

from wagtail.api.v2.tests import test_documents, test_images, tests  # noqa: E402

globals().update(core_test_cases(test_documents))
globals().update(core_test_cases(test_images))
globals().update(core_test_cases(tests))
