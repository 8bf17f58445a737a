"""kratom-pages: evidence-first health content types for Wagtail."""

__version__ = "0.1.0"
