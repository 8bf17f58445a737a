"""Recognising the shape of a health article in a post's nodes, keeping their order.

The intro is the post's opening paragraph or two, if they read as a lede (short text,
before anything else); nothing after a heading ever moves before it. Numbered headings
("1. Pain relief") or an ordered list of titled items become a numbered section list;
labelled bullets under a heading about use or tips become guidelines (kind guessed,
flagged for the editor); an FAQ heading with Q:/A: pairs or question headings, or an SEO
plugin's FAQ block, becomes an FAQ list; a conclusion heading the conclusion block. Tables,
quotations, preformatted text, embeds and galleries get blocks of their own (see
``values``); everything else stays headings, paragraphs and images. Claims imported this
way have no sources, so they are graded "no evidence" until an editor cites some: the
publish checks keep such pages drafts.
"""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from kratom_pages.blocks.faq import normalise_question
from kratom_pages.importers import values
from kratom_pages.importers.nodes import Node, nodes, paragraph_html
from kratom_pages.importers.patterns import (
    CONCLUSION,
    DISCLAIMER,
    FAQ_HEADING,
    GUIDE_HEADING,
    LABEL,
    NO_TEXT,
    NUMBERED,
    SPECIAL,
    guess_kind,
    page_type_for,
    qa_pairs,
)
from kratom_pages.importers.values import Structure, lede_text, rich

# An opening paragraph longer than this is body text, not a lede.
LEDE_MAX_CHARS = 600
BOLD_ONLY = re.compile(r"^\s*<(b|strong)>[^<]*</\1>\s*(<br\s*/?>)?\s*$", re.I)


class Recogniser(values.BlockWriter):
    def __init__(self, heading_levels: dict[int, str | None], gallery_refs: Callable):
        super().__init__(heading_levels, gallery_refs)
        self.conclusion_done = False

    # -- body nodes -------------------------------------------------------------------
    def body(self, body: list[Node], guideline_context: bool = False) -> None:
        text: list[str] = []

        def flush():
            if text and (html := rich("".join(text))):
                self.emit("paragraph", html)
            text.clear()

        for node in body:
            special = node.kind == "text" and self.special_list(node, guideline_context)
            if special:
                flush()
                self.emit(*special)
            elif node.kind == "text":
                text.append(paragraph_html(node))
            else:
                flush()
                self.other(node)
        flush()

    def special_list(self, node: Node, guideline_context: bool):
        """An ordered list of titled items, or labelled bullets under a use/tips heading."""
        if node.tag not in ("ol", "ul") or (node.tag == "ul" and not guideline_context):
            return None
        items = re.findall(r"<li\b[^>]*>(.*?)</li>", node.html, re.S)
        labelled = [LABEL.match(item) for item in items]
        if not items or not all(labelled) or "<li" in "".join(items):
            return None  # nested lists stay lists
        parts = [
            ((m.group(1) or m.group(2)).strip().rstrip(":").strip(), item[m.end() :].strip())
            for m, item in zip(labelled, items, strict=True)
        ]
        if node.tag == "ol":
            return "numbered_sections", {
                "heading": "",
                "items": [self.claim(t, b) for t, b in parts],
            }
        return "guidelines", {"heading": "", "items": [self.guideline(t, b) for t, b in parts]}

    def claim(self, heading: str, body_html: str) -> dict:
        title = re.sub(r"<[^>]+>", "", heading).strip()[:200]
        body = rich(body_html)
        if not body:
            self.note("warning", _('Numbered section "%(title)s" has no text.') % {"title": title})
        return {
            "heading": title,
            "body": body or NO_TEXT,
            "evidence_level": "none",
            "citations": [],
        }

    def guideline(self, label: str, explanation: str) -> dict:
        label = re.sub(r"<[^>]+>", "", label).strip()[:120]
        wording = f"{label} {re.sub(r'<[^>]+>', ' ', explanation)}"
        kind = guess_kind(wording)
        self.note(
            "check",
            _('Guideline "%(label)s": kind guessed as %(kind)s.') % {"label": label, "kind": kind},
        )
        return {"label": label, "explanation": rich(explanation), "kind": kind}

    # -- sections ---------------------------------------------------------------------
    def faq(self, heading: str, pairs: list[tuple[str, str]]) -> None:
        items: list[dict] = []
        seen: dict[str, dict] = {}
        for question, answer in pairs:
            question = question.strip()[:250]
            answer = rich(answer)
            key = normalise_question(question)
            if key in seen:
                self.note(
                    "warning",
                    _('Duplicate FAQ question "%(q)s": its answer was added to the first one.')
                    % {"q": question},
                )
                seen[key]["answer"] += answer
                continue
            seen[key] = {"question": question, "answer": answer or NO_TEXT, "citations": []}
            items.append(seen[key])
        if items:
            self.emit("faq", {"heading": heading[:200], "items": items})

    def run(self, sections: list[tuple[Node, list[Node]]]) -> None:
        index = 0
        while index < len(sections):
            heading, body = sections[index]
            index += 1
            if NUMBERED.match(heading.text):
                run = [(heading, body)]
                while (
                    index < len(sections)
                    and NUMBERED.match(sections[index][0].text)
                    and sections[index][0].level == heading.level
                ):
                    run.append(sections[index])
                    index += 1
                self.numbered_run(run)
            elif DISCLAIMER.match(heading.text):
                html, rest = leading_text(body)
                self.emit(
                    "callout",
                    {
                        "variant": "disclaimer",
                        "title": heading.text[:120],
                        "body": rich(html) or NO_TEXT,
                    },
                )
                if not html:
                    self.note("warning", _("The disclaimer has no text."), where="last")
                self.body(rest)
            elif CONCLUSION.match(heading.text) and not self.conclusion_done:
                self.conclusion_done = True
                html, rest = leading_text(body)
                self.emit(
                    "conclusion", {"heading": heading.text[:200], "body": rich(html) or NO_TEXT}
                )
                if not html:
                    self.note("warning", _("The conclusion has no text."), where="last")
                self.body(rest)
            elif FAQ_HEADING.match(heading.text):
                index = self.faq_section(heading, body, sections, index)
            else:
                self.section(heading, body)

    def faq_section(self, heading, body, sections, index: int) -> int:
        pairs, rest = qa_pairs(body)
        while index < len(sections) and sections[index][0].text.rstrip().endswith("?"):
            question, answer = sections[index]
            pairs.append(
                (question.text, "".join(paragraph_html(n) for n in answer if n.kind == "text"))
            )
            index += 1
        if pairs:
            self.faq(heading.text, pairs)
            self.body(rest)
        else:
            self.note(
                "fallback",
                _('"%(h)s" has no questions we could read') % {"h": heading.text},
                where=None,
            )
            self.section(heading, body)
        return index

    def section(self, heading: Node, body: list[Node]) -> None:
        start = len(self.blocks)
        self.body(body, guideline_context=bool(GUIDE_HEADING.search(heading.text)))
        first = self.blocks[start] if len(self.blocks) > start else None
        if first and first["type"] in SPECIAL and not first["value"]["heading"]:
            first["value"]["heading"] = heading.text[:200]  # the list takes its heading
        else:
            self.insert_heading(start, heading)

    def numbered_run(self, run: list[tuple[Node, list[Node]]]) -> None:
        heading = ""
        if self.blocks and self.blocks[-1]["type"] == "heading":
            heading = self.blocks.pop()["value"]["text"]  # "Claimed benefits", with no text
        items, others = [], []
        for item_heading, body in run:
            html = "".join(paragraph_html(n) for n in body if n.kind == "text")
            items.append(self.claim(NUMBERED.match(item_heading.text).group(2), html))
            others += [n for n in body if n.kind != "text"]
        self.emit("numbered_sections", {"heading": heading, "items": items})
        if others:
            self.note(
                "fallback",
                _("images inside numbered sections placed after the list"),
                where="last",
            )
        for node in others:
            self.other(node)


def leading_text(body: list[Node]) -> tuple[str, list[Node]]:
    """The text nodes a section opens with, as HTML, and the nodes after them."""
    count = next((i for i, n in enumerate(body) if n.kind != "text"), len(body))
    return "".join(paragraph_html(n) for n in body[:count]), body[count:]


def heading_levels(found: list[Node]) -> dict[int, str | None]:
    """Source level -> h2/h3/h4 by rank, so a post's hierarchy survives whichever levels
    it used (h1 sections become h2, their h2s h3); a fourth level and deeper has no block
    level left and becomes a bold paragraph (None)."""
    used = sorted({n.level for n in found if n.kind == "heading"})
    return {level: (f"h{rank + 2}" if rank < 3 else None) for rank, level in enumerate(used)}


def lede(found: list[Node]) -> list[Node]:
    """The opening paragraphs (one or two) if they read as a lede: plain text first in
    the post, short, and not a lead-in to what follows ("...the following blocks:")."""
    opening = []
    for node in found[:2]:
        if node.kind != "text" or node.tag != "p" or DISCLAIMER.match(node.text):
            break
        if node.text.rstrip().endswith(":") or BOLD_ONLY.match(node.html):
            break  # a lead-in to what follows, or a heading in bold
        opening.append(node)
    while opening and sum(len(n.text) for n in opening) > LEDE_MAX_CHARS:
        opening.pop()
    return opening


def recognise(content: str, gallery_refs: Callable = lambda ids: []) -> Structure:
    """The structure of one post's ``content:encoded``; ``gallery_refs(ids)`` gives the
    images of a ``[gallery]`` shortcode (``ids`` empty: the post's own attachments)."""
    dropped: list[str] = []
    found = nodes(content, dropped)
    recogniser = Recogniser(heading_levels(found), gallery_refs)
    opening = lede(found)
    intro = lede_text(opening)
    rest = found[len(opening) :]
    first_heading = next((i for i, n in enumerate(rest) if n.kind == "heading"), len(rest))
    chunk: list[Node] = []
    for node in rest[:first_heading]:
        if node.kind == "text" and node.tag == "p" and DISCLAIMER.match(node.text):
            recogniser.body(chunk)
            chunk = []
            html = DISCLAIMER.sub("", node.html, count=1)
            recogniser.emit(
                "callout", {"variant": "disclaimer", "title": "", "body": rich(f"<p>{html}</p>")}
            )
        else:
            chunk.append(node)
    recogniser.body(chunk)
    sections: list[tuple[Node, list[Node]]] = []
    for node in rest[first_heading:]:
        if node.kind == "heading":
            sections.append((node, []))
        else:
            sections[-1][1].append(node)
    recogniser.run(sections)
    for what in dict.fromkeys(dropped):
        recogniser.note("warning", _("Removed %(what)s") % {"what": what}, where=None)
    return recogniser.structure(page_type_for(recogniser.blocks), intro)
