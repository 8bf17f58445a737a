"""A cited source as schema.org JSON-LD: a CreativeWork with its authors as people or one
organisation, and its journal as the Periodical it is part of."""

import re
from typing import Any

# One author as PubMed and Vancouver write them: a surname, then up to three initials
# ("Garcia-Romeu A", "Smith KE"). A source whose every listed author reads so names people;
# any other text ("U.S. Food and Drug Administration (FDA)") names an organisation.
_VANCOUVER_AUTHOR = re.compile(r"^[^\W\d_][\w'’.\- ]*\s[A-Z]{1,3}$")
_ET_AL = re.compile(r"^et\.? al\.?$", re.IGNORECASE)


def citation_authors(source) -> list[dict[str, str]] | dict[str, str] | None:
    """A source's authors as schema.org nodes: people for a Vancouver-style list
    ("Smith KE, Dunn KE, et al."), else one organisation named by the whole text."""
    text = " ".join((source.authors or "").split())
    if not text:
        return None
    names = [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
    names = [name for name in names if not _ET_AL.match(name)]
    if source.kind != "public_health" and names and all(map(_VANCOUVER_AUTHOR.match, names)):
        return [{"@type": "Person", "name": name} for name in names]
    return {"@type": "Organization", "name": text}


def citation_node(source) -> dict[str, Any]:
    node = {
        "@type": "CreativeWork",
        "name": source.title,
        "author": citation_authors(source),
        # The journal or series is where the work appeared, never one of its authors.
        "isPartOf": (
            {"@type": "Periodical", "name": source.publication} if source.publication else None
        ),
        "datePublished": str(source.year) if source.year else None,
        "url": source.link,
    }
    return compact(node)


def compact(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` without empty properties (schema.org wants them left out, not null)."""
    return {key: value for key, value in node.items() if value not in (None, "", [])}
