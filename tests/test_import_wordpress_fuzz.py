"""Property tests of the importer's reading of post content (Hypothesis): random classic
HTML and block-editor markup never crash it, text never comes back as markup, and text
keeps its order.

Every generated text node starts with a unique marker ("w0001"), holds characters that
mean something in HTML (``< > & " '``), and is escaped in the source as WordPress stores
it. Bounded for the default suite; KRATOM_FUZZ_EXAMPLES (e.g. 500) runs longer.
"""

import html
import os
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kratom_pages.importers.structure import recognise

EXAMPLES = int(os.environ.get("KRATOM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("KRATOM_FUZZ_EXAMPLES"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
RICH_TEXT_TAGS = {"p", "br", "b", "i", "a", "ul", "ol", "li", "sup", "sub"}
MARKER = re.compile(r"w\d{4}")
WORDS = st.text(alphabet=st.sampled_from(list("abcdefghij  <>&\"'/=é€")), min_size=0, max_size=12)


class Text:
    """Numbers text nodes in document order as the markup is drawn."""

    def __init__(self):
        self.count = 0

    def __call__(self, words: str) -> str:
        self.count += 1
        return f"w{self.count:04d} " + html.escape(words, quote=False)


@st.composite
def inline(draw, text):
    words = text(draw(WORDS))
    wrapper = draw(st.sampled_from(["", "b", "em", "strong", "code", "span", "a"]))
    if not wrapper:
        return words
    attrs = ' href="https://example.org/x"' if wrapper == "a" else ""
    return f"<{wrapper}{attrs}>{words}</{wrapper}>"


@st.composite
def element(draw, text, block_editor: bool):
    kind = draw(st.sampled_from(["p", "p", "heading", "list", "quote", "pre", "table", "div"]))
    if kind == "p":
        body = " ".join(draw(st.lists(inline(text), min_size=1, max_size=3)))
        return f"<p>{body}</p>" if block_editor else body
    if kind == "heading":
        level = draw(st.integers(1, 6))
        return f"<h{level}>{text(draw(WORDS))}</h{level}>"
    if kind == "list":
        tag = draw(st.sampled_from(["ul", "ol"]))
        items = draw(st.lists(inline(text), min_size=1, max_size=3))
        return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"
    if kind == "quote":
        quoted = f"<p>{draw(inline(text))}</p>"
        cite = f"<cite>{text(draw(WORDS))}</cite>" if draw(st.booleans()) else ""
        return f"<blockquote>{quoted}{cite}</blockquote>"
    if kind == "pre":
        lines = [text(draw(WORDS)) for _ in range(draw(st.integers(1, 3)))]
        return "<pre>" + "\n\n".join(lines) + "</pre>"
    if kind == "table":
        width = draw(st.integers(1, 3))
        rows = [
            "<tr>" + "".join(f"<{cell}>{text(draw(WORDS))}</{cell}>" for _ in range(width))
            + "</tr>"
            for cell in ["th", *["td"] * draw(st.integers(1, 3))]
        ]  # fmt: skip
        return "<table>" + "".join(rows) + "</table>"
    inner = draw(element(text, block_editor))
    return f'<div class="wp-block-group">{inner}</div>'


@st.composite
def post(draw):
    text = Text()
    block_editor = draw(st.booleans())
    parts = draw(st.lists(element(text, block_editor), min_size=1, max_size=8))
    if block_editor:
        parts = [f"<!-- wp:html -->\n{part}\n<!-- /wp:html -->" for part in parts]
    return "\n\n".join(parts), text.count


def stored_texts(value) -> list[tuple[str, bool]]:
    """Every string a block holds, in order, and whether it is rich text (HTML)."""
    if isinstance(value, dict):
        return [t for key, item in value.items() for t in _field(key, item)]
    if isinstance(value, list):
        return [t for item in value for t in stored_texts(item)]
    if isinstance(value, str):
        return [(value, value.startswith("<"))]
    return []


def _field(key: str, item) -> list[tuple[str, bool]]:
    if key in ("code", "text", "heading", "citation", "caption", "label", "question"):
        return [(item, False)] if isinstance(item, str) else stored_texts(item)
    return stored_texts(item)


@pytest.mark.django_db
@FUZZ
@given(post())
def test_random_posts_keep_text_as_text_and_in_order(drawn):
    content, nodes = drawn

    structure = recognise(content)

    texts = [(structure.intro, True)] if structure.intro else []
    for block in structure.blocks:
        texts += stored_texts(block["value"])
    seen: list[str] = []
    for value, is_html in texts:
        if is_html:
            soup = BeautifulSoup(value, "html.parser")
            tags = {tag.name for tag in soup.find_all(True)}
            assert tags <= RICH_TEXT_TAGS, (tags, value)  # no text came back as markup
            value = soup.get_text(" ")
        seen += MARKER.findall(value)
    expected = [f"w{n:04d}" for n in range(1, nodes + 1)]
    assert seen == expected, (content, seen)


@pytest.mark.django_db
@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_reader(content):
    structure = recognise(content)

    for block in structure.blocks:
        for value, is_html in stored_texts(block["value"]):
            if is_html:
                tags = {t.name for t in BeautifulSoup(value, "html.parser").find_all(True)}
                assert tags <= RICH_TEXT_TAGS
