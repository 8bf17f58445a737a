"""Wagtail core's own API v2 tests, run against kratom-pages' pages endpoint.

Run with ``--ds=tests.core_conformance.settings`` (see ``conftest.py``); the main suite
does not collect this folder.
"""
