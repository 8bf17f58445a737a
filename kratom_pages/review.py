"""Moved to ``kratom_pages.evidence.review``; this path keeps working."""

from kratom_pages._moved import alias
from kratom_pages.evidence import review as _moved_module

alias(__name__, _moved_module)
