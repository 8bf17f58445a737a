"""One WordPress item to one page: build the page's fields, then create it, give it a new
draft revision when the source changed, or leave it alone when it did not."""

import copy
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from django.apps import apps
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kratom_pages.importers.markup import plain_text
from kratom_pages.importers.media import Found, MediaLibrary
from kratom_pages.importers.nodes import ImageRef
from kratom_pages.importers.report import ItemReport
from kratom_pages.importers.structure import recognise
from kratom_pages.importers.wxr import ExportSummary, Item

# Checked when the page is published or edited, not at import: an embed's clean fetches
# the provider (the import never goes online for it) and a missing image is a placeholder
# the editor must fill.
UNCHECKED_BLOCKS = {"embed"}


class Unmappable(Exception):
    """The item cannot become a page; it is reported and skipped."""


@dataclass
class Built:
    model: type
    fields: dict
    content_hash: str


def _date(value: str):
    try:
        return datetime.strptime(value.strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def _resolve_image(value: dict, media: MediaLibrary, entry: ItemReport) -> str:
    """An image value's ``ImageRef`` becomes an image id; a missing image keeps its alt
    text and caption in a placeholder (image None) the editor must fill before publishing.
    Returns why it is missing, or ""."""
    ref: ImageRef = value["image"]
    found = media.resolve(ref)
    if isinstance(found, Found):
        entry.found_image(ref.attachment_id or ref.src)
        value["image"] = found.image_id
        value["alt_text"] = value["alt_text"] or found.alt[:250]
        return ""
    value["image"] = None
    value["caption"] = value["caption"] or ref.caption[:300]
    return found


def _drop_foreign(blocks: list[dict], media: MediaLibrary, entry: ItemReport) -> list[dict]:
    """Images from other sites are never fetched, shown or kept as a placeholder."""
    kept = []
    for block in blocks:
        if block["type"] == "gallery":
            images = block["value"]["images"]
            block["value"]["images"] = [i for i in images if not media.is_foreign(i["image"])]
            foreign = [i["image"].src for i in images if media.is_foreign(i["image"])]
            if not block["value"]["images"]:
                foreign, block = foreign, None
        elif block["type"] == "image" and media.is_foreign(block["value"]["image"]):
            foreign, block = [block["value"]["image"].src], None
        else:
            foreign = []
        for src in foreign:
            entry.note("warning", _("Removed an image from another site: %(src)s") % {"src": src})
        if block is not None:
            kept.append(block)
    return kept


def resolve_images(blocks: list[dict], media: MediaLibrary, entry: ItemReport) -> None:
    blocks[:] = _drop_foreign(blocks, media, entry)
    for block in blocks:
        if block["type"] == "image":
            if missing := _resolve_image(block["value"], media, entry):
                entry.missing_image(missing, block["id"])
        elif block["type"] == "gallery":
            images = block["value"]["images"]
            missing = [m for m in (_resolve_image(i, media, entry) for i in images) if m]
            if missing:  # one note per group, however many images it lacks
                entry.missing_images(missing, len(images), block["id"])


def _checked(block: dict) -> dict | None:
    """The block as the body's validation should see it, or None to leave it out."""
    if block["type"] in UNCHECKED_BLOCKS or (
        block["type"] == "image" and block["value"]["image"] is None
    ):
        return None
    if block["type"] == "gallery":
        images = [i for i in block["value"]["images"] if i["image"] is not None]
        return {**block, "value": {**block["value"], "images": images}} if images else None
    return block


def validate_body(model, blocks: list[dict]) -> None:
    """Run the body's own block validation on what the import can check (see
    ``UNCHECKED_BLOCKS``; in a dry run images were found but not stored)."""
    stream_block = model._meta.get_field("body").stream_block
    checked = [b for b in map(_checked, blocks) if b is not None]
    try:
        stream_block.clean(stream_block.to_python(copy.deepcopy(checked)))
    except Exception as exc:  # noqa: BLE001 - StreamBlockValidationError and friends
        where = _problems(exc, checked, stream_block)
        raise Unmappable(_("its body does not validate: %(error)s") % {"error": where}) from None


def _problems(exc, checked: list[dict], stream_block) -> str:
    """Which blocks failed and why, in words ("Table (block 3): This field is required.")."""
    data = exc.as_json_data() if hasattr(exc, "as_json_data") else {}
    found = []
    for index, errors in (data.get("blockErrors") or {}).items():
        block = checked[int(index)] if int(index) < len(checked) else None
        label = stream_block.child_blocks[block["type"]].label if block else "?"
        messages = sorted(set(_messages(errors)))[:3]
        found.append(f"{label} ({int(index) + 1}): {' '.join(messages)}")
    return "; ".join(found) or " ".join(_messages(data)) or str(exc)


def _messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for key, value in errors.items() for m in (
            value if key == "messages" else _messages(value))]  # fmt: skip
    if isinstance(errors, list):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)]


def title_for(item: Item, entry: ItemReport) -> str:
    """Plain text (WordPress titles may hold markup and entities); an untitled post is
    named from its address, as readers found it, and the editor told to check."""
    title = plain_text(item.title)
    if not title:
        title = plain_text(unquote(item.post_name).replace("-", " ")).capitalize()
        if not title:
            raise Unmappable(_("it has no title and no address to name it from"))
        entry.note("check", _('It had no title: named "%(title)s" from its address.') % {
            "title": title
        })  # fmt: skip
    return title[:255]


def build(item: Item, summary: ExportSummary, media: MediaLibrary, entry: ItemReport) -> Built:
    """The page model and field values for ``item``; raises ``Unmappable``."""
    title = title_for(item, entry)
    entry.title = title
    structure = recognise(item.content, lambda ids: media.gallery_refs(ids, item.post_id))
    if not structure.blocks and not structure.intro:
        # Kept, so its comments and address are not lost (a page may also be only a
        # place in the tree); never published empty, though (see states.publish).
        entry.note("warning", _("It has no content: imported as an empty draft."))
    for kind, message, block_id in structure.notes:
        entry.note(kind, message, block_id)
    resolve_images(structure.blocks, media, entry)
    model = apps.get_model(structure.page_type)
    entry.page_type = structure.page_type
    fields = {
        "title": title,
        "intro": structure.intro,
        "body": structure.blocks,
        "author_name": summary.authors.get(item.creator, item.creator)[:200],
        "published_date": _date(item.post_date),
        "search_description": strip_tags(
            item.meta.get("_yoast_wpseo_metadesc") or item.excerpt
        ).strip(),
    }
    thumbnail = item.meta.get("_thumbnail_id", "")
    if thumbnail.isdigit() and model._meta.label == "kratom_pages.ArticlePage":
        ref = media.ref_for_attachment(int(thumbnail))
        found = (
            media.resolve(ref)
            if ref
            else _("attachment %(id)s is not in the export") % {"id": thumbnail}
        )
        if isinstance(found, Found):
            entry.found_image(int(thumbnail))
            fields["hero_image_id"] = found.image_id
        else:
            entry.missing_image(found, "", hero=True)
    validate_body(model, structure.blocks)
    entry.blocks = dict(sorted(_count(structure.blocks).items()))
    return Built(model, fields, item.content_hash())


def _count(blocks: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for block in blocks:
        counts[block["type"]] = counts.get(block["type"], 0) + 1
    return counts


def slug_for(item: Item, parent, exclude_pk=None, planned: set | None = None) -> str:
    """The WordPress slug, made unique among ``parent``'s children (WordPress allows two
    items with one slug; Wagtail siblings may not share one)."""
    base = slugify(unquote(item.post_name), allow_unicode=True) or slugify(
        plain_text(item.title), allow_unicode=True
    )
    base = (base or f"post-{item.post_id}")[:240]
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | (planned or set())
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def create(built: Built, parent, slug: str, user=None, **extra):
    page = built.model(slug=slug, live=False, **built.fields, **extra)
    parent.add_child(instance=page)
    return page.save_revision(user=user, log_action=True), page


def update(page, built: Built, user=None, **extra):
    """A new draft revision with the source's content; the live version is untouched."""
    latest = page.get_latest_revision_as_object()
    fields = {**built.fields, **extra}
    if not isinstance(latest, built.model):
        fields.pop("hero_image_id", None)  # the page keeps the type it was first given
        validate_body(type(latest), fields["body"])
    for name, value in fields.items():
        setattr(latest, name, value)
    return latest.save_revision(user=user, log_action=True), latest


def index_model():
    return apps.get_model("kratom_pages", "KratomIndexPage")
