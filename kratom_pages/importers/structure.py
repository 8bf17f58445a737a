"""Recognising the shape of a health article in a post's nodes.

Text before the first heading is the intro; numbered headings ("1. Pain relief") or an
ordered list of titled items become a numbered section list; labelled bullets under a
heading about use or tips become guidelines (kind guessed, flagged for the editor); an FAQ
heading with Q:/A: pairs or question headings, or an SEO plugin's FAQ block, becomes an
FAQ list; a conclusion heading the conclusion block. Everything else stays headings,
paragraphs and images. Claims imported this way have no sources, so they are graded
"no evidence" until an editor cites some: the publish checks keep such pages drafts.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kratom_pages import conf
from kratom_pages.blocks.faq import normalise_question
from kratom_pages.importers.markup import Node, nodes, paragraph_html, rich_text
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


@dataclass
class Structure:
    """What a post maps to: page type, intro and body (image values hold ``ImageRef``s)."""

    page_type: str
    intro: str
    blocks: list[dict]
    fallbacks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)


def _heading_level(level: int) -> str:
    return f"h{min(max(level, 2), 4)}"


def _rich(html: str) -> str:
    return rich_text(html, conf.get("RICH_TEXT_FEATURES"))


class Recogniser:
    def __init__(self):
        self.blocks: list[dict] = []
        self.fallbacks: list[str] = []
        self.warnings: list[str] = []
        self.guesses: list[str] = []
        self.conclusion_done = False

    def emit(self, block_type: str, value) -> None:
        self.blocks.append({"type": block_type, "value": value})

    # -- body nodes -------------------------------------------------------------------
    def body(self, body: list[Node], guideline_context: bool = False) -> None:
        text: list[str] = []

        def flush():
            if text and (html := _rich("".join(text))):
                self.emit("paragraph", html)
            text.clear()

        for node in body:
            special = node.kind == "text" and self.special_list(node, guideline_context)
            if special:
                flush()
                self.emit(*special)
            elif node.kind == "text":
                if node.tag not in ("p", "ul", "ol"):
                    self.fallbacks.append(_("<%(tag)s> kept as paragraph text") % {"tag": node.tag})
                text.append(paragraph_html(node))
            else:
                flush()
                self.other(node)
        flush()

    def other(self, node: Node) -> None:
        if node.kind == "image":
            image = node.image
            self.emit(
                "image",
                {
                    "image": image,
                    "alt_text": image.alt[:250],
                    "caption": image.caption[:300],
                    "credit": "",
                },
            )
        elif node.kind == "faq":
            self.faq("", node.pairs)
        elif node.kind == "embed":
            self.fallbacks.append(_("embedded video kept as a link"))
            self.emit("paragraph", _rich(f'<p><a href="{node.text}">{node.text}</a></p>'))
        elif node.kind == "heading":
            self.emit(
                "heading",
                {"text": node.text[:200], "level": _heading_level(node.level), "anchor": ""},
            )

    def special_list(self, node: Node, guideline_context: bool):
        """An ordered list of titled items, or labelled bullets under a use/tips heading."""
        if node.tag not in ("ol", "ul") or (node.tag == "ul" and not guideline_context):
            return None
        items = re.findall(r"<li\b[^>]*>(.*?)</li>", node.html, re.S)
        labelled = [LABEL.match(item) for item in items]
        if not items or not all(labelled):
            return None
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
        body = _rich(body_html)
        if not body:
            self.warnings.append(_('Numbered section "%(title)s" has no text.') % {"title": title})
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
        self.guesses.append(
            _('Guideline "%(label)s": kind guessed as %(kind)s.') % {"label": label, "kind": kind}
        )
        return {"label": label, "explanation": _rich(explanation), "kind": kind}

    # -- sections ---------------------------------------------------------------------
    def faq(self, heading: str, pairs: list[tuple[str, str]]) -> None:
        items: list[dict] = []
        seen: dict[str, dict] = {}
        for question, answer in pairs:
            question = question.strip()[:250]
            answer = _rich(answer)
            key = normalise_question(question)
            if key in seen:
                self.warnings.append(
                    _('Duplicate FAQ question "%(q)s": its answer was added to the first one.')
                    % {"q": question}
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
                html = "".join(paragraph_html(n) for n in body if n.kind == "text")
                self.emit(
                    "callout",
                    {
                        "variant": "disclaimer",
                        "title": heading.text[:120],
                        "body": _rich(html) or NO_TEXT,
                    },
                )
            elif CONCLUSION.match(heading.text) and not self.conclusion_done:
                self.conclusion_done = True
                html = "".join(paragraph_html(n) for n in body if n.kind == "text")
                self.emit(
                    "conclusion", {"heading": heading.text[:200], "body": _rich(html) or NO_TEXT}
                )
                for node in body:
                    if node.kind != "text":
                        self.other(node)
            elif FAQ_HEADING.match(heading.text):
                pairs, rest = qa_pairs(body)
                while index < len(sections) and sections[index][0].text.rstrip().endswith("?"):
                    question, answer = sections[index]
                    pairs.append(
                        (
                            question.text,
                            "".join(paragraph_html(n) for n in answer if n.kind == "text"),
                        )
                    )
                    index += 1
                if pairs:
                    self.faq(heading.text, pairs)
                    self.body(rest)
                else:
                    self.fallbacks.append(
                        _('"%(h)s" has no questions we could read') % {"h": heading.text}
                    )
                    self.section(heading, body)
            else:
                self.section(heading, body)

    def section(self, heading: Node, body: list[Node]) -> None:
        start = len(self.blocks)
        self.body(body, guideline_context=bool(GUIDE_HEADING.search(heading.text)))
        first = self.blocks[start] if len(self.blocks) > start else None
        if first and first["type"] in SPECIAL and not first["value"]["heading"]:
            first["value"]["heading"] = heading.text[:200]  # the list takes its heading
        else:
            self.blocks.insert(
                start,
                {
                    "type": "heading",
                    "value": {
                        "text": heading.text[:200],
                        "level": _heading_level(heading.level),
                        "anchor": "",
                    },
                },
            )

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
            self.fallbacks.append(_("images inside numbered sections placed after the list"))
        for node in others:
            self.other(node)


def recognise(content: str) -> Structure:
    """The structure of one post's ``content:encoded``."""
    dropped: list[str] = []
    found = nodes(content, dropped)
    recogniser = Recogniser()
    first_heading = next((i for i, n in enumerate(found) if n.kind == "heading"), len(found))
    lede = [n for n in found[:first_heading] if n.kind == "text" and n.tag == "p"]
    disclaimers = [n for n in lede if DISCLAIMER.match(n.text)]
    intro = rich_text(
        "".join(f"<p>{n.html}</p>" for n in lede if n not in disclaimers), conf.get("LEDE_FEATURES")
    )
    for node in disclaimers:
        html = DISCLAIMER.sub("", node.html, count=1)
        recogniser.emit(
            "callout", {"variant": "disclaimer", "title": "", "body": _rich(f"<p>{html}</p>")}
        )
    recogniser.body([n for n in found[:first_heading] if n not in lede])
    sections: list[tuple[Node, list[Node]]] = []
    for node in found[first_heading:]:
        if node.kind == "heading":
            sections.append((node, []))
        else:
            sections[-1][1].append(node)
    recogniser.run(sections)
    recogniser.warnings += [
        _("Removed %(what)s") % {"what": what} for what in dict.fromkeys(dropped)
    ]
    return Structure(
        page_type=page_type_for(recogniser.blocks),
        intro=intro,
        blocks=recogniser.blocks,
        fallbacks=recogniser.fallbacks,
        warnings=recogniser.warnings,
        guesses=recogniser.guesses,
    )
