"""What is public and what changed: one rule each, which caches, webhooks and CDN purges
ask instead of deciding for themselves.

- ``visibility``: whether a page (or image) may be shown to an anonymous reader.
- ``invalidation``: which pages' representations a change affects, announced through the
  ``pages_changed`` signal to its subscribers:
- ``cache`` (the API's cached representations), ``prerender`` (renders them again right
  after the change), ``cdn`` (purges through
  ``wagtail.contrib.frontend_cache``) and ``webhook_events`` (``webhooks`` deliveries,
  sent only to addresses ``outbound`` allows; endpoints and deliveries in ``models``).
- ``preview``: drafts for headless frontends, through wagtail-headless-preview.
"""


def connect() -> None:
    """Wire the invalidation rule to its subscribers. Called from AppConfig.ready()."""
    from kratom_pages.publishing import cache, cdn, invalidation, prerender, webhook_events

    invalidation.connect()
    signal = invalidation.pages_changed
    signal.connect(cache.on_pages_changed, dispatch_uid="kratom_pages_api_cache")
    signal.connect(cdn.on_pages_changed, dispatch_uid="kratom_pages_cdn_purge")
    # After the cache has its new versions, so the rendered entries are stored under them.
    signal.connect(prerender.on_pages_changed, dispatch_uid="kratom_pages_prerender")
    signal.connect(webhook_events.on_pages_changed, dispatch_uid="kratom_pages_webhooks")
