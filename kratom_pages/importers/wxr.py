"""Reading a WordPress export (WXR 1.0 to 1.2) as a stream of items.

The file is read twice with ``iterparse``, never held whole: ``scan`` checks it is
well-formed and collects what items refer to across the file (attachments, author names),
then ``items`` yields one post at a time and frees it. Entity declarations and external
references are refused by defusedxml, so billion-laughs and XXE inputs fail with a
message instead of expanding or reading files.
"""

import re
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import iterparse
from django.utils.text import slugify
from django.utils.translation import gettext as _

# One dataclass per kind of thing an export holds (older code imports them from here).
from kratom_pages.importers.export import Attachment, Comment, ExportSummary, Item  # noqa: F401

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


# WordPress has written http://wordpress.org/export/1.0/ to .../1.2/ and, since 2023,
# the same with https; the excerpt namespace is the version's own plus "excerpt/".
_WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+(?:\.\d+)*/(excerpt/?)?$")


class ExportError(ValueError):
    """The file cannot be imported at all; the message says why (and where)."""


def local_name(tag: str) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``, for any WXR version
    and either scheme; other namespaces by their usual prefix, else their URI."""
    if not tag.startswith("{"):
        return tag
    uri, name = tag[1:].split("}", 1)
    if match := _WXR_NAMESPACE.match(uri):
        return f"{'excerpt' if match.group(1) else 'wp'}:{name}"
    return f"{NAMESPACES.get(uri.replace('https://', 'http://', 1), uri)}:{name}"


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _events(path) -> Iterator[tuple[str, object]]:
    """``iterparse`` events, with refusals and syntax errors turned into ``ExportError``."""
    try:
        yield from iterparse(path, events=("start", "end"))
    except EntitiesForbidden as exc:
        raise ExportError(
            _(
                "The file declares an XML entity (%(name)s). Entity expansion is disabled "
                "because it allows billion-laughs and external-entity (XXE) attacks; "
                "WordPress exports never need it."
            )
            % {"name": exc.name}
        ) from None
    except DTDForbidden:  # pragma: no cover - only with forbid_dtd
        raise ExportError(_("The file declares a DTD, which is not allowed.")) from None
    except DefusedXmlException:
        raise ExportError(
            _("The file refers to an external resource, which is not allowed (XXE).")
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise ExportError(
            _("The file is not well-formed XML: line %(line)d, column %(column)d.")
            % {"line": line, "column": column + 1}
        ) from None


def _comment(element) -> Comment:
    value = {local_name(child.tag): child.text or "" for child in element}
    return Comment(
        id=_int(value.get("wp:comment_id")),
        parent=_int(value.get("wp:comment_parent")),
        approved=value.get("wp:comment_approved", "").strip(),
        author=value.get("wp:comment_author", "").strip(),
        email=value.get("wp:comment_author_email", "").strip(),
        ip=value.get("wp:comment_author_IP", "").strip(),
        date_gmt=value.get("wp:comment_date_gmt", "").strip()
        or value.get("wp:comment_date", "").strip(),
        content=value.get("wp:comment_content", ""),
        type=value.get("wp:comment_type", "").strip(),
    )


KNOWN_PREFIXES = {"wp", "excerpt", *NAMESPACES.values()}
SIMPLE_FIELDS = {
    "title": "title",
    "link": "link",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "dc:creator": "creator",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:attachment_url": "attachment_url",
    "wp:post_password": "password",
    "wp:comment_status": "comment_status",
}


def _item(element, index: int) -> Item:
    item = Item(index=index)
    for child in element:
        name = local_name(child.tag)
        if name in SIMPLE_FIELDS:
            setattr(item, SIMPLE_FIELDS[name], _text(child))
        elif name == "wp:post_id":
            item.post_id = _int(_text(child))
        elif name == "wp:post_parent":
            item.parent_id = _int(_text(child))
        elif name == "wp:is_sticky":
            item.sticky = _text(child) == "1"
        elif name == "content:encoded":
            item.content = child.text or ""
        elif name == "excerpt:encoded":
            item.excerpt = (child.text or "").strip()
        elif name == "category":
            item.categories.append((child.get("domain", ""), _text(child)))
        elif name == "wp:postmeta":
            meta = {local_name(c.tag): c.text or "" for c in child}
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        elif child.tag.startswith("{") and name.split(":", 1)[0] not in KNOWN_PREFIXES:
            item.unrecognised.add(child.tag[1:].split("}", 1)[0])
    return item


def _walk(path) -> Iterator[tuple[str, object, int]]:
    """("channel", element) for channel fields and ("item", Item) for each item; every
    finished element is cleared so memory stays flat however long the file is."""
    depth, root_seen, channel, index = 0, False, None, 0
    for event, element in _events(path):
        name = local_name(element.tag)
        if event == "start":
            depth += 1
            if depth == 1 and name != "rss":
                raise ExportError(_("This is not a WordPress export: it has no <rss> root."))
            root_seen = True
            if depth == 2 and name == "channel":
                channel = element
            continue
        depth -= 1
        if depth == 2 and channel is not None:
            if name == "item":
                yield "item", _item(element, index)
                index += 1
            else:
                yield "channel", element
            channel.remove(element)  # the whole subtree is freed
    if not root_seen or channel is None:
        raise ExportError(_("This is not a WordPress export: it has no <channel>."))


def scan(path) -> ExportSummary:
    """Validate the whole file and collect cross-references; raises ``ExportError``."""
    summary = ExportSummary()
    wxr = False
    for kind, value in _walk(path):
        if kind == "channel":
            name = local_name(value.tag)
            wxr = wxr or name.startswith("wp:")
            # The first of base_site_url, base_blog_url or link names the site.
            if name in ("wp:base_site_url", "wp:base_blog_url", "link") and not summary.site_url:
                summary.site_url = _text(value)
            elif name == "title":
                summary.title = _text(value)
            elif name == "wp:wxr_version":
                summary.version = _text(value)
            elif name == "wp:category":
                fields = {local_name(c.tag): _text(c) for c in value}
                if slug := fields.get("wp:category_nicename"):
                    summary.category_slugs.add(slug)
            elif name == "wp:author":
                fields = {local_name(c.tag): _text(c) for c in value}
                login = fields.get("wp:author_login", "")
                summary.authors[login] = fields.get("wp:author_display_name") or login
            continue
        summary.items += 1
        if not (value.post_type and value.post_id):
            summary.namespaces |= value.unrecognised
            continue
        wxr = True
        summary.recognised += 1
        # Exports of a few posts may list their categories only on the posts.
        summary.category_slugs.update(
            slugify(text) for domain, text in value.categories if domain == "category" and text
        )
        summary.counts[(value.post_type, value.status)] += 1
        if value.post_type == "page":  # pages only: posts stream through, unremembered
            summary.page_statuses[value.post_id] = value.status
        if value.post_type == "page" and value.parent_id:
            summary.page_parents[value.post_id] = value.parent_id
        if value.post_type == "attachment":
            summary.attachments[value.post_id] = Attachment(
                url=value.attachment_url,
                title=value.title,
                alt=value.meta.get("_wp_attachment_image_alt", ""),
                path=value.meta.get("_wp_attached_file", ""),
                caption=value.excerpt,
                parent_id=value.parent_id,
            )
    if summary.items and not summary.recognised:
        # Items whose fields are in a namespace we do not know: never "nothing to import".
        raise ExportError(
            _(
                "None of the %(items)d items has WordPress fields we can read (their "
                "namespaces: %(namespaces)s). Is this a WordPress export (WXR)?"
            )
            % {
                "items": summary.items,
                "namespaces": ", ".join(sorted(summary.namespaces)) or _("none"),
            }
        )
    if not wxr:
        raise ExportError(_("This RSS file has no WordPress (wp:) fields: export it again."))
    summary.site_url = summary.site_url.rstrip("/")
    return summary


def items(path) -> Iterator[Item]:
    """The items, one at a time (call ``scan`` first: it has already checked the file)."""
    for kind, value in _walk(path):
        if kind == "item":
            yield value
