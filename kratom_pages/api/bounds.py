"""What an API request may ask for, checked before it reaches the database, and which
database errors a request caused rather than suffered.

Wagtail's endpoints hand query parameters to the database and the search backends as they
come: a 20-digit offset overflows the SQL integer, an 8 KB search recurses past Python's
limit, a NUL byte is refused by PostgreSQL. Each is the client's mistake and deserves a 400
naming the parameter, not a 5xx (SECURITY.md, "Input bounds").
"""

import json
import re
from urllib.parse import unquote_to_bytes

from django.db import DatabaseError, DataError
from django.utils.translation import gettext as _

from kratom_pages import conf

# PostgreSQL integer columns and SQLite's OFFSET stop here; no id or page is larger.
MAX_INTEGER = 2**31 - 1
# A longer run of digits is no id, limit or offset in any parameter.
MAX_DIGITS = 18
MAX_JSON_DEPTH = 32
# Wagtail v2 parses ``fields=a(b(c))`` recursively; real nestings are two or three deep.
MAX_FIELDS_DEPTH = 10

INTEGER_PARAMETERS = frozenset(
    [
        "limit",
        "offset",
        "id",
        "page",
        "parent",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "translation_of",
    ]
)
# Integers only our own endpoints read (replies), which nobody else validates.
OWN_INTEGER_PARAMETERS = frozenset(["page", "parent"])
# Page ids that may also be "root", the site's root page.
ROOT_RELATIVE_PARAMETERS = frozenset(["child_of", "descendant_of", "translation_of"])
# Wagtail v3 reads these as lists (``?type=a&type=b``); v2 keeps the last value.
REPEATABLE_PARAMETERS = frozenset(["type", "order"])
SEARCH_OPERATORS = frozenset(["and", "or"])

# C0 and C1 controls, DEL included: no parameter has a use for them, and PostgreSQL
# refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")
# A JSON string, escapes included (unrolled so it runs in linear time).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class BoundsError(Exception):
    """A request outside the bounds: ``parameter`` names what to fix."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message

    def as_dict(self) -> dict:
        # Wagtail's own shape: the message names the parameter.
        return {"message": self.message}


def query_pairs(query_string: str | bytes) -> list[tuple[str, str]]:
    """``(name, value)`` pairs decoded strictly: invalid UTF-8 is an error, not U+FFFD."""
    if isinstance(query_string, str):
        # WSGI passes the raw bytes as a latin-1 string; ASGI (Django) as UTF-8 text.
        try:
            query_string = query_string.encode("latin-1")
        except UnicodeEncodeError:
            query_string = query_string.encode()
    pairs = []
    for pair in query_string.split(b"&"):
        if not pair:
            continue
        raw_name, _sep, raw_value = pair.partition(b"=")
        name = _decode(raw_name, None)
        pairs.append((name, _decode(raw_value, name)))
    return pairs


def _decode(raw: bytes, name: str | None) -> str:
    data = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        return data.decode()
    except UnicodeDecodeError:
        shown = _printable(name if name is not None else data.decode(errors="replace"))
        raise BoundsError(shown, _("'%(name)s' is not valid UTF-8.") % {"name": shown}) from None


def _printable(name: str) -> str:
    return _CONTROL.sub("?", name)[:64]


def check_query(query_string: str | bytes, path: str = "") -> None:
    """Raise ``BoundsError`` for the first parameter out of bounds in ``query_string``
    (sent to ``path``)."""
    seen: set[str] = set()
    for name, value in query_pairs(query_string):
        shown = _printable(name)
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise BoundsError(shown, _("'%(name)s' contains control characters.") % {"name": shown})
        if "[" in name or "]" in name:
            raise BoundsError(
                shown,
                _("'%(name)s': parameters take one plain value, not arrays.") % {"name": shown},
            )
        if name in seen and name not in REPEATABLE_PARAMETERS:
            raise BoundsError(shown, _("'%(name)s' is given more than once.") % {"name": shown})
        seen.add(name)
        _check_value(name, shown, value, path)


def _check_value(name: str, shown: str, value: str, path: str) -> None:
    if name in INTEGER_PARAMETERS:
        _check_integer(name, value, path)
        return
    # int() also reads " 1 ", "1_000" and non-ASCII digits: a field filter may get there.
    digits = value.strip().lstrip("+-").replace("_", "")
    if name != "search" and digits.isdecimal() and len(digits) > MAX_DIGITS:
        raise BoundsError(
            shown,
            _("'%(name)s' holds a number of more than %(digits)d digits.")
            % {"name": shown, "digits": MAX_DIGITS},
        )
    if name == "search":
        limit = conf.get("API_MAX_SEARCH_LENGTH")
        if len(value) > limit:
            raise BoundsError(
                name,
                _("'search' must be at most %(limit)d characters.") % {"limit": limit},
            )
    elif name == "search_operator" and value not in SEARCH_OPERATORS:
        raise BoundsError(name, _("'search_operator' must be 'and' or 'or'."))
    elif name == "fields" and _nesting(value, "(", ")") > MAX_FIELDS_DEPTH:
        raise BoundsError(
            name,
            _("'fields' may nest at most %(depth)d levels.") % {"depth": MAX_FIELDS_DEPTH},
        )


def _check_integer(name: str, value: str, path: str) -> None:
    if value == "root" and name in ROOT_RELATIVE_PARAMETERS:
        return
    try:
        # Python's reading, as the endpoints' own: " 1 ", "1_000", full-width digits.
        number = int(value)
    except ValueError:
        # Wagtail validates these itself, in its own words (v2's 400s, v3's 422s), except
        # v2's find view, which passes ?id= to the database unchecked ("abc": a 500).
        if name in OWN_INTEGER_PARAMETERS or (name == "id" and path.rstrip("/").endswith("/find")):
            raise BoundsError(name, _("'%(name)s' must be an integer.") % {"name": name}) from None
        return
    digits = value.strip().lstrip("+-").replace("_", "")
    if len(digits) > MAX_DIGITS or abs(number) > MAX_INTEGER:
        raise BoundsError(
            name, _("'%(name)s' must be at most %(max)d.") % {"name": name, "max": MAX_INTEGER}
        )


def _nesting(text, opening, closing) -> int:
    depth = deepest = 0
    for char in text:
        if char in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif char in closing:
            depth -= 1
    return deepest


class _NotFinite(Exception):
    pass


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise _NotFinite(text)
    return number


def _no_constant(text: str):
    raise _NotFinite(text)  # NaN, Infinity: Python's json reads them, JSON has none


def check_json_body(body: bytes) -> None:
    """Raise ``BoundsError`` for JSON nested deeper than ``MAX_JSON_DEPTH`` or holding a
    number too large for a float. Bodies that are not JSON are left to the endpoint."""
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH:
        # Strings may hold brackets; without them, the brackets alone give the depth.
        brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)).decode()
        if _nesting(brackets, "[{", "]}") > MAX_JSON_DEPTH:
            raise BoundsError(
                "body",
                _("The JSON body may nest at most %(depth)d levels.") % {"depth": MAX_JSON_DEPTH},
            )
    try:
        json.loads(body, parse_float=_finite_float, parse_constant=_no_constant)
    except _NotFinite as exc:
        raise BoundsError(
            "body", _("%(number)s is not a finite number.") % {"number": str(exc)[:32]}
        ) from None
    except ValueError:
        return


# SQLite result codes for values a query cannot use (an OFFSET past 64 bits is a
# "datatype mismatch").
_REQUEST_SQLITE_ERRORS = frozenset(["SQLITE_MISMATCH", "SQLITE_TOOBIG", "SQLITE_RANGE"])


def blamed_parameter(exc: DatabaseError, params) -> str | None:
    """The parameter(s) of ``params`` whose values made the database reject the query, or
    None when the fault is the database's (unreachable, shut down, out of resources).

    Read from the driver's error: PostgreSQL's SQLSTATE (class 22 data exception, 42601
    syntax error, 54 too complex; never class 08 connection or 57 shutdown) and SQLite's
    result code (an FTS5 search it cannot parse is the generic SQLITE_ERROR; a database
    that is locked, read-only or unopenable has codes of its own).
    """
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or ""
    sqlite_error = getattr(cause, "sqlite_errorname", None)
    if sqlite_error == "SQLITE_ERROR" or sqlstate == "42601" or sqlstate[:2] == "54":
        # A missing table is our schema's fault, whatever the request searched for.
        searched = "search" in params and "no such table" not in str(cause)
        return "search" if searched else None
    caused = (
        sqlstate[:2] == "22"
        or sqlite_error in _REQUEST_SQLITE_ERRORS
        # psycopg refuses NUL bytes before sending: a DataError without a SQLSTATE.
        or isinstance(exc, DataError)
    )
    if not caused:
        return None
    return ", ".join(sorted(_printable(name) for name in params)[:10]) or "body"


def database_refusal(exc: DatabaseError, params) -> BoundsError | None:
    """A 400-worthy ``BoundsError`` when ``exc`` is the database refusing this request's
    values (``blamed_parameter``), else None."""
    blamed = blamed_parameter(exc, params)
    if blamed is None:
        return None
    message = _("The database cannot answer this query; check '%(name)s'.")
    return BoundsError(blamed, message % {"name": blamed})
