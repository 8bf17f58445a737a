"""Moved to ``kratom_pages.replies.intake``; this path keeps working."""

from kratom_pages._moved import alias
from kratom_pages.replies import intake as _moved_module

alias(__name__, _moved_module)
