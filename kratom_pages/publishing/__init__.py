"""What is public and what changed: one rule each, which caches, webhooks and CDN purges
ask instead of deciding for themselves.

- ``visibility``: whether a page (or image) may be shown to an anonymous reader.
- ``invalidation``: which pages' representations a change affects, announced through the
  ``pages_changed`` signal to its subscribers:
- ``outbox``: every change is recorded in its own transaction (``ChangeRecord``); after
  commit its pages get new versions in the API cache (``versions``, ``cache``), and any
  process that may have missed that (a cache outage, a restart from an older snapshot)
  catches the cache up from the records before trusting it (``breaker`` stops asking a
  failing cache). What the record owes beyond the cache, a CDN purge (``cdn``) and
  prerendering (``prerender``), the task worker works off at least once
  (``followups``, ``durable``).
- ``webhook_events`` turns changes into ``webhooks`` deliveries (sent only to addresses
  ``outbound`` allows; endpoints and deliveries in ``models``), also at least once.
- ``preview``: drafts for headless frontends, through wagtail-headless-preview.
"""


def connect() -> None:
    """Wire the invalidation rule to its subscribers. Called from AppConfig.ready()."""
    from kratom_pages.publishing import cache, invalidation, webhook_events

    invalidation.connect()
    signal = invalidation.pages_changed
    # The cache's versions before commit; after commit the outbox applies its record, then
    # hands the CDN purge and prerendering to the worker.
    signal.connect(cache.on_pages_changed, dispatch_uid="kratom_pages_api_cache")
    signal.connect(webhook_events.on_pages_changed, dispatch_uid="kratom_pages_webhooks")
