"""The import report: per item what it became and what an editor should check, plus totals.

Items are handed to a callback as they finish (printed by the command, collected by the
admin), so the run itself keeps only totals and its memory does not grow with the export.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _


@dataclass
class ItemReport:
    wp_id: int
    title: str
    post_type: str
    wp_status: str
    action: str = ""  # created, updated, unchanged, skipped, failed
    page_type: str = ""
    page_id: int | None = None
    slug: str = ""
    blocks: dict[str, int] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    images_found: int = 0
    images_missing: list[str] = field(default_factory=list)
    replies: dict[str, int] = field(default_factory=dict)  # by state, as in the export
    replies_created: int = 0
    redirect: str = ""
    published: bool = False
    draft_reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportReport:
    site_url: str
    dry_run: bool
    actions: Counter = field(default_factory=Counter)
    page_types: Counter = field(default_factory=Counter)
    replies: Counter = field(default_factory=Counter)
    images_found: int = 0
    images_missing: int = 0
    published: int = 0
    not_imported: Counter = field(default_factory=Counter)  # "attachment", "trash", ...

    def add(self, item: ItemReport) -> None:
        self.actions[item.action] += 1
        if item.page_type:
            self.page_types[item.page_type] += 1
        self.replies.update(item.replies)
        self.images_found += item.images_found
        self.images_missing += len(item.images_missing)
        self.published += item.published

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
            "not_imported": dict(self.not_imported),
        }


def item_lines(item: ItemReport, dry_run: bool = False) -> list[str]:
    """A few indented lines per item for the command's output."""
    would = _("would be ") if dry_run and item.action in ("created", "updated") else ""
    head = (
        f"#{item.wp_id} {item.title!r} ({item.post_type}, {item.wp_status}): {would}{item.action}"
    )
    if item.page_type:
        head += f" -> {item.page_type.split('.')[-1]}"
        if item.page_id:
            head += f" {item.page_id}"
        head += f" /{item.slug}/"
    lines = [head]
    if item.blocks:
        blocks = ", ".join(f"{kind} {count}" for kind, count in sorted(item.blocks.items()))
        lines.append("    " + _("blocks: %(blocks)s") % {"blocks": blocks})
    if item.images_found or item.images_missing:
        lines.append(
            "    "
            + _("images: %(found)d found, %(missing)d missing")
            % {"found": item.images_found, "missing": len(item.images_missing)}
        )
    if item.replies:
        states = ", ".join(f"{state} {n}" for state, n in sorted(item.replies.items()))
        lines.append("    " + _("replies: %(states)s") % {"states": states})
    labelled = [
        (_("fallback"), item.fallbacks),
        (_("check"), item.guesses),
        (_("warning"), item.warnings),
        (_("missing image"), item.images_missing),
        (_("left as draft"), item.draft_reasons),
    ]
    for label, messages in labelled:
        lines += [f"    {label}: {message}" for message in messages]
    if item.published:
        lines.append("    " + _("published"))
    return lines


def summary_lines(report: ImportReport) -> list[str]:
    actions = ", ".join(f"{a} {n}" for a, n in sorted(report.actions.items())) or "-"
    types = ", ".join(f"{t.split('.')[-1]} {n}" for t, n in sorted(report.page_types.items()))
    replies = ", ".join(f"{s} {n}" for s, n in sorted(report.replies.items())) or "-"
    skipped = ", ".join(f"{s} {n}" for s, n in sorted(report.not_imported.items())) or "-"
    return [
        (_("Dry run: nothing was written.") if report.dry_run else _("Import finished.")),
        _("Items: %(actions)s") % {"actions": actions},
        _("Page types: %(types)s") % {"types": types or "-"},
        _("Replies in the export: %(replies)s") % {"replies": replies},
        _("Images: %(found)d found, %(missing)d missing")
        % {"found": report.images_found, "missing": report.images_missing},
        _("Published: %(n)d") % {"n": report.published},
        _("Not imported: %(skipped)s") % {"skipped": skipped},
    ]
