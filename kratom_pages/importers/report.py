"""The import report: per item what it became and what an editor should do, plus totals.

Items are handed to a callback as they finish (printed by the command, collected by the
admin), so the run itself keeps only totals and its memory does not grow with the export.
Reports keep codes (block names, states) and are put into words when shown (``words``),
so the admin shows a stored report in the reader's language.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from kratom_pages.importers import words


@dataclass
class ItemReport:
    wp_id: int
    title: str
    post_type: str
    wp_status: str
    action: str = ""  # created, updated, unchanged, skipped, failed
    page_type: str = ""
    page_id: int | None = None
    section_id: int | None = None  # the section front holding a WordPress page's children
    slug: str = ""
    blocks: dict[str, int] = field(default_factory=dict)
    # What the editor should look at: {"kind", "text", "block"} ("block": a stream id).
    notes: list[dict] = field(default_factory=list)
    images_found: int = 0
    images_missing: list[str] = field(default_factory=list)
    found_images: list = field(default_factory=list)  # attachment ids or URLs, each once
    replies: dict[str, int] = field(default_factory=dict)  # by state, as in the export
    replies_created: int = 0
    redirect: str = ""
    published: bool = False
    submitted: str = ""  # the workflow the page was submitted to, instead of publishing
    draft_reasons: list[str] = field(default_factory=list)

    def note(self, kind: str, text: str, block: str = "") -> None:
        """``kind``: fallback, check, warning, missing_image, state or draft."""
        self.notes.append({"kind": kind, "text": str(text), "block": block or ""})

    def found_image(self, key) -> None:
        if key not in self.found_images:
            self.found_images.append(key)
            self.images_found += 1

    def missing_image(self, reason: str, block: str, hero: bool = False) -> None:
        if reason not in self.images_missing:
            self.images_missing.append(reason)
        text = _("%(reason)s: the hero image is empty") % {"reason": reason} if hero else (
            _("%(reason)s: its alt text and caption are kept; choose the image or delete "
              "the block") % {"reason": reason}
        )  # fmt: skip
        self.note("missing_image", text, block)

    def missing_images(self, reasons: list[str], total: int, block: str) -> None:
        """Missing images of one image group, in one note."""
        for reason in reasons:
            if reason not in self.images_missing:
                self.images_missing.append(reason)
        self.note(
            "missing_image",
            _(
                "%(missing)d of the %(total)d images in this group are missing (first: "
                "%(first)s): their captions are kept; choose them or delete them"
            )
            % {"missing": len(reasons), "total": total, "first": reasons[0]},
            block,
        )

    def left_as_draft(self, reason: str) -> None:
        self.draft_reasons.append(str(reason))
        self.note("draft", reason)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportReport:
    site_url: str
    dry_run: bool
    actions: Counter = field(default_factory=Counter)
    page_types: Counter = field(default_factory=Counter)
    replies: Counter = field(default_factory=Counter)
    found_images: set = field(default_factory=set)  # distinct images, not references
    missing_images: set = field(default_factory=set)
    published: int = 0
    submitted: int = 0
    not_imported: Counter = field(default_factory=Counter)  # "attachment", "trash", ...
    feed_redirects: int = 0  # old feed and sitemap addresses redirected to ours

    @property
    def images_found(self) -> int:
        return len(self.found_images)

    @property
    def images_missing(self) -> int:
        return len(self.missing_images)

    def add(self, item: ItemReport) -> None:
        self.actions[item.action] += 1
        if item.page_type:
            self.page_types[item.page_type] += 1
        self.replies.update(item.replies)
        self.found_images.update(item.found_images)
        self.missing_images.update(reason.split(" (", 1)[0] for reason in item.images_missing)
        self.published += item.published
        self.submitted += bool(item.submitted)

    def to_dict(self) -> dict:
        return {
            "site_url": self.site_url,
            "dry_run": self.dry_run,
            "actions": dict(self.actions),
            "page_types": dict(self.page_types),
            "replies": dict(self.replies),
            "images_found": self.images_found,
            "images_missing": self.images_missing,
            "published": self.published,
            "submitted": self.submitted,
            "not_imported": dict(self.not_imported),
            "feed_redirects": self.feed_redirects,
        }


def item_lines(item: ItemReport | dict, dry_run: bool = False) -> list[str]:
    """A few indented lines per item for the command's output."""
    item = item.to_dict() if isinstance(item, ItemReport) else item
    kind, status = words.post_type(item["post_type"]), words.wp_status(item["wp_status"])
    action = words.action(item["action"], dry_run)
    head = f"#{item['wp_id']} {item['title']!r} ({kind}, {status}): {action}"
    if item["page_type"]:
        head += f" -> {words.page_type(item['page_type'])}"
        if item["page_id"]:
            head += f" {item['page_id']}"
        head += f" /{item['slug']}/"
    lines = [head]
    if item["blocks"]:
        lines.append("    " + _("blocks: %(blocks)s") % {"blocks": words.blocks(item["blocks"])})
    if item["images_found"] or item["images_missing"]:
        lines.append(
            "    "
            + _("images: %(found)d found, %(missing)d missing")
            % {"found": item["images_found"], "missing": len(item["images_missing"])}
        )
    if item["replies"]:
        lines.append("    " + _("replies: %(states)s") % {"states": words.replies(item["replies"])})
    for note in item["notes"]:
        lines.append(f"    {words.note_kind(note['kind'])}: {note['text']}")
    if item["published"]:
        lines.append("    " + _("published"))
    if item["submitted"]:
        lines.append(
            "    "
            + _("submitted to the %(workflow)s workflow instead of publishing")
            % {"workflow": item["submitted"]}
        )
    return lines


def summary_lines(report: ImportReport) -> list[str]:
    actions = words.counted({words.action(a, report.dry_run): n for a, n in report.actions.items()})
    types = words.counted({words.page_type(t): n for t, n in report.page_types.items()})
    skipped = words.counted({words.not_imported(s): n for s, n in report.not_imported.items()})
    return [
        (_("Dry run: nothing was written.") if report.dry_run else _("Import finished.")),
        _("Items: %(actions)s") % {"actions": actions},
        _("Page types: %(types)s") % {"types": types},
        _("Replies in the export: %(replies)s") % {"replies": words.replies(report.replies)},
        _("Images: %(found)d found, %(missing)d missing")
        % {"found": report.images_found, "missing": report.images_missing},
        _("Published: %(n)d") % {"n": report.published},
        _("Submitted for medical review: %(n)d") % {"n": report.submitted},
        _("Not imported: %(skipped)s") % {"skipped": skipped},
        _("Feed and sitemap addresses redirected: %(n)d") % {"n": report.feed_redirects},
    ]
