"""Moved to ``kratom_pages.publishing.preview``; this path keeps working."""

from kratom_pages._moved import alias
from kratom_pages.publishing import preview as _moved_module

alias(__name__, _moved_module)
