"""Wagtail hooks. Each feature keeps its admin (and its other hooks) in its own folder;
importing them here (Wagtail discovers ``wagtail_hooks`` modules only at the app's root)
registers them."""

from kratom_pages.evidence import admin as evidence_admin  # noqa: F401
from kratom_pages.importers import admin as importers_admin  # noqa: F401
from kratom_pages.publishing import admin as publishing_admin  # noqa: F401
from kratom_pages.publishing import serving  # noqa: F401
from kratom_pages.replies import admin as replies_admin  # noqa: F401
