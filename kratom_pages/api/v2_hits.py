"""Cache hits of the v2 page endpoints: answered from the cache with the headers a cold
response has, through DRF's policy (authentication, permissions, throttles) unless the
request is an anonymous JSON read of an endpoint open to everyone, which is answered
before the viewset is even built."""

from functools import wraps

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.permissions import AllowAny

from kratom_pages.api import hits
from kratom_pages.publishing import cache as caching


class CacheHitsMixin:
    """For a DRF viewset with ``detail_view``/``listing_view`` actions and
    ``detail_cache_parameters``."""

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        """DRF's view, behind a check that answers an open-policy cache hit before the
        viewset is even instantiated (the same answer ``dispatch`` would give)."""
        view = super().as_view(actions, **initkwargs)

        @wraps(view)
        def answer_hits_first(request, *args, **kwargs):
            response = cls._open_hit(request, actions or {}, kwargs)
            return response if response is not None else view(request, *args, **kwargs)

        return answer_hits_first

    @classmethod
    def _open_hit(cls, request, actions: dict, kwargs):
        """The response to an anonymous JSON read of an open endpoint when the cache holds
        it, else None. The lookup is kept on the request for ``dispatch``."""
        request._kratom_lookup = None
        headers = cls.__dict__.get("_hit_headers_memo", {}).get(tuple(sorted(actions.items())))
        if headers is None or not cls._hit_needs_no_policy(request):
            return None  # headers are worked out by the first request, in dispatch
        lookup = request._kratom_lookup = cls._cache_lookup(request, actions.get("get"), kwargs)
        if lookup is None or lookup.entry is None:
            return None
        # Anonymous by _hit_needs_no_policy: no need to load the session's user.
        return hits.cached_response(
            request, lookup.entry, "application/json", shared=True, headers=headers
        )

    def dispatch(self, request, *args, **kwargs):
        self._lookup = getattr(request, "_kratom_lookup", None)
        if self._hit_needs_no_policy(request):
            if self._lookup is None:
                self._lookup = self._cache_lookup(request, self.action_map.get("get"), kwargs)
            if self._lookup is not None and self._lookup.entry is not None:
                return hits.cached_response(
                    request,
                    self._lookup.entry,
                    "application/json",
                    shared=True,
                    headers=self._hit_headers(),
                )
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def _cache_lookup(cls, request, action: str | None, kwargs) -> caching.Lookup | None:
        """The cache entry this request would be answered with, if its action is cached:
        details and listings (not searches or random orders: ``listing_is_cacheable``)."""
        if action == "detail_view":
            return caching.Lookup(request, kwargs.get("pk"), cls.detail_cache_parameters)
        if action == "listing_view" and caching.Lookup.listing_is_cacheable(request):
            return caching.Lookup.for_listing(request)
        return None

    def _hit_headers(self) -> tuple:
        """DRF's default headers (Allow, Vary: Accept) and Vary: Cookie, as a cold response
        has them; the same for every hit of one route, so worked out once."""
        route = tuple(sorted(self.action_map.items()))
        memo = type(self).__dict__.get("_hit_headers_memo")
        if memo is None:
            memo = type(self)._hit_headers_memo = {}
        if route not in memo:
            probe = HttpResponse()
            for header, value in self.default_response_headers.items():
                if header == "Vary":
                    patch_vary_headers(probe, [value])
                else:
                    probe[header] = value
            patch_vary_headers(probe, ["Cookie"])
            memo[route] = tuple((h, probe[h]) for h in ("Allow", "Vary") if probe.has_header(h))
        return memo[route]

    @classmethod
    def _hit_needs_no_policy(cls, request) -> bool:
        """Whether DRF would answer this request exactly as a cache hit does: a GET with
        no credentials, asking for JSON, on an endpoint that lets everyone read."""
        if not hits.is_anonymous_read(request):
            return False
        if hits.may_name(request, "format") and "format" in request.GET:
            return False
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        if "text/html" in accept or not ("*/*" in accept or "application/json" in accept):
            return False
        return cls._policy_is_open()

    @classmethod
    def _policy_is_open(cls) -> bool:
        # Memoised per class for the policy it has now (tests and projects may swap it).
        policy = (tuple(cls.throttle_classes), tuple(cls.permission_classes))
        memo = cls.__dict__.get("_open_policy")
        if memo is None or memo[0] != policy:
            is_open = not policy[0] and all(issubclass(p, AllowAny) for p in policy[1])
            memo = cls._open_policy = (policy, is_open)
        return memo[1]

    @staticmethod
    def _cached_response(request, entry):
        """A hit (or a fresh entry) answered by the viewset, after DRF's policy."""
        user = getattr(request, "user", None)
        signed_in = "HTTP_AUTHORIZATION" in request.META or bool(user and user.is_authenticated)
        return hits.cached_response(request, entry, "application/json", shared=not signed_in)
