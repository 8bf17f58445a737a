"""A catalogue of bad input: each answers a clear 4xx JSON error, never a 5xx."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Reply rate limits and cached responses live in the cache: each test starts clean.
    from django.core.cache import cache

    cache.clear()


BAD_V2_LISTING = [
    {"limit": "-1"},
    {"limit": "abc"},
    {"limit": "100000"},
    {"offset": "-5"},
    {"offset": "abc"},
    {"fields": "no_such_field"},
    {"fields": "body(nope)"},
    {"type": "nope.Nope"},
    {"type": "kratom_pages.Nope"},
    {"type": "notalabel"},
    {"order": "no_such_field"},
    {"order": "--title"},
    {"child_of": "abc"},
    {"child_of": "99999999999999999999"},
    {"descendant_of": "-1"},
    {"locale": "xx-invalid"},
    {"rich_text_format": "pdf"},
    {"unknown_parameter": "1"},
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", BAD_V2_LISTING, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_bad_v2_listing_parameters_are_400_json(client, article, params):
    response = client.get("/api/v2/pages/", params)
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "search",
    [
        "'; DROP TABLE wagtailcore_page; --",
        '" OR 1=1 --',
        "%_%",
        "\\",
        "kratom\u200b\u200f",
        "كراتوم",
        "🌿" * 50,
        "x" * 5000,
    ],
)
def test_injection_shaped_and_unicode_searches_never_fail(client, article, search):
    response = client.get("/api/v2/pages/", {"search": search})
    assert response.status_code in (200, 400), response.content[:300]
    assert "message" in response.json() or "items" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/99999999999999999999/",
        "/api/v2/pages/2147483648/",
        "/api/v2/pages/0/",
        "/api/v3/pages/99999999999999999999/",
        "/api/v3/pages/0/",
        "/api/v3/pages/abc/",
    ],
)
def test_non_integer_and_huge_ids_are_clear_4xx(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "abc"},
        {"offset": "-1"},
        {"type": "nope.Nope"},
        {"order": "no_such_field"},
    ],
)
def test_bad_v3_listing_parameters_are_4xx(client, article, params):
    response = client.get("/api/v3/pages/", params)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["مرحبا بالعالم", "a\u200bb\u200cc\u200dd", "🌿💊🧪", "\u202etxet desrever"],
    ids=["rtl", "zero-width", "emoji", "bidi-override"],
)
def test_unicode_replies_are_kept_exactly(client, article, text):
    import json

    from kratom_pages.models import ReaderReply

    payload = {
        "page": article.pk,
        "display_name": text[:80],
        "email": "u@example.com",
        "body": text,
    }
    response = client.post("/api/v2/replies/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert ReaderReply.objects.get().body == text


XSS = '<script>alert("kp")</script>'


def _xss_body():
    return [
        {"type": "heading", "value": {"text": XSS, "level": "h2", "anchor": ""}},
        {"type": "pull_quote", "value": {"quote": XSS, "attribution": XSS, "source_url": ""}},
        {"type": "callout", "value": {"variant": "info", "title": XSS, "body": "<p>x</p>"}},
        {
            "type": "guidelines",
            "value": {
                "heading": XSS,
                "items": [{"label": XSS, "explanation": "<p>x</p>", "kind": "do"}],
            },
        },
        {
            "type": "faq",
            "value": {
                "heading": XSS,
                "items": [{"question": XSS, "answer": "<p>x</p>", "citations": []}],
            },
        },
        {"type": "conclusion", "value": {"heading": XSS, "body": "<p>x</p>"}},
    ]


@pytest.mark.django_db
def test_xss_in_every_editor_text_field_is_escaped_and_inert(client, index_page):
    from kratom_pages.models import Reviewer
    from tests.factories import ArticlePageFactory, SourceFactory, numbered_block

    source = SourceFactory(title=XSS, authors=XSS)
    # Rich text bodies are editor HTML, sanitised by the editor itself; plain fields here.
    numbered = numbered_block("placeholder", sources=[source])
    numbered["value"]["heading"] = XSS
    numbered["value"]["items"][0]["heading"] = XSS
    reviewer = Reviewer.objects.create(name=XSS, credentials=XSS)
    page = ArticlePageFactory.build(
        slug="xss",
        title=XSS,
        author_name=XSS,
        search_description=XSS,
        seo_title=XSS,
        reviewed_by=reviewer,
        body=[*_xss_body(), numbered],
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;kp&quot;)&lt;/script&gt;" in html
    json_ld = html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in json_ld and "\\u003Cscript\\u003E" in json_ld

    api = client.get(f"/api/v2/pages/{page.pk}/")
    assert api["Content-Type"] == "application/json"
    assert api.json()["title"] == XSS  # data, exactly as typed: inert in JSON


# --- The catalogue: hostile input across every read endpoint (issue 13) ------------------
#
# Every answer is a 4xx with a JSON message naming what to fix (Wagtail's v3 endpoints
# answer RFC 7807 problem details, whose text is ``detail``), or HTML for template pages;
# never a 5xx, and never a 503 "temporarily unavailable" for a request's own mistake.

HUGE = "99999999999999999999"


def assert_json_client_error(response, parameter=None):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert "Retry-After" not in response
    data = response.json()
    assert data.get("message") or data.get("detail"), data
    if parameter is not None:
        message = data.get("message") or data.get("detail") or ""
        assert parameter in str(message), data


def get(client, url, query=""):
    """GET with the query string exactly as given: no re-encoding by the test client."""
    return client.generic("GET", url, QUERY_STRING=query)


def post_json(client, url, body: str):
    return client.generic("POST", url, body, content_type="application/json")


@pytest.fixture
def urls(article):
    """Every read endpoint, v2 and v3, with the published article's id filled in."""
    return {
        "v2 pages": "/api/v2/pages/",
        "v2 page detail": f"/api/v2/pages/{article.pk}/",
        "v2 find": "/api/v2/pages/find/",
        "v2 replies": "/api/v2/replies/",
        "v2 preview": "/api/v2/page_preview/",
        "v2 images": "/api/v2/images/",
        "v2 documents": "/api/v2/documents/",
        "v3 pages": "/api/v3/pages/",
        "v3 page detail": f"/api/v3/pages/{article.pk}/",
        "v3 find": "/api/v3/pages/find/",
        "v3 replies": "/api/v3/replies/",
        "v3 preview": "/api/v3/page_preview/",
    }


# The findings, each reproduced as reported.


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
@pytest.mark.parametrize("query", ["search=%00", "search=a%22%20OR%201%3D1--"])
def test_hostile_search_is_a_client_error_not_an_outage(client, article, version, query):
    response = get(client, f"/api/{version}/pages/", query)
    if response.status_code == 200:  # PostgreSQL parses the quote as plain text
        assert "items" in response.json()
    else:
        assert_json_client_error(response)


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_nul_in_search_is_a_400_naming_search(client, article, version):
    response = get(client, f"/api/{version}/pages/", "search=%00")
    assert response.status_code == 400
    assert_json_client_error(response, parameter="search")


@pytest.mark.django_db
@pytest.mark.parametrize("search", ['a"b', '"', "a OR", "NEAR(", "^", "a:b", "*"])
def test_search_the_backend_cannot_parse_is_a_400_naming_search(client, article, search):
    # Wagtail core's v3 listing hands the search to the backend as typed; SQLite FTS5
    # rejects some of it (an OperationalError, once reported as a 503 outage).
    response = client.get("/api/v3/pages/", {"search": search})
    if response.status_code != 200:
        assert_json_client_error(response, parameter="search")


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_8kb_search_is_a_400_naming_search(client, article, version):
    response = client.get(f"/api/{version}/pages/", {"search": "a " * 4000})
    assert response.status_code == 400
    assert_json_client_error(response, parameter="search")
    assert "200" in response.json()["message"]


@pytest.mark.django_db
def test_search_at_the_length_limit_is_answered(client, article):
    response = client.get("/api/v3/pages/", {"search": ("kratom " * 40)[:200]})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/",
        "/api/v3/pages/",
        "/api/v2/replies/?page={id}",
        "/api/v3/replies/?page={id}",
        "/api/v2/images/",
    ],
)
def test_huge_offset_is_a_400_naming_offset(client, article, url):
    path, _sep, query = url.format(id=article.pk).partition("?")
    response = get(client, path, "&".join(filter(None, [query, f"offset={HUGE}"])))
    assert response.status_code == 400
    assert_json_client_error(response, parameter="offset")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["1e400", "-1e400", "1e308", "true", "1.5", "[1]", '{"id": 1}'])
def test_reply_post_with_a_page_that_is_no_integer_is_a_400(client, article, page):
    from kratom_pages.models import ReaderReply

    body = f'{{"page": {page}, "display_name": "a", "email": "a@example.com", "body": "b"}}'
    response = post_json(client, "/api/v2/replies/", body)
    assert response.status_code == 400
    assert_json_client_error(response)
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_body_nested_30000_deep_is_a_400(client, article, opening):
    from kratom_pages.models import ReaderReply

    closing = "]" if opening == "[" else "}"
    body = opening * 30000 + "1" + closing * 30000
    assert len(body) <= 64 * 1024 or opening != "["  # under the reply size cap
    response = post_json(client, "/api/v2/replies/", body)
    assert 400 <= response.status_code < 500
    assert response.json()["message"]
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_brackets_inside_json_strings_do_not_count_as_nesting(client, article):
    from kratom_pages.models import ReaderReply

    payload = {
        "page": article.pk,
        "display_name": "[[[{{{",
        "email": "a@example.com",
        "body": "[" * 500 + '"\\' + "{" * 500,
    }
    response = client.post("/api/v2/replies/", payload, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    assert ReaderReply.objects.get().body == payload["body"]


@pytest.mark.django_db
def test_json_nested_within_the_limit_reaches_the_endpoint(client, article):
    nested = "[" * 30 + "]" * 30
    body = f'{{"page": {article.pk}, "parent": {nested}}}'
    response = post_json(client, "/api/v2/replies/", body)
    assert response.status_code == 400
    assert response.json()["errors"]["parent"]  # the endpoint's own answer


# The neighbours of each finding, across every endpoint.

CONTROL_CHARACTERS = ["%00", "%01", "%08", "%09", "%0A", "%1B", "%1F", "%7F", "%C2%85", "%C2%9F"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["v2 pages", "v3 pages", "v2 find", "v3 find", "v2 images"])
@pytest.mark.parametrize("char", CONTROL_CHARACTERS)
def test_control_characters_in_any_parameter_are_a_400(client, urls, endpoint, char):
    parameter = "html_path" if "find" in endpoint else "search"
    response = get(client, urls[endpoint], f"{parameter}=a{char}b")
    assert response.status_code == 400
    assert_json_client_error(response, parameter=parameter)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("v2 preview", "content_type=%00&token=x"),
        ("v3 preview", "content_type=%00&token=x"),
        ("v2 preview", "content_type=kratom_pages.articlepage&token=a%00b"),
        ("v3 preview", "content_type=kratom_pages.articlepage&token=a%00b"),
        ("v2 replies", "page=%00"),
        ("v3 replies", "page=%00"),
        ("v2 page detail", "fields=%00"),
        ("v3 page detail", "rich_text_format=%00"),
        ("v3 pages", "title=%00"),
        ("v3 pages", "locale=%00"),
        ("v2 pages", "%00=1"),
    ],
)
def test_nul_bytes_never_reach_the_database(client, urls, endpoint, query):
    # PostgreSQL refuses NUL in text outright (a DataError, once a 500).
    assert_json_client_error(get(client, urls[endpoint], query))


INVALID_UTF8 = ["%ff%fe", "%c3", "%c3%28", "%e2%82", "%ed%a0%80", "%f8%88%80%80%80"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["v2 pages", "v3 pages", "v2 replies", "v3 preview"])
@pytest.mark.parametrize("encoded", INVALID_UTF8)
def test_invalid_utf8_percent_encodings_are_a_400(client, urls, endpoint, encoded):
    response = get(client, urls[endpoint], f"search={encoded}")
    assert response.status_code == 400
    assert_json_client_error(response, parameter="search")
    assert "UTF-8" in response.json()["message"]


@pytest.mark.django_db
def test_invalid_utf8_in_a_parameter_name_is_a_400(client, urls):
    assert_json_client_error(get(client, urls["v3 pages"], "%ff%fe=1"))


OVERLONG_NUMBERS = [
    HUGE,
    "2147483648",
    "-" + HUGE,
    "+" + HUGE,
    " " + HUGE + " ",
    "9_999_999_999_999_999_999",
    "1" + "0" * 5000,
    "\uff11" * 20,  # fullwidth digits: int() reads them too
]
NUMERIC_PARAMETERS = {
    "v2 pages": ["limit", "offset", "id", "child_of", "descendant_of", "ancestor_of"],
    "v3 pages": [
        "limit",
        "offset",
        "id",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "translation_of",
    ],
    "v2 find": ["id"],
    "v3 find": ["id"],
    "v2 replies": ["page", "limit", "offset"],
    "v3 replies": ["page", "limit", "offset"],
    "v2 images": ["limit", "offset", "id"],
    "v2 documents": ["limit", "offset", "id"],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "parameter"),
    [(endpoint, name) for endpoint, names in NUMERIC_PARAMETERS.items() for name in names],
)
@pytest.mark.parametrize("number", OVERLONG_NUMBERS, ids=lambda n: n[:24])
def test_overlong_numbers_in_every_numeric_parameter_are_a_4xx(
    client, urls, article, endpoint, parameter, number
):
    from urllib.parse import quote

    query = f"{parameter}={quote(number)}"
    if "replies" in endpoint and parameter != "page":
        query = f"page={article.pk}&{query}"
    response = get(client, urls[endpoint], query)
    assert_json_client_error(response)
    assert parameter in str(response.json().get("message") or response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["v2 pages", "v3 pages", "v2 replies", "v3 replies"])
@pytest.mark.parametrize(
    "query",
    [
        "limit=1&limit=2",
        "offset=0&offset=1",
        "offset[]=1",
        "limit[]=1&limit[]=2",
        "search[]=a",
        "page[]=1",
        "search[a]=b",
    ],
)
def test_arrays_where_scalars_are_expected_are_a_400(client, urls, endpoint, query):
    response = get(client, urls[endpoint], query)
    assert response.status_code == 400
    assert_json_client_error(response)


KNOWN_PARAMETERS = {
    "v2 pages": {
        "limit": "1",
        "offset": "0",
        "fields": "title",
        "order": "title",
        "search": "kratom",
        "search_operator": "and",
        "rich_text_format": "html",
        "type": "kratom_pages.ArticlePage",
        "child_of": "{index}",
        "descendant_of": "{index}",
        "locale": "en",
        "site": "testserver",
        "id": "{id}",
    },
    "v3 pages": {
        "limit": "1",
        "offset": "0",
        "search": "kratom",
        "search_operator": "and",
        "child_of": "{index}",
        "descendant_of": "{index}",
        "ancestor_of": "{id}",
        "translation_of": "{id}",
        "locale": "en",
        "site": "testserver",
        "id": "{id}",
        "title": "x",
    },
    "v2 replies": {"page": "{id}", "limit": "5", "offset": "0"},
    "v3 replies": {"page": "{id}", "limit": "5", "offset": "0"},
    "v2 preview": {"content_type": "kratom_pages.articlepage", "token": "x"},
    "v3 preview": {"content_type": "kratom_pages.articlepage", "token": "x"},
    "v2 page detail": {"fields": "title", "rich_text_format": "html"},
    "v3 page detail": {"version": "live", "rich_text_format": "html"},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "parameter"),
    [
        (endpoint, name)
        for endpoint, names in KNOWN_PARAMETERS.items()
        for name in names
        if name not in ("type", "order")  # v3 reads both as lists; v2 keeps the last
    ],
)
def test_every_parameter_repeated_is_a_400_naming_it(
    client, urls, article, index_page, endpoint, parameter
):
    from urllib.parse import quote

    value = KNOWN_PARAMETERS[endpoint][parameter].format(id=article.pk, index=index_page.pk)
    query = f"{parameter}={quote(value)}&{parameter}={quote(value)}"
    response = get(client, urls[endpoint], query)
    assert response.status_code == 400
    assert_json_client_error(response, parameter=parameter)
    assert "more than once" in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["type", "order"])
def test_v3_list_parameters_may_repeat(client, article, parameter):
    value = {"type": "kratom_pages.ArticlePage", "order": "title"}[parameter]
    response = get(client, "/api/v3/pages/", f"{parameter}={value}&{parameter}={value}")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_fields_nested_too_deep_is_a_400(client, article, version):
    response = client.get(f"/api/{version}/pages/", {"fields": "title(" * 3000})
    assert response.status_code == 400
    assert_json_client_error(response, parameter="fields")


@pytest.mark.django_db
def test_unknown_search_operator_is_a_400(client, article):
    response = client.get("/api/v2/pages/", {"search": "kratom", "search_operator": "xor"})
    assert_json_client_error(response, parameter="search_operator")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        '{"page": 1, "body": 1e999}',
        '{"page": NaN}',
        '{"page": Infinity}',
        '{"page": 1' + "0" * 5000 + "}",
        "[" * 40 + "]" * 40,
        '{"page": "\\ud800"}',
        b'{"page": "\xff\xfe"}'.decode("latin-1"),
        "",
        "null",
        '"a string"',
    ],
    ids=lambda body: body[:20],
)
def test_hostile_reply_bodies_are_a_400(client, article, body):
    from kratom_pages.models import ReaderReply

    response = post_json(client, "/api/v2/replies/", body)
    assert_json_client_error(response)
    assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_reply_post_with_a_garbage_content_length_is_a_4xx(client, article):
    response = client.generic(
        "POST",
        "/api/v2/replies/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="abc",
    )
    assert 400 <= response.status_code < 500


# Errors classified by cause: the request's values are a 400, an unreachable database a 503.


class _DriverError(Exception):
    """Stands in for a psycopg or sqlite3 error: what Django chains as ``__cause__``."""

    def __init__(self, message, sqlstate=None, sqlite_errorname=None):
        super().__init__(message)
        self.sqlstate, self.sqlite_errorname = sqlstate, sqlite_errorname


def _raising(django_error, driver_error):
    def execute(execute, sql, params, many, context):
        raise django_error(str(driver_error)) from driver_error

    return execute


CAUSES = [
    # (Django class, driver error, search in the query?, expected status)
    ("OperationalError", _DriverError("connection refused", sqlstate=None), True, 503),
    ("OperationalError", _DriverError("server closed the connection", "08006"), True, 503),
    ("OperationalError", _DriverError("terminating connection", "57P01"), False, 503),
    ("OperationalError", _DriverError("too many connections", "53300"), True, 503),
    ("OperationalError", _DriverError("database is locked", None, "SQLITE_BUSY"), True, 503),
    ("OperationalError", _DriverError("unable to open", None, "SQLITE_CANTOPEN"), False, 503),
    ("InterfaceError", _DriverError("connection already closed"), True, 503),
    ("OperationalError", _DriverError("fts5: syntax error", None, "SQLITE_ERROR"), True, 400),
    ("OperationalError", _DriverError("unterminated string", None, "SQLITE_ERROR"), True, 400),
    ("OperationalError", _DriverError("no such table: x", None, "SQLITE_ERROR"), True, 503),
    ("ProgrammingError", _DriverError("syntax error in tsquery", "42601"), True, 400),
    ("DataError", _DriverError("bigint out of range", "22003"), False, 400),
    ("DataError", _DriverError("cannot contain NUL (0x00) bytes"), True, 400),
    ("IntegrityError", _DriverError("datatype mismatch", None, "SQLITE_MISMATCH"), False, 400),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v3/pages/"])
@pytest.mark.parametrize(
    ("django_error", "driver_error", "searching", "status"),
    CAUSES,
    ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CAUSES],
)
def test_database_errors_are_classified_by_cause(
    client, article, url, django_error, driver_error, searching, status
):
    from django import db
    from django.db import connection

    query = {"search": "kratom"} if searching else {"limit": "5"}
    with connection.execute_wrapper(_raising(getattr(db, django_error), driver_error)):
        response = client.get(url, query)
    assert response.status_code == status, response.content[:300]
    assert response.json()["message"]
    if status == 503:
        assert response["Retry-After"] == "30"
    else:
        assert "Retry-After" not in response
        assert ("search" if searching else "limit") in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", f"/api/v2/pages/?offset={HUGE}", None),
        ("GET", "/api/v2/pages/?search=%00", None),
        ("GET", "/api/v2/page_preview/?content_type=%00&token=x", None),
        ("GET", "/api/v3/page_preview/?content_type=%00&token=x", None),
        ("GET", f"/api/v2/replies/?page={{id}}&offset={HUGE}", None),
        ("GET", f"/api/v3/replies/?page={{id}}&offset={HUGE}", None),
        ("POST", "/api/v2/replies/", '{"page": 1e400}'),
        ("POST", "/api/v2/replies/", "[" * 30000 + "]" * 30000),
    ],
)
def test_our_endpoints_hold_their_bounds_without_the_middleware(
    client, settings, article, method, url, body
):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "kratom_pages.middleware.APIErrorMiddleware"
    ]
    path, _sep, query = url.format(id=article.pk).partition("?")
    response = get(client, path, query) if method == "GET" else post_json(client, path, body)
    assert_json_client_error(response)


# Template pages: odd query strings and the server-rendered reply form answer HTML.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/article/"])
@pytest.mark.parametrize(
    "query",
    [
        "page=%00",
        f"page={HUGE}",
        "page=-1",
        "page=1e400",
        "page=1&page=2",
        "page[]=1",
        f"replies_page={HUGE}",
        "replies_page=%ff%fe",
        "replied=%00",
        "%ff%fe=1",
        "search=" + "a" * 5000,
        "a=%",
        "=&&==",
    ],
)
def test_template_pages_with_odd_query_strings_answer_html(client, article, path, query):
    response = get(client, path, query)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/%00/", "/article/%ff%fe/", "/article/%00/", "/" + "a/" * 300])
def test_odd_page_paths_are_an_html_404(client, article, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        {"parent": HUGE},
        {"parent": "1e400"},
        {"parent": "-1"},
        {"parent": "%00"},
        {"parent": "\x00"},
        {"body": "\x00"},
        {"display_name": "\x00", "email": "\x00@example.com"},
        {"body": "x" * 100_000},
        {"parent": ["1", "2"]},
        {"email": ["a@example.com", "b@example.com"]},
    ],
    ids=lambda form: next(iter(form)),
)
def test_server_rendered_reply_form_with_hostile_values_answers_html(client, article, form):
    from kratom_pages.models import ReaderReply

    data = {
        "kratom_reply": "1",
        "display_name": "a",
        "email": "a@example.com",
        "body": "b",
        **form,
    }
    response = client.post(article.url, data)
    assert response.status_code in (302, 400), (response.status_code, response.content[:300])
    if response.status_code == 400:
        assert response["Content-Type"].startswith("text/html")
        assert ReaderReply.objects.count() == 0


@pytest.mark.django_db
def test_server_rendered_reply_form_with_invalid_utf8_answers_html(client, article):
    body = b"kratom_reply=1&display_name=%ff%fe&email=a%40example.com&body=%c3%28"
    response = client.generic(
        "POST", article.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    assert response["Content-Type"].startswith("text/html")
