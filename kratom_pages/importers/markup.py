"""WordPress post HTML to a flat list of nodes, and rich text in Wagtail's storage format.

Classic-editor posts are stored without ``<p>`` tags (WordPress adds them on output with
``wpautop``), so ``autop`` does the same first; block-editor posts are ordinary HTML
between ``<!-- wp:... -->`` comments, which are dropped. Everything kept as rich text goes
through nh3 with an allow-list built from the target field's editor features, so no
script, style, iframe, event handler or ``javascript:`` link survives the import.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

BLOCK_TAGS = (
    "address|article|aside|blockquote|div|dl|figure|form|h[1-6]|hr|iframe|li|ol|p|pre|"
    "section|table|ul|script|style|!--"
)
_STARTS_WITH_BLOCK = re.compile(rf"^<(?:/?)(?:{BLOCK_TAGS})\b", re.I)
_BLANK_LINES = re.compile(r"\n\s*\n")
# As wpautop does: block-level tags stand apart, so text beside them becomes a paragraph.
_OPENING_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS.removesuffix('|!--')})\b[^>]*>)", re.I)
_CLOSING_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS.removesuffix('|!--')})>)", re.I)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.I | re.S)
_IMG_IN_CAPTION = re.compile(r"^\s*((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", re.I | re.S)
# Paired shortcodes keep their inner text; these self-closing ones carry nothing to keep.
_PAIRED_SHORTCODE = re.compile(r"\[([a-z][\w-]*)\b[^\]]*\](.*?)\[/\1\]", re.I | re.S)
_LONE_SHORTCODE = re.compile(
    r"\[(gallery|audio|video|playlist|contact-form-7|wpforms|et_pb_\w+)\b[^\]]*\]", re.I
)
_EMPTY_LINK = re.compile(r"<a>(.*?)</a>", re.S)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
EMBED_HOSTS = frozenset(
    {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"}
)
FEATURE_TAGS = {
    "bold": {"b"},
    "italic": {"i"},
    "link": {"a"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "superscript": {"sup"},
    "subscript": {"sub"},
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
UNWRAP = {"div", "section", "article", "main", "aside", "header", "footer", "span", "center"}
DROP = {"script", "style", "noscript", "form", "input", "button", "object", "embed", "svg"}


@dataclass
class ImageRef:
    """An image the post shows: its URL, alt text and caption, and attachment id if known."""

    src: str
    alt: str = ""
    caption: str = ""
    attachment_id: int = 0


@dataclass
class Node:
    """One top-level piece of a post: heading, text (p, ul, ol, ...), image, faq or embed."""

    kind: str
    tag: str = ""
    text: str = ""  # plain text: heading text, or a paragraph's text for recognisers
    html: str = ""  # inner HTML of text nodes, outer HTML of lists
    level: int = 2
    image: ImageRef | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)  # faq: (question, answer html)


def autop(text: str) -> str:
    """WordPress's paragraphs: blank-line separated chunks become ``<p>``, single newlines
    ``<br>``, except chunks that already start with a block element."""
    text = _OPENING_BLOCK.sub(r"\n\n\1", text.replace("\r\n", "\n"))
    text = _CLOSING_BLOCK.sub(r"\1\n\n", text)
    chunks = []
    for chunk in _BLANK_LINES.split(text.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    return "\n".join(chunks)


def _caption(match: re.Match) -> str:
    image = _IMG_IN_CAPTION.match(match.group(2))
    if not image:
        return match.group(2)
    caption = image.group(2).strip()
    return f"\n\n<figure>{image.group(1)}<figcaption>{caption}</figcaption></figure>\n\n"


def expand_shortcodes(text: str, warnings: list[str]) -> str:
    """``[caption]`` becomes a figure; other shortcodes are removed (inner text kept) and
    named in ``warnings``."""
    text = _CAPTION.sub(_caption, text)
    for pattern in (_PAIRED_SHORTCODE, _LONE_SHORTCODE):
        for match in pattern.finditer(text):
            warnings.append(f"[{match.group(1)}]")
    text = _PAIRED_SHORTCODE.sub(lambda m: m.group(2), text)
    return _LONE_SHORTCODE.sub("", text)


def prepare(content: str, warnings: list[str]) -> str:
    """Post content as HTML with paragraphs, whichever editor wrote it."""
    content = expand_shortcodes(content or "", warnings)
    return content if "<!-- wp:" in content else autop(content)


def _image(tag: Tag, caption: str = "") -> ImageRef:
    match = _WP_IMAGE_CLASS.search(" ".join(tag.get("class") or []))
    return ImageRef(
        src=(tag.get("src") or "").strip(),
        alt=(tag.get("alt") or "").strip(),
        caption=caption,
        attachment_id=int(match.group(1)) if match else 0,
    )


def _faq_pairs(tag: Tag) -> list[tuple[str, str]] | None:
    """Question/answer pairs of the Yoast SEO or Rank Math FAQ block, else None."""
    classes = set(tag.get("class") or [])
    if classes & {"schema-faq", "wp-block-yoast-faq-block"}:
        sections, q_class, a_class = (
            tag.select(".schema-faq-section"),
            "schema-faq-question",
            "schema-faq-answer",
        )
    elif classes & {"wp-block-rank-math-faq-block", "rank-math-faq-block"}:
        sections, q_class, a_class = (
            tag.select(".rank-math-faq-item"),
            "rank-math-question",
            "rank-math-answer",
        )
    else:
        return None
    pairs = []
    for section in sections:
        question, answer = section.find(class_=q_class), section.find(class_=a_class)
        if question is not None:
            pairs.append(
                (question.get_text(" ", strip=True), answer.decode_contents() if answer else "")
            )
    return pairs


def _nodes_from(tag: Tag, out: list[Node], warnings: list[str]) -> None:
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if child.strip():
                out.append(Node("text", tag="p", text=child.strip(), html=str(child).strip()))
            continue
        name = child.name
        if name in DROP:
            warnings.append(f"<{name}>")
        elif name in HEADINGS:
            text = child.get_text(" ", strip=True)
            if text:
                out.append(Node("heading", tag=name, text=text, level=int(name[1])))
        elif name == "iframe":
            src = child.get("src") or ""
            if urlsplit(src).hostname in EMBED_HOSTS:
                out.append(Node("embed", text=src))
            else:
                warnings.append("<iframe>")
        elif (pairs := _faq_pairs(child)) is not None:
            out.append(Node("faq", pairs=pairs))
        elif name == "img":
            out.append(Node("image", image=_image(child)))
        elif name == "figure" and child.find("img") is not None:
            caption = child.find("figcaption")
            text = caption.get_text(" ", strip=True) if caption else ""
            out.append(Node("image", image=_image(child.find("img"), text)))
        elif name in UNWRAP or name == "figure":
            _nodes_from(child, out, warnings)
        elif name == "p":
            _paragraph(child, out, warnings)
        elif name in ("ul", "ol"):
            out.append(
                Node("text", tag=name, text=child.get_text(" ", strip=True), html=str(child))
            )
        else:  # blockquote, pre, table, dl and inline tags at the top level
            out.append(
                Node("text", tag=name, text=child.get_text(" ", strip=True), html=str(child))
            )


def _paragraph(tag: Tag, out: list[Node], warnings: list[str]) -> None:
    for dropped in tag.find_all([*DROP, "iframe"]):
        warnings.append(f"<{dropped.name}>")
        dropped.decompose()
    # An image inside a paragraph (the classic editor's usual markup) becomes its own node.
    images = tag.find_all("img")
    for image in images:
        (image.parent if image.parent.name == "a" and image.parent is not tag else image).extract()
    text = tag.get_text(" ", strip=True)
    if text:
        out.append(Node("text", tag="p", text=text, html=tag.decode_contents().strip()))
    out.extend(Node("image", image=_image(image)) for image in images)


def nodes(content: str, warnings: list[str]) -> list[Node]:
    """The post as top-level nodes; ``warnings`` collects what was dropped."""
    soup = BeautifulSoup(prepare(content, warnings), "html.parser")
    out: list[Node] = []
    _nodes_from(soup, out, warnings)
    return out


def rich_text(html: str, features: list[str] | tuple[str, ...]) -> str:
    """``html`` in Wagtail's storage format, limited to ``features`` (plus p and br)."""
    soup = BeautifulSoup(html or "", "html.parser")
    for old, new in (("strong", "b"), ("em", "i")):
        for tag in soup.find_all(old):
            tag.name = new
    allowed = {"p", "br"}.union(*(FEATURE_TAGS.get(f, set()) for f in features))
    cleaned = nh3.clean(
        str(soup),
        tags=allowed,
        attributes={"a": {"href"}} if "a" in allowed else {},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    cleaned = _EMPTY_LINK.sub(r"\1", cleaned)  # a link whose unsafe href was removed
    return _wrap_inline(re.sub(r"<p>\s*(<br>\s*)*</p>", "", cleaned))


def _wrap_inline(html: str) -> str:
    """Top-level text and inline tags (left when a table or quote is flattened) go into
    paragraphs, so the result is valid block-level rich text."""
    soup = BeautifulSoup(html, "html.parser")
    parts, inline = [], []
    for child in list(soup.children):
        if isinstance(child, Tag) and child.name in ("p", "ul", "ol"):
            if "".join(inline).strip():
                parts.append(f"<p>{''.join(inline).strip()}</p>")
            inline = []
            parts.append(str(child))
        else:
            inline.append(str(child))
    if "".join(inline).strip():
        parts.append(f"<p>{''.join(inline).strip()}</p>")
    return "".join(parts)


def paragraph_html(node: Node) -> str:
    """A text node as block HTML: paragraphs wrapped in ``<p>``, lists as they are."""
    return f"<p>{node.html}</p>" if node.tag == "p" else node.html
