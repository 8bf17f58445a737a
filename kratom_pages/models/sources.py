"""Moved to ``kratom_pages.evidence.models``; this path keeps working.

Migrations import this path, so it stays (without a warning)."""

from kratom_pages._moved import alias
from kratom_pages.evidence import models as _moved_module

alias(__name__, _moved_module, deprecated=False)
