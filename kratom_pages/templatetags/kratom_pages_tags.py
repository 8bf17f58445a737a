"""Template tags: JSON-LD and social meta for server-rendered pages."""

import json
from collections import Counter

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kratom_pages import prefetch, rich_text
from kratom_pages.api import structured_data
from kratom_pages.api.structured_data import social_image_url, structured_data_for
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
