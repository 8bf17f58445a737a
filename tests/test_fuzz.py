"""Fuzzing: schemathesis against our v3 endpoints, hypothesis through our blocks.

Bounded for the default suite; set KRATOM_FUZZ_EXAMPLES (e.g. 500) for a longer run.
"""

import contextlib
import os
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from kratom_pages.blocks import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock
from kratom_pages.blocks.citations import SourceChooserBlock

EXAMPLES = int(os.environ.get("KRATOM_FUZZ_EXAMPLES", "25"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("KRATOM_FUZZ_EXAMPLES"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Our operations in Wagtail's v3 schema: read-only, anonymous. (The detail serves our
# page types' schemas; the v3 listing is Wagtail's own and not ours to fuzz here.)
OUR_OPERATIONS = [
    ("get", "/api/v3/replies/"),
    ("get", "/api/v3/page_preview/"),
    ("get", "/api/v3/pages/{page_id}/"),
]


@pytest.fixture(scope="module")
def v3_schema(django_db_blocker):
    with django_db_blocker.unblock():
        raw = Client().get("/api/v3/openapi.json").json()
    return schemathesis.openapi.from_dict(raw)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OUR_OPERATIONS)
def test_schemathesis_finds_no_server_errors(client, v3_schema, article, method, path):
    operation = next(
        result.ok()
        for result in v3_schema.get_all_operations()
        if result.ok().method == method and result.ok().path == path
    )

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy())
    def check(case):
        response = client.generic(
            case.method.upper(), case.formatted_path, QUERY_STRING=_query(case.query)
        )
        assert response.status_code < 500, (case.formatted_path, case.query, response.content[:300])

    check()


def _query(query) -> str:
    from urllib.parse import urlencode

    return urlencode(query or {}, doseq=True)


def _raw_strategy(block, depth=0):
    """Raw JSON-ish values shaped like ``block``, with junk mixed in."""
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=20))
    if isinstance(block, blocks.StreamBlock):
        children = [
            st.fixed_dictionaries(
                {"type": st.just(name), "value": _raw_strategy(child, depth + 1)},
                optional={"id": st.uuids().map(str)},
            )
            for name, child in block.child_blocks.items()
        ]
        return st.lists(st.one_of(children), max_size=4)
    if isinstance(block, blocks.StructBlock):
        return st.fixed_dictionaries(
            {},
            optional={
                name: _raw_strategy(child, depth + 1) for name, child in block.child_blocks.items()
            },
        )
    if isinstance(block, blocks.ListBlock):
        return st.lists(_raw_strategy(block.child_block, depth + 1), max_size=3)
    if isinstance(block, ImageChooserBlock | blocks.PageChooserBlock | SourceChooserBlock):
        return st.one_of(st.none(), st.integers(min_value=-5, max_value=10**6))
    if isinstance(block, blocks.ChoiceBlock):
        choices = [value for value, _label in block.field.choices if value]
        return st.one_of(st.sampled_from(choices), junk)
    if isinstance(block, blocks.RichTextBlock):
        return st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                [
                    '<p><a linktype="page" id="999999">gone</a></p>',
                    '<embed embedtype="image" id="999999" format="left"/>',
                    "<p>\x00</p>",
                ]
            ),
        )
    if isinstance(block, blocks.IntegerBlock):
        return st.one_of(st.integers(), junk)
    return st.one_of(st.text(max_size=60), junk)


@pytest.mark.django_db
@pytest.mark.parametrize("stream_block", [ArticleBodyBlock(), GuidelineBodyBlock(), FAQBodyBlock()])
def test_blocks_survive_generated_values(stream_block):
    @FUZZ_SETTINGS
    @given(raw=_raw_strategy(stream_block))
    def check(raw):
        value = stream_block.to_python(raw)
        # Rejecting bad values with a ValidationError is the point; crashing is not.
        with contextlib.suppress(ValidationError):
            stream_block.clean(value)
        representation = stream_block.get_api_representation(value, {})
        assert isinstance(representation, list)

    check()


# --- Query strings against every v2 and v3 read endpoint (issue 13) -----------------------
#
# Wagtail core's endpoints are fuzzed too: the app's middleware guards them, and a 5xx from
# any read endpoint is a bug whoever wrote the view.

QUERY_SETTINGS = settings(
    max_examples=int(os.environ.get("KRATOM_FUZZ_EXAMPLES", "100")),
    deadline=None,
    derandomize=not os.environ.get("KRATOM_FUZZ_EXAMPLES"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

READ_ENDPOINTS = [
    "/api/v2/pages/",
    "/api/v2/pages/{id}/",
    "/api/v2/pages/find/",
    "/api/v2/replies/",
    "/api/v2/page_preview/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v3/pages/",
    "/api/v3/pages/{id}/",
    "/api/v3/pages/find/",
    "/api/v3/replies/",
    "/api/v3/page_preview/",
    "/api/v3/sites/",
]
PARAMETER_NAMES = [
    "limit",
    "offset",
    "id",
    "page",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "search",
    "search_operator",
    "fields",
    "order",
    "type",
    "locale",
    "site",
    "html_path",
    "rich_text_format",
    "version",
    "content_type",
    "token",
    "title",
    "slug",
    "show_in_menus",
    "_",
    "format",
]


def _percent_encoded(raw: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in raw)


_values = st.one_of(
    st.integers().map(str),
    st.integers(min_value=2**31 - 5, max_value=2**70).map(str),
    st.sampled_from(["", "root", "-1", "0", "1e400", "NaN", "true", "*", "a" * 300]),
    st.sampled_from(["kratom_pages.ArticlePage", "title", "-title", "and", "or", "html"]),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=10),  # control characters
    st.text(alphabet="\"()*^:-+|&!<>\\'[]{}", max_size=12),  # search syntax
)
_names = st.one_of(
    st.sampled_from(PARAMETER_NAMES),
    st.sampled_from(PARAMETER_NAMES).map(lambda name: name + "[]"),
    st.text(max_size=8),
)
_pair = st.one_of(
    st.tuples(_names, _values).map(lambda pair: urlencode([pair])),
    # Raw bytes, invalid UTF-8 included, as a client may send them.
    st.tuples(st.sampled_from(PARAMETER_NAMES), st.binary(max_size=6)).map(
        lambda pair: f"{pair[0]}={_percent_encoded(pair[1])}"
    ),
    st.sampled_from(["%", "%zz", "=", "&", "a=%ff", "==="]),
)
_query_strings = st.lists(_pair, max_size=6).map("&".join)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_no_query_string_makes_a_read_endpoint_fail(client, article, endpoint):
    from django.db import transaction

    url = endpoint.format(id=article.pk)

    @QUERY_SETTINGS
    @given(query=_query_strings)
    def check(query):
        # Each example in a savepoint rolled back after it: a database error one example
        # caused (on PostgreSQL, an aborted transaction) cannot fail the next.
        with transaction.atomic():
            response = client.generic("GET", url, QUERY_STRING=query)
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, query, response.content[:300])

    check()
