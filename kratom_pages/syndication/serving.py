"""Sitemaps and feeds cached like API listings: the same cache, versions and invalidation
(``publishing.cache``), so a publish, unpublish, move, restriction or medical review shows
in them at once, and a scheduled expiry when it falls due.

An entry is valid while the generation and the listings' version are unchanged (any page
change renews the latter; ``publishing.invalidation`` decides, ``publishing.outbox`` makes
sure no renewal is lost), and never past the next scheduled expiry of any live page.
Unlike a listing's, its key holds only the parameters the response reads, so junk
parameters cannot force a render.
"""

from collections.abc import Callable, Iterable

from django.http import HttpResponse

from kratom_pages.api import hits
from kratom_pages.publishing import cache as caching
from kratom_pages.publishing import visibility
from kratom_pages.publishing.variants import variant_digest
from kratom_pages.publishing.versions import GENERATION_KEY, LISTINGS_KEY

# (body, Last-Modified as a timestamp or None), rendered on a miss.
Rendered = tuple[bytes, int | None]


class SyndicationLookup(caching.Lookup):
    """A listing's lookup (``Lookup.for_listing``) keyed by the parameters it reads."""

    def __init__(self, request, recognised: Iterable[str]):
        digest = variant_digest(request, frozenset(recognised))
        self.key = f"kratom_pages:syndication:{digest}"
        self.version_keys = [GENERATION_KEY, LISTINGS_KEY]
        self._read()


def cached_response(
    request,
    content_type: str,
    render: Callable[[], Rendered],
    *,
    recognised: Iterable[str] = (),
    headers: tuple = (),
) -> HttpResponse:
    """The response ``render`` gives, from the cache when current. ``render`` may raise
    (``Http404``, an API error): nothing is stored then."""
    lookup = SyndicationLookup(request, recognised)
    if lookup.entry is None and not lookup.claim():
        lookup.entry = lookup.await_entry()
    if lookup.entry is None:
        try:
            with visibility.remembering():
                body, last_modified = render()
            lookup.entry = (body, caching.etag_for(body), last_modified)
            lookup.store(lookup.entry, caching.entry_timeout(caching.next_expiry()))
        finally:
            lookup.release()
    signed_in = not hits.is_anonymous_read(request)
    return hits.cached_response(
        request, lookup.entry, content_type, shared=not signed_in, headers=headers
    )
