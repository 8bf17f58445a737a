"""A post's HTML as a flat list of top-level nodes, in document order.

Each node is one thing a block can hold: a heading, a run of text (paragraphs and lists),
an image, a gallery, a table, a quotation, preformatted text, an embed or an FAQ. Layout
wrappers (columns, groups, covers, plain divs) are read in place, so nothing moves; inline
content beside them becomes paragraphs of its own, never glued to its neighbours.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from kratom_pages.importers.markup import prepare
from kratom_pages.importers.oembed import embeddable
from kratom_pages.importers.plugins import embed_url, faq_pairs

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
UNWRAP = {
    "div", "section", "article", "main", "aside", "header", "footer", "span", "center",
    "details", "summary", "nav",
}  # fmt: skip
DROP = {"script", "style", "noscript", "form", "input", "button", "object", "embed", "svg"}
INLINE = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del",
    "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small",
    "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
}  # fmt: skip
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_LANGUAGE_CLASS = re.compile(r"\b(?:language|lang)-([\w+#-]+)\b")
GALLERY_CLASSES = {"wp-block-gallery", "gallery", "blocks-gallery-grid", "tiled-gallery"}


@dataclass
class ImageRef:
    """An image the post shows: URL, alt text (``decorative``: alt="" written), caption, id."""

    src: str
    alt: str = ""
    caption: str = ""
    attachment_id: int = 0
    decorative: bool = False


@dataclass
class Node:
    """One top-level piece of a post (see the module docstring for the kinds)."""

    kind: str
    tag: str = ""
    text: str = ""  # plain text: heading, paragraph text, code, or an embed's URL
    html: str = ""  # inner HTML of paragraphs and quotes, outer HTML of lists
    level: int = 2
    image: ImageRef | None = None
    images: list[ImageRef] = field(default_factory=list)  # gallery
    attachment_ids: list[int] | None = None  # gallery shortcode: [] = the post's own
    caption: str = ""  # gallery, table, embed; a quote's citation
    header: list[str] = field(default_factory=list)  # table column headings
    rows: list[list[str]] = field(default_factory=list)  # table cells (inner HTML)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # faq: (question, answer)


def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def _image(tag: Tag, caption: str = "") -> ImageRef:
    match = _WP_IMAGE_CLASS.search(" ".join(tag.get("class") or []))
    data_id = str(tag.get("data-id") or "")  # the block editor's gallery images
    attachment = match.group(1) if match else data_id
    return ImageRef(
        src=(tag.get("src") or "").strip(),
        alt=(tag.get("alt") or "").strip(),
        caption=caption,
        attachment_id=int(attachment) if attachment.isdigit() else 0,
        decorative=tag.has_attr("alt") and not (tag.get("alt") or "").strip(),
    )


class Reader:
    """Walks the parsed post; ``warnings`` collects what was dropped."""

    def __init__(self, warnings: list[str]):
        self.out: list[Node] = []
        self.warnings = warnings
        self.inline: list = []  # inline pieces waiting to become one paragraph

    def flush(self) -> None:
        pieces, self.inline = self.inline, []
        holder = BeautifulSoup("<p></p>", "html.parser").p
        for piece in pieces:
            holder.append(piece)
        self.paragraph(holder)

    def add(self, node: Node) -> None:
        self.flush()
        self.out.append(node)

    def walk(self, tag: Tag) -> None:
        for child in list(tag.children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if child.strip() or self.inline:
                    self.inline.append(child.extract())
            elif child.name in INLINE and not child.find(["img", "iframe", *DROP, "table"]):
                self.inline.append(child.extract())
            else:
                self.element(child)
        self.flush()

    def element(self, tag: Tag) -> None:  # noqa: C901 - one branch per kind of element
        name, classes = tag.name, _classes(tag)
        if name in DROP:
            self.flush()
            self.warnings.append(f"<{name}>")
        elif name in HEADINGS:
            text = tag.get_text(" ", strip=True)
            if text:
                self.add(Node("heading", tag=name, text=text, level=int(name[1])))
        elif name == "iframe":
            # A player becomes an embed; any other frame (trackers, widgets) is removed.
            url = embed_url((tag.get("src") or "").strip())
            if url and embeddable(url):
                self.add(Node("embed", text=url))
            else:
                self.flush()
                self.warnings.append("<iframe>")
        elif name in ("audio", "video"):
            source = tag.get("src") or (tag.find("source") or {}).get("src", "")
            if source:
                self.add(Node("embed", text=source.strip()))
        elif (pairs := faq_pairs(tag)) is not None:
            self.add(Node("faq", pairs=pairs))
        elif name == "figure":
            self.figure(tag, classes)
        elif classes & GALLERY_CLASSES or name == "ul" and "blocks-gallery-grid" in classes:
            self.gallery(tag)
        elif name == "img":
            self.add(Node("image", image=_image(tag)))
        elif name == "a" and tag.find("img") is not None:
            self.add(Node("image", image=_image(tag.find("img"))))
        elif name == "p":
            self.flush()
            self.paragraph(tag)
        elif name in ("ul", "ol"):
            self.add(Node("text", tag=name, text=tag.get_text(" ", strip=True), html=str(tag)))
        elif name == "blockquote":
            self.quote(tag)
        elif name == "pre":
            self.code(tag)
        elif name == "table":
            self.table(tag)
        elif name == "dl":
            self.definitions(tag)
        elif name == "address":  # its lines kept (autop leaves the tag alone)
            self.flush()
            lines = tag.decode_contents().strip().replace("\n", "<br/>")
            self.paragraph(BeautifulSoup(f"<p>{lines}</p>", "html.parser").p)
        elif name == "cite" and self._open_quote():  # a citation after the quote
            self.flush()
            self.out[-1].caption = tag.get_text(" ", strip=True)
        elif name == "hr":
            self.flush()
        else:  # layout wrappers and anything unknown: read what they hold, in place
            self.flush()
            self.walk(tag)

    def _open_quote(self) -> bool:
        """Whether the last node is a quotation still without its citation."""
        return bool(self.out) and self.out[-1].kind == "quote" and not self.out[-1].caption

    def paragraph(self, tag: Tag) -> None:
        for dropped in tag.find_all([*DROP, "iframe"]):
            self.warnings.append(f"<{dropped.name}>")
            dropped.decompose()
        # An image inside a paragraph (the classic editor's usual markup) is its own node,
        # placed after the paragraph's text.
        images = tag.find_all("img")
        for image in images:
            link = image.parent if image.parent.name == "a" and image.parent is not tag else None
            (link or image).extract()
        text = tag.get_text(" ", strip=True)
        cite = tag.find("cite")
        if cite is not None and cite.get_text(" ", strip=True) == text and self._open_quote():
            self.out[-1].caption = text  # the classic editor's citation after a quote
        elif text:
            self.out.append(Node("text", tag="p", text=text, html=tag.decode_contents().strip()))
        self.out.extend(Node("image", image=_image(image)) for image in images)

    def figure(self, tag: Tag, classes: set[str]) -> None:
        caption_tag = tag.find("figcaption", recursive=False)
        caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        if "kp-gallery" in classes:
            ids = [int(i) for i in (tag.get("data-ids") or "").split(",") if i.isdigit()]
            self.add(Node("gallery", attachment_ids=ids))
        elif "kp-embed" in classes:
            self.add(Node("embed", text=tag.get("data-url", "")))
        elif classes & GALLERY_CLASSES:
            self.gallery(tag)
        elif "wp-block-embed" in classes:
            wrapper = tag.find(class_="wp-block-embed__wrapper")
            url = (wrapper.get_text(" ", strip=True) if wrapper else "") or ""
            iframe = tag.find("iframe")
            url = url or (embed_url(iframe.get("src", "")) if iframe else "")
            if url:
                self.add(Node("embed", text=url, caption=caption))
        elif "wp-block-table" in classes and tag.find("table") is not None:
            self.table(tag.find("table"), caption)
        elif tag.find("blockquote") is not None and not tag.find("img"):
            self.quote(tag.find("blockquote"))
        elif (img := tag.find("img")) is not None:
            self.add(Node("image", image=_image(img, caption)))
        else:
            if caption_tag is not None:
                caption_tag.name = "p"
            self.flush()
            self.walk(tag)

    def gallery(self, tag: Tag) -> None:
        images = []
        for img in tag.find_all("img"):
            holder = img.find_parent(["figure", "li"])
            caption = holder.find("figcaption") if holder is not None else None
            if caption is not None and caption.find_parent("figure") is tag:
                caption = None  # the gallery's own caption, not this image's
            images.append(_image(img, caption.get_text(" ", strip=True) if caption else ""))
        own = tag.find("figcaption", class_="blocks-gallery-caption") or (
            tag.find("figcaption", recursive=False)
        )
        self.add(
            Node("gallery", images=images, caption=own.get_text(" ", strip=True) if own else "")
        )

    def quote(self, tag: Tag) -> None:
        cite = tag.find("cite") or tag.find("footer")
        citation = cite.get_text(" ", strip=True) if cite else ""
        if cite is not None:
            cite.decompose()
        body = tag.decode_contents().strip()
        if BeautifulSoup(body, "html.parser").get_text(strip=True):
            self.add(Node("quote", html=body, text=tag.get_text(" ", strip=True), caption=citation))

    def code(self, tag: Tag) -> None:
        code = tag.find("code")
        match = _LANGUAGE_CLASS.search(" ".join(_classes(code or tag)))
        # Whitespace is content here: only the one newline after <pre> goes, as in HTML;
        # the block editor writes its line breaks as <br>.
        for br in tag.find_all("br"):
            br.replace_with("\n")
        text = tag.get_text().removeprefix("\n")
        if text.strip():
            self.add(Node("code", text=text, tag=match.group(1) if match else ""))

    def table(self, tag: Tag, caption: str = "") -> None:
        own = tag.find("caption")
        caption = caption or (own.get_text(" ", strip=True) if own else "")
        rows = [row.find_all(["td", "th"], recursive=False) for row in tag.find_all("tr")]
        rows = [row for row in rows if row]
        if not rows:
            return
        header: list[str] = []
        if tag.find("thead") is not None or all(cell.name == "th" for cell in rows[0]):
            header = [cell.get_text(" ", strip=True) for cell in rows.pop(0)]
        width = max([len(header), *(len(row) for row in rows)])
        header += [""] * (width - len(header))
        cells = [[cell.decode_contents().strip() for cell in row] for row in rows]
        self.add(
            Node(
                "table",
                text=tag.get_text(" ", strip=True),
                caption=caption,
                header=header,
                rows=[row + [""] * (width - len(row)) for row in cells],
            )
        )

    def definitions(self, tag: Tag) -> None:
        """Rich text has no definition lists: each term a bold paragraph, then its text."""
        self.flush()
        for child in tag.find_all(["dt", "dd"]):
            if child.name == "dt":
                bold = BeautifulSoup("<b></b>", "html.parser").b
                for part in list(child.contents):
                    bold.append(part.extract())
                child.append(bold)
            child.name = "p"
            self.paragraph(child)


def nodes(content: str, warnings: list[str]) -> list[Node]:
    """The post as top-level nodes; ``warnings`` collects what was dropped."""
    reader = Reader(warnings)
    reader.walk(BeautifulSoup(prepare(content, warnings), "html.parser"))
    return reader.out


def paragraph_html(node: Node) -> str:
    """A text node as block HTML: paragraphs wrapped in ``<p>``, lists as they are."""
    return f"<p>{node.html}</p>" if node.tag == "p" else node.html
