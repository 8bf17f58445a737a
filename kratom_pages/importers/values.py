"""Block values from nodes, and the notes an editor should read, each tied to its block.

Every block gets its stream id when it is written, so a note about it (a guessed kind, a
missing image, a link kept instead of an embed) can open the editor at that block.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape

from django.utils.translation import gettext as _

from kratom_pages import conf
from kratom_pages.importers.markup import rich_text
from kratom_pages.importers.nodes import ImageRef, Node
from kratom_pages.importers.oembed import embeddable

MAX_TABLE_CELLS = 2000  # a bigger table is kept as text rather than one huge block


@dataclass
class Structure:
    """What a post maps to: page type, intro and body (image values hold ``ImageRef``s),
    and notes as ``(kind, message, block id or "")``."""

    page_type: str
    intro: str
    blocks: list[dict]
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def rich(html: str) -> str:
    return rich_text(html, conf.get("RICH_TEXT_FEATURES"))


def lede_text(found: list[Node]) -> str:
    return rich_text("".join(f"<p>{n.html}</p>" for n in found), conf.get("LEDE_FEATURES"))


class BlockWriter:
    """Appends blocks in document order and keeps the notes about them."""

    def __init__(self, heading_levels: dict[int, str | None], gallery_refs: Callable):
        self.blocks: list[dict] = []
        self.notes: list[tuple[str, str, str]] = []
        self.pending: list[tuple[str, str]] = []  # notes about the block being built
        self.heading_levels = heading_levels
        self.gallery_refs = gallery_refs

    def emit(self, block_type: str, value) -> str:
        block_id = str(uuid.uuid4())
        self.blocks.append({"type": block_type, "value": value, "id": block_id})
        self.notes += [(kind, message, block_id) for kind, message in self.pending]
        self.pending.clear()
        return block_id

    def note(self, kind: str, message: str, where: str | None = "next") -> None:
        """A note on the next block written ("next"), the last one ("last") or none."""
        if where == "next":
            self.pending.append((kind, message))
        else:
            last = self.blocks[-1]["id"] if where == "last" and self.blocks else ""
            self.notes.append((kind, message, last))

    def structure(self, page_type: str, intro: str) -> "Structure":
        notes = self.notes + [(kind, message, "") for kind, message in self.pending]
        return Structure(page_type, intro, self.blocks, notes)

    def heading_block(self, node: Node) -> tuple[str, object]:
        level = self.heading_levels.get(node.level, "h4")
        if level is None:
            self.note("fallback", _("A level %(n)d heading became bold text") % {"n": node.level})
            return "paragraph", rich(f"<p><b>{_escape(node.text)}</b></p>")
        return "heading", {"text": node.text[:200], "level": level, "anchor": ""}

    def insert_heading(self, position: int, node: Node) -> None:
        block_type, value = self.heading_block(node)
        block_id = str(uuid.uuid4())
        self.blocks.insert(position, {"type": block_type, "value": value, "id": block_id})
        if self.pending and block_type == "paragraph":
            self.notes += [(kind, message, block_id) for kind, message in self.pending]
            self.pending.clear()

    def other(self, node: Node) -> None:  # noqa: C901 - one branch per kind of node
        if node.kind == "image":
            self.emit("image", image_value(node.image))
        elif node.kind == "gallery":
            self.gallery(node)
        elif node.kind == "faq":
            self.faq("", node.pairs)  # the recogniser's
        elif node.kind == "embed":
            self.embed(node)
        elif node.kind == "heading":
            self.emit(*self.heading_block(node))
        elif node.kind == "table":
            self.table(node)
        elif node.kind == "quote":
            self.emit(
                "quote",
                {"quote": rich(node.html) or rich(f"<p>{_escape(node.text)}</p>"),
                 "citation": node.caption[:200], "source_url": ""},
            )  # fmt: skip
        elif node.kind == "code":
            self.emit("code", {"language": node.tag[:40], "code": node.text})

    def gallery(self, node: Node) -> None:
        refs = (
            node.images if node.attachment_ids is None else self.gallery_refs(node.attachment_ids)
        )
        if not refs:
            self.note("warning", _("A gallery with no images was left out"), where=None)
            return
        self.emit(
            "gallery",
            {"caption": node.caption[:300], "images": [image_value(ref) for ref in refs]},
        )

    def embed(self, node: Node) -> None:
        url = node.text.strip()
        if embeddable(url):
            self.emit("embed", {"url": url, "caption": node.caption[:300]})
            return
        self.note(
            "fallback",
            _("%(url)s cannot be embedded (no embed provider knows it): kept as a link")
            % {"url": url},
        )
        link = _escape(url)
        self.emit("paragraph", rich(f'<p><a href="{link}">{link}</a></p>'))

    def table(self, node: Node) -> None:
        if len(node.rows) * len(node.header) > MAX_TABLE_CELLS or not node.header:
            self.note("fallback", _("A table too large for a table block was kept as text"))
            self.emit("paragraph", rich(f"<p>{_escape(node.text)}</p>"))
            return
        lede = conf.get("LEDE_FEATURES")
        self.emit(
            "table",
            {
                "caption": node.caption[:255],
                "columns": [{"type": "text", "heading": heading} for heading in node.header],
                "rows": [{"values": [rich_text(c, lede) for c in row]} for row in node.rows],
            },
        )


def image_value(ref: ImageRef) -> dict:
    return {
        "image": ref,
        "alt_text": ref.alt[:250],
        "decorative": ref.decorative,
        "caption": ref.caption[:300],
        "credit": "",
    }


def _escape(text: str) -> str:
    return html_escape(text, quote=True)
