"""Markup that WordPress plugins and the block editor write around content: SEO plugins'
FAQ blocks (Yoast, Rank Math) and video players' iframes."""

from urllib.parse import parse_qs, urlsplit

from bs4 import Tag


def faq_pairs(tag: Tag) -> list[tuple[str, str]] | None:
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


def embed_url(src: str) -> str:
    """The page URL an oEmbed provider knows for a player iframe's ``src``."""
    parts = urlsplit(src if "://" in src else f"https:{src}")
    host, path = (parts.hostname or "").removeprefix("www."), parts.path
    if host in ("youtube.com", "youtube-nocookie.com") and path.startswith("/embed/"):
        return f"https://www.youtube.com/watch?v={path.split('/')[2]}"
    if host == "player.vimeo.com" and path.startswith("/video/"):
        return f"https://vimeo.com/{path.split('/')[2]}"
    if host == "youtube.com" and path == "/watch":
        video = parse_qs(parts.query).get("v", [""])[0]
        return f"https://www.youtube.com/watch?v={video}" if video else src
    return src
