"""WordPress post content made into plain HTML, and HTML made into Wagtail rich text.

Classic-editor posts are stored without ``<p>`` tags (WordPress adds them on output with
``wpautop``), so ``autop`` does the same first, leaving ``<pre>`` alone as WordPress does;
block-editor posts are ordinary HTML between ``<!-- wp:... -->`` comments. Shortcodes and
bare URLs on a line of their own (WordPress's auto-embeds) become marker elements that
``nodes`` reads. Rich text goes through the app's one sanitiser
(``kratom_pages.rich_text.sanitise``) and is then cut down to the target field's editor
features, so no script, style, iframe, event handler or ``javascript:`` link survives.
"""

import html
import re

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from kratom_pages.rich_text import sanitise

BLOCK_TAGS = (
    "address|article|aside|blockquote|div|dl|figure|figcaption|form|h[1-6]|hr|iframe|li|ol|"
    "p|pre|section|table|thead|tbody|tr|td|th|caption|ul|script|style|audio|video|!--"
)
_STARTS_WITH_BLOCK = re.compile(rf"^<(?:/?)(?:{BLOCK_TAGS})\b", re.I)
_BLANK_LINES = re.compile(r"\n\s*\n")
_OPENING_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS.removesuffix('|!--')})\b[^>]*>)", re.I)
_CLOSING_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS.removesuffix('|!--')})>)", re.I)
# wpautop leaves preformatted text as it is: its blank lines and newlines are content.
_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.I | re.S)
_CAPTION_ATTR = re.compile(r'\bcaption="([^"]*)"', re.I)
_IMG_IN_CAPTION = re.compile(r"^\s*((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", re.I | re.S)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_IDS_ATTR = re.compile(r'\bids="([\d,\s]*)"', re.I)
_EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.I | re.S)
_MEDIA_SHORTCODE = re.compile(
    r"\[(audio|video)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.I | re.S
)  # [audio https://...] or [audio mp3="..."]
_SHORTCODE_URL = re.compile(r'(https?://[^\s"\]]+)')
# Paired shortcodes keep their inner text; these self-closing ones carry nothing to keep.
_PAIRED_SHORTCODE = re.compile(r"\[([a-z][\w-]*)\b[^\]]*\](.*?)\[/\1\]", re.I | re.S)
_LONE_SHORTCODE = re.compile(r"\[(playlist|contact-form-7|wpforms|et_pb_\w+)\b[^\]]*\]", re.I)
# WordPress embeds a URL that stands alone on its line (classic editor).
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
_EMPTY_LINK = re.compile(r"<a>(.*?)</a>", re.S)
FEATURE_TAGS = {
    "bold": {"b"},
    "italic": {"i"},
    "link": {"a"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "superscript": {"sup"},
    "subscript": {"sub"},
}


def _protect_pre(text: str) -> tuple[str, list[str]]:
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n<!--kp-pre-{len(kept) - 1}-->\n\n"

    return _PRE.sub(keep, text), kept


def autop(text: str) -> str:
    """WordPress's paragraphs: blank-line separated chunks become ``<p>``, single newlines
    ``<br>``, except chunks that already start with a block element (and ``<pre>``)."""
    text, kept = _protect_pre(text.replace("\r\n", "\n"))
    text = _OPENING_BLOCK.sub(r"\n\n\1", text)
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
    joined = "\n".join(chunks)
    for number, pre in enumerate(kept):
        joined = joined.replace(f"<!--kp-pre-{number}-->", pre)
    return joined


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _caption(match: re.Match) -> str:
    image = _IMG_IN_CAPTION.match(match.group(2))
    if not image:
        return match.group(2)
    # Older exports keep the caption in the shortcode's attribute, newer ones after the image.
    attribute = _CAPTION_ATTR.search(match.group(1))
    caption = image.group(2).strip() or (attribute.group(1) if attribute else "")
    return f"\n\n<figure>{image.group(1)}<figcaption>{caption}</figcaption></figure>\n\n"


def _gallery(match: re.Match) -> str:
    ids = _IDS_ATTR.search(match.group(1))
    listed = ",".join(i for i in re.split(r"[\s,]+", ids.group(1)) if i) if ids else ""
    # No ids: WordPress shows the images attached to the post.
    return f'\n\n<figure class="kp-gallery" data-ids="{listed}"></figure>\n\n'


def _media(match: re.Match) -> str:
    url = _SHORTCODE_URL.search(f"{match.group(2)} {match.group(3) or ''}")
    if not url:
        return ""
    return f'\n\n<figure class="kp-embed" data-url="{_attr(url.group(1))}"></figure>\n\n'


def expand_shortcodes(text: str, warnings: list[str]) -> str:
    """``[caption]`` becomes a figure, ``[gallery]`` a gallery marker, ``[embed]``,
    ``[audio]`` and ``[video]`` embed markers; other shortcodes are removed (inner text
    kept) and named in ``warnings``."""
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(_gallery, text)
    text = _EMBED_SHORTCODE.sub(
        lambda m: (
            f'\n\n<figure class="kp-embed" data-url="{_attr(m.group(1).strip())}"></figure>\n\n'
        ),
        text,
    )
    text = _MEDIA_SHORTCODE.sub(_media, text)
    for pattern in (_PAIRED_SHORTCODE, _LONE_SHORTCODE):
        for match in pattern.finditer(text):
            warnings.append(f"[{match.group(1)}]")
    text = _PAIRED_SHORTCODE.sub(lambda m: m.group(2), text)
    return _LONE_SHORTCODE.sub("", text)


def _bare_urls(text: str) -> str:
    """A URL alone on its line, outside tags, is an embed in WordPress's classic editor."""
    text, kept = _protect_pre(text)
    text = _BARE_URL_LINE.sub(
        lambda m: f'\n\n<figure class="kp-embed" data-url="{_attr(m.group(1))}"></figure>\n\n',
        text,
    )
    for number, pre in enumerate(kept):
        text = text.replace(f"<!--kp-pre-{number}-->", pre)
    return text


def prepare(content: str, warnings: list[str]) -> str:
    """Post content as HTML with paragraphs, whichever editor wrote it."""
    content = expand_shortcodes(content or "", warnings)
    if "<!-- wp:" in content:
        return content
    return autop(_bare_urls(content))


def rich_text(html_text: str, features: list[str] | tuple[str, ...]) -> str:
    """``html_text`` in Wagtail's storage format, limited to ``features`` (plus p and br):
    first the app's sanitiser, then only the tags the field's editor offers."""
    soup = BeautifulSoup(sanitise(html_text or ""), "html.parser")
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


def _wrap_inline(html_text: str) -> str:
    """Top-level text and inline tags (left when a table or quote is flattened) go into
    paragraphs, so the result is valid block-level rich text. Text is escaped again on
    the way out: ``str()`` of a parsed string is its decoded text, so "&lt;script&gt;"
    would come back as a tag."""
    soup = BeautifulSoup(html_text, "html.parser")
    parts: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        if "".join(inline).strip():
            parts.append(f"<p>{''.join(inline).strip()}</p>")
        inline.clear()

    for child in list(soup.children):
        if isinstance(child, Comment):
            continue
        if isinstance(child, Tag) and child.name in ("p", "ul", "ol"):
            flush()
            parts.append(child.decode())
        elif isinstance(child, NavigableString):
            inline.append(html.escape(str(child), quote=False))
        else:
            inline.append(child.decode())
    flush()
    return "".join(parts)


def plain_text(html_text: str) -> str:
    """Text with tags removed and entities decoded once, whitespace collapsed (titles:
    "Title <em>With</em> Mark<sup>up</sup>" reads "Title With Markup")."""
    return " ".join(BeautifulSoup(html_text or "", "html.parser").get_text("").split())
