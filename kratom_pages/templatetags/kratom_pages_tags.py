"""Template tags: JSON-LD and social meta for server-rendered pages."""

import json
from collections import Counter

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kratom_pages import prefetch, rich_text
from kratom_pages.api import structured_data
from kratom_pages.api.structured_data import social_image_url, structured_data_for
from kratom_pages.images import alt_text
from kratom_pages.publishing import visibility

register = template.Library()

# The characters that could end a <script> element or start an HTML comment, escaped as
# JSON unicode escapes (the same table Django's json_script uses).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data_script(context, page) -> str:
    """``<script type="application/ld+json">`` with the page's schema.org graph."""
    data = structured_data_for(page, context.get("request"))
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def social_image(context, page) -> str:
    """The Open Graph image URL for ``page``, or an empty string."""
    return social_image_url(page, context.get("request")) or ""


def _element_counts(context) -> Counter:
    """How many elements of each kind this page render has numbered so far. The page's
    context holds one ``Counter`` that every block's template shares (``include_block``
    passes the page context down), so ids stay unique across blocks; a block rendered on
    its own (a preview) numbers its own."""
    counts = context.get("element_ids")
    if counts is None:
        counts = context.render_context.setdefault("kratom_element_ids", Counter())
    return counts


def next_element_id(context, prefix: str) -> str:
    counts = _element_counts(context)
    counts[prefix] += 1
    return f"{prefix}-{counts[prefix]}"


@register.simple_tag(takes_context=True)
def element_id(context, prefix: str) -> str:
    """A page-wide unique id ``prefix-N``; N counts up in the order the page renders."""
    return next_element_id(context, prefix)


@register.inclusion_tag("kratom_pages/includes/citation_markers.html", takes_context=True)
def citation_markers(context, sources) -> dict:
    """Footnote markers [1][3] for the sources a block cites, numbered page-wide, each with
    an id unique on the page (``cite-3-2``: the second marker for source 3)."""
    numbers = context.get("citation_numbers") or {}
    markers = sorted(
        {numbers[source.pk] for source in sources or [] if source and source.pk in numbers}
    )
    return {"markers": [(n, next_element_id(context, f"cite-{n}")) for n in markers]}


@register.simple_tag(takes_context=True)
def cited_html(context, text, sources) -> str:
    """Rich text with its citation markers inside its last paragraph, so [1][2] stay on
    the line of text they support instead of wrapping onto a line of their own."""
    html = str(reader_html(text)).rstrip()
    markers = render_to_string(
        "kratom_pages/includes/citation_markers.html", citation_markers(context, sources)
    ).strip()
    if not markers:
        return mark_safe(html)  # noqa: S308 - sanitised by reader_html
    if html.endswith("</p>"):
        html = f"{html[: -len('</p>')]}{markers}</p>"
    else:
        html = f"{html}<p>{markers}</p>"
    return mark_safe(html)  # noqa: S308 - sanitised text and our own markers


@register.filter
def iso_datetime(value) -> str:
    """A ``<time datetime>`` value: ISO 8601 to the second with the UTC offset (no
    microseconds, which the HTML validator rejects)."""
    return structured_data.iso_datetime(value) or ""


@register.filter
def reader_html(value) -> str:
    """Rich text (a ``RichText`` or database HTML) as sanitised reader HTML, with links to
    pages readers cannot see unlinked. Use it instead of Wagtail's ``|richtext``."""
    source = getattr(value, "source", value) or ""
    objects = prefetch.active()
    if objects is not None and source in objects.rich_text:
        html = objects.rich_text[source]
    else:
        html = rich_text.render(str(source))
    return mark_safe(html)  # noqa: S308 - sanitised by rich_text


@register.filter
def public_image(image):
    """The image when it may be shown to readers; None when it is in a restricted collection."""
    return image if visibility.is_public_image(image) else None


@register.simple_tag
def claimed_review(page) -> dict:
    """``{"date", "reviewer"}`` the byline may claim: the same rule as the API's JSON-LD
    (a workflow review only while it covers the live content)."""
    from kratom_pages.evidence.review import claimed_review as claimed

    reviewed_on, reviewer = claimed(page)
    return {"date": reviewed_on, "reviewer": reviewer}


@register.simple_tag
def hero_figure(page) -> dict | None:
    """``{"image", "alt", "caption", "credit"}`` for an article's hero, or None. An image
    block that shows the hero again lends the hero its alt text, caption and credit and
    is left out of the body (``hero_is``): readers never see one image twice."""
    hero = public_image(getattr(page, "hero_image", None))
    if hero is None:
        return None
    figure = {"image": hero, "alt": alt_text(hero), "decorative": False}
    figure.update(caption="", credit="")
    for block in page.body:
        if block.block_type == "image" and _image_pk(block.value) == hero.pk:
            value = block.value
            decorative = bool(value.get("decorative"))
            figure.update(
                alt=alt_text(hero, value.get("alt_text"), decorative),
                decorative=decorative,
                caption=value.get("caption") or "",
                credit=value.get("credit") or "",
            )
            break
    return figure


def _image_pk(value):
    image = value.get("image") if value else None
    return getattr(image, "pk", None)


@register.filter
def hero_is(page, image) -> bool:
    """Whether ``image`` (an image block's) is the hero ``page`` already shows. The page
    comes first: a block rendered on its own (a preview) has none, and renders."""
    hero_id = getattr(page, "hero_image_id", None)
    return image is not None and hero_id is not None and getattr(image, "pk", None) == hero_id


@register.simple_tag
def page_contents(page) -> dict:
    """The table of contents of a page body: ``{"entries": [(anchor, text)], "anchors":
    {block id: anchor}}``, in body order. h2 heading blocks keep their own anchors; a
    list, FAQ or conclusion with a heading gets one derived from it, unique on the page.
    The page template hands each block its anchor (``section_anchor``), so the contents
    and the ids agree by construction."""
    from django.utils.text import slugify

    from kratom_pages.blocks.content import HeadingBlock

    body = list(page.body or [])
    taken = Counter(HeadingBlock.anchor_for(b.value) for b in body if b.block_type == "heading")
    entries, anchors = [], {}
    for block in body:
        value = block.value
        if block.block_type == "heading":
            if value.get("level") == "h2":
                entries.append((HeadingBlock.anchor_for(value), value.get("text")))
        elif block.block_type in SECTION_BLOCKS and value.get("heading"):
            # The conclusion keeps the id its template always had.
            conclusion = block.block_type == "conclusion"
            base = "kp-conclusion" if conclusion else slugify(value["heading"]) or "section"
            anchor, suffix = base, 1
            while taken[anchor]:
                suffix += 1
                anchor = f"{base}-{suffix}"
            taken[anchor] += 1
            anchors[block.id] = anchor
            entries.append((anchor, value["heading"]))
    return {"entries": entries, "anchors": anchors}


# Body blocks that open a section of their own under an h2 heading.
SECTION_BLOCKS = {"numbered_sections", "guidelines", "faq", "conclusion"}


@register.simple_tag
def section_anchor(contents, block) -> str:
    """The id ``page_contents`` gave ``block``, or an empty string."""
    return (contents or {}).get("anchors", {}).get(getattr(block, "id", None), "")


@register.simple_tag(takes_context=True)
def evidence_legend(context) -> str:
    """The legend of evidence levels, once per page (the first list of claims shows it)."""
    if next_element_id(context, "kp-evidence-legend") != "kp-evidence-legend-1":
        return ""
    from kratom_pages.blocks.citations import EVIDENCE_LEVELS

    return render_to_string(
        "kratom_pages/includes/evidence_legend.html", {"levels": EVIDENCE_LEVELS}
    )


@register.simple_tag
def reply_threads(replies) -> list[dict]:
    """The replies of one listing page as threads: ``[{"reply", "children"}]``. A reply
    whose parent is on an earlier listing page starts a thread of its own (and says whom
    it answers); no queries beyond the listing's."""
    threads, by_id = [], {}
    for reply in replies or []:
        parent = by_id.get(reply.parent_id)
        if parent is not None:
            parent["children"].append(reply)
            continue
        thread = {"reply": reply, "children": [], "orphan": reply.parent_id is not None}
        by_id[reply.pk] = thread
        threads.append(thread)
    return threads


@register.simple_tag
def author_link(page) -> str:
    """The byline's author: a link to their profile when the page gives one (safe HTML),
    else the name (escaped where it is shown)."""
    url = getattr(page, "author_url", "")
    if url:
        return format_html('<a href="{}" rel="author">{}</a>', url, page.author_name)
    return page.author_name
