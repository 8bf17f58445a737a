"""What is public and what changed: one rule each, which caches, webhooks and CDN purges
ask instead of deciding for themselves.

- ``visibility``: whether a page (or image) may be shown to an anonymous reader.
- ``invalidation``: which pages' representations a change affects.
"""
