"""One WordPress item to one page: build the page's fields, then create it, give it a new
draft revision when the source changed, or leave it alone when it did not."""

import copy
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect

from kratom_pages.importers.media import Found, MediaLibrary
from kratom_pages.importers.report import ItemReport
from kratom_pages.importers.structure import recognise
from kratom_pages.importers.wxr import ExportSummary, Item


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


def _resolve_images(blocks: list[dict], media: MediaLibrary, entry: ItemReport) -> list[dict]:
    kept = []
    for block in blocks:
        if block["type"] == "image":
            ref = block["value"]["image"]
            found = media.resolve(ref)
            if not isinstance(found, Found):
                entry.images_missing.append(found)
                continue  # omitted: never a reference to an image that is not there
            entry.images_found += 1
            block["value"]["image"] = found.image_id
            block["value"]["alt_text"] = block["value"]["alt_text"] or found.alt[:250]
        kept.append(block)
    return kept


def validate_body(model, blocks: list[dict]) -> None:
    """Run the body's own block validation; image blocks are left out in a dry run, where
    their images were found but not stored."""
    stream_block = model._meta.get_field("body").stream_block
    checked = [b for b in blocks if not (b["type"] == "image" and b["value"]["image"] is None)]
    try:
        stream_block.clean(stream_block.to_python(copy.deepcopy(checked)))
    except Exception as exc:  # noqa: BLE001 - StreamBlockValidationError and friends
        raise Unmappable(_("its body does not validate: %(error)s") % {"error": exc}) from None


def build(item: Item, summary: ExportSummary, media: MediaLibrary, entry: ItemReport) -> Built:
    """The page model and field values for ``item``; raises ``Unmappable``."""
    title = " ".join(item.title.split())
    if not title:
        raise Unmappable(_("it has no title"))
    structure = recognise(item.content)
    if not structure.blocks and not structure.intro:
        raise Unmappable(_("it has no content"))
    entry.fallbacks += structure.fallbacks
    entry.guesses += structure.guesses
    entry.warnings += structure.warnings
    blocks = _resolve_images(structure.blocks, media, entry)
    model = apps.get_model(structure.page_type)
    entry.page_type = structure.page_type
    fields = {
        "title": title[:255],
        "intro": structure.intro,
        "body": blocks,
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
            entry.images_found += 1
            fields["hero_image_id"] = found.image_id
        else:
            entry.images_missing.append(found)
    validate_body(model, blocks)
    entry.blocks = dict(sorted(_count(blocks).items()))
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
        item.title, allow_unicode=True
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


def create(built: Built, parent, slug: str, user=None):
    page = built.model(slug=slug, live=False, **built.fields)
    parent.add_child(instance=page)
    return page.save_revision(user=user, log_action=True), page


def update(page, built: Built, user=None):
    """A new draft revision with the source's content; the live version is untouched."""
    latest = page.get_latest_revision_as_object()
    fields = dict(built.fields)
    if not isinstance(latest, built.model):
        fields.pop("hero_image_id", None)  # the page keeps the type it was first given
        validate_body(type(latest), fields["body"])
    for name, value in fields.items():
        setattr(latest, name, value)
    return latest.save_revision(user=user, log_action=True), latest


def old_path(item: Item) -> str:
    """The item's permalink path; "" for "/?p=12" links (never published, so no reader
    has the address, and "/" itself is a live page the redirect could never replace)."""
    path = urlsplit(item.link).path or "/"
    return "" if path == "/" else Redirect.normalise_path(path)


def redirect(item: Item, page, entry: ItemReport) -> None:
    """A permanent redirect from the old permalink to the page, on the page's site."""
    path = old_path(item)
    if not path:
        return
    site = page.get_site()
    new_path = Redirect.normalise_path(page.get_url_parts()[2]) if site else ""
    if path == new_path:
        entry.redirect = _("not needed: same address")
        return
    Redirect.objects.update_or_create(
        old_path=path,
        site=site,
        defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
    )
    entry.redirect = path
