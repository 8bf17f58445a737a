"""Which request a cached API response answers: its variant, and that variant hashed.

A detail response depends on the scheme, host, path and the parameters its endpoint reads
(``recognised``); a listing's on every parameter. The digest names the cache entry.
"""

import hashlib
from collections.abc import Iterable

from django.utils.http import urlencode


def variant_of(request, recognised: Iterable[str]) -> str:
    """The request as far as the response depends on it: parameters the endpoint does not
    read are left out (so they cannot force a miss) and the rest are put in order."""
    # Encoded, so that a value holding "&" or "=" cannot pass for two parameters.
    # Every value of a repeated parameter counts (v3 reads ?type= and ?order= as lists).
    params = urlencode(
        [(name, value) for name in sorted(recognised) for value in request.GET.getlist(name)]
    )
    return "|".join([request.scheme, request.get_host(), request.path, params])


# Digests of request variants already seen, by the raw request parts they come from: a hit
# then skips parsing, encoding and hashing. Raw host headers are only remembered once
# ``get_host`` accepted them, so ALLOWED_HOSTS is never bypassed.
_digests: dict[tuple, str] = {}
_DIGESTS_MAX = 4096


def variant_digest(request, recognised: Iterable[str] | None) -> str:
    """``variant_of`` hashed; ``recognised=None`` for every parameter (listings)."""
    if recognised is not None and not isinstance(recognised, frozenset):
        return _digest(request, recognised)
    meta = request.META
    raw = (
        recognised,
        request.scheme,
        meta.get("HTTP_HOST"),
        meta.get("HTTP_X_FORWARDED_HOST"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
        request.path,
        meta.get("QUERY_STRING", ""),
    )
    digest = _digests.get(raw)
    if digest is None:
        digest = _digest(request, request.GET.keys() if recognised is None else recognised)
        if len(_digests) >= _DIGESTS_MAX:
            _digests.clear()
        _digests[raw] = digest
    return digest


def _digest(request, names: Iterable[str]) -> str:
    return hashlib.sha256(variant_of(request, names).encode()).hexdigest()[:32]
