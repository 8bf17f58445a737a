"""The words and shapes the WordPress importer recognises: numbered headings, section
headings (FAQ, tips, conclusion, disclaimer), Q:/A: lines and "Label: explanation" items."""

import re

from kratom_pages.importers.nodes import Node

NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(\S.*)$")
CONCLUSION = re.compile(
    r"^\s*(in\s+)?(conclusion|summary|(the\s+)?bottom\s+line|final\s+thoughts)\b", re.I
)
FAQ_HEADING = re.compile(r"^\s*(faqs?|frequently\s+asked\s+questions)\b", re.I)
GUIDE_HEADING = re.compile(
    r"\b(use|usage|using|tips?|guidelines?|dos?\b.*\bdon'?ts?|safety|precautions?|how\s+to)\b",
    re.I,
)
DISCLAIMER = re.compile(r"^\s*(medical\s+)?disclaimer\b\s*:?", re.I)
QA_PREFIX = re.compile(r"^\s*(?:<(?:b|strong)>\s*)?([QA])\s*[:.]\s*(?:</(?:b|strong)>)?\s*", re.I)
LABEL = re.compile(r"^\s*(?:<(?:b|strong)>(.{1,120}?)</(?:b|strong)>|([^<:]{1,80}):)\s*:?\s*", re.S)
AVOID = re.compile(r"\b(avoid|never|don'?t|do not|stop|not (?:mix|combine|drive))\b", re.I)
CAUTION = re.compile(
    r"\b(caution|careful|limit|watch|monitor|check|risk|interact\w*|aware|slowly|low dose)\b",
    re.I,
)
SPECIAL = ("numbered_sections", "guidelines", "faq")
NO_TEXT = "<p>(No text in the WordPress original.)</p>"


def guess_kind(wording: str) -> str:
    """A guideline's kind from its wording, for the editor to confirm."""
    return "avoid" if AVOID.search(wording) else "caution" if CAUTION.search(wording) else "do"


def qa_pairs(body: list[Node]) -> tuple[list[tuple[str, str]], list[Node]]:
    """Q:/A: lines from paragraphs (a ``<br>`` may separate them) and anything left."""
    pairs: list[list[str]] = []
    rest: list[Node] = []
    for node in body:
        if node.kind == "faq":
            pairs += [[q, a] for q, a in node.pairs]
            continue
        lines = re.split(r"<br\s*/?>\s*", node.html) if node.tag == "p" else []
        if not lines or not any(QA_PREFIX.match(line) for line in lines) and not pairs:
            rest.append(node)
            continue
        for line in lines:
            match = QA_PREFIX.match(line)
            if match and match.group(1).upper() == "Q":
                pairs.append([re.sub(r"<[^>]+>", "", line[match.end() :]).strip(), ""])
            elif pairs:
                pairs[-1][1] += f"<p>{line[match.end() :] if match else line}</p>"
    return [(q, a) for q, a in pairs], rest


def page_type_for(blocks: list[dict]) -> str:
    """A post that is only an FAQ, or only guidelines, gets that page type."""
    kinds = {block["type"] for block in blocks}
    if "faq" in kinds and kinds <= {"faq", "callout"}:
        return "kratom_pages.FAQPage"
    if "guidelines" in kinds and kinds <= {"guidelines", "paragraph", "callout"}:
        return "kratom_pages.GuidelineListPage"
    return "kratom_pages.ArticlePage"
