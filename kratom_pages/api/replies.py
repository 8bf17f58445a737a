"""Moved to ``kratom_pages.replies.api``; this path keeps working."""

from kratom_pages._moved import alias
from kratom_pages.replies import api as _moved_module

alias(__name__, _moved_module)
