"""Running an import: the command, the admin's task and the benchmark all call
``import_export``.

Each item is imported in a savepoint of its own, so one that fails is rolled back and
reported while the rest import. The file is checked whole before anything is written, so
a malformed or hostile export writes nothing. A dry run reads (to say what would be
updated or left alone) but writes nothing, not even image files.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from kratom_pages.importers import (
    comments,
    feed_redirects,
    pages,
    permalinks,
    states,
    words,
    wxr,
)
from kratom_pages.importers.media import MediaLibrary
from kratom_pages.importers.models import ImportedItem
from kratom_pages.importers.report import ImportReport, ItemReport
from kratom_pages.importers.tree import WAIT, PageTree

logger = logging.getLogger(__name__)

# Never imported: WordPress's own bookkeeping states.
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}


@dataclass
class ImportOptions:
    parent: Page
    post_types: tuple[str, ...] = ("post",)
    dry_run: bool = False
    publish: bool = False
    limit: int | None = None
    media_dir: Path | None = None
    fetch_media: bool = False
    user: object = None
    planned_slugs: set = field(default_factory=set)  # a dry run's slugs, as if written


def wanted(item: wxr.Item, options: ImportOptions) -> bool:
    return item.post_type in options.post_types and item.status not in SKIPPED_STATUSES


def _planned(summary: wxr.ExportSummary, options: ImportOptions, report: ImportReport) -> int:
    """Count what is left out by kind, and refuse an export with nothing to import."""
    for (post_type, status), count in summary.counts.items():
        if post_type not in options.post_types:
            report.not_imported[post_type] += count
        elif status in SKIPPED_STATUSES:
            report.not_imported[status] += count
    total = sum(
        n
        for (t, s), n in summary.counts.items()
        if t in options.post_types and s not in SKIPPED_STATUSES
    )
    if not total:
        held = words.counted({words.not_imported(k): n for k, n in report.not_imported.items()})
        raise wxr.ExportError(
            _("Nothing to import: the export holds no %(types)s to import (it holds: %(held)s).")
            % {"types": ", ".join(words.post_type(t) for t in options.post_types), "held": held}
        )
    return min(total, options.limit) if options.limit else total


def import_export(
    path,
    options: ImportOptions,
    on_item: Callable[[ItemReport], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import ``path`` under ``options.parent``; raises ``wxr.ExportError`` for a file that
    cannot be imported at all (before anything is written)."""
    summary = wxr.scan(path)
    if not summary.site_url:
        raise wxr.ExportError(_("The export does not say which site it came from."))
    report = ImportReport(site_url=summary.site_url, dry_run=options.dry_run)
    total = _planned(summary, options, report)
    importable = set()
    if "page" in options.post_types:
        importable = {
            i for i, status in summary.page_statuses.items() if status not in SKIPPED_STATUSES
        }
    tree = PageTree(summary, options, importable)
    media = MediaLibrary(summary, options.media_dir, options.fetch_media, options.dry_run)
    done = 0

    def finish(entry: ItemReport) -> None:
        nonlocal done
        done += 1
        report.add(entry)
        if on_item:
            on_item(entry)
        if on_progress:
            on_progress(done, total)

    def place(item: wxr.Item, orphan: bool = False) -> None:
        entry = ItemReport(item.post_id, item.title, item.post_type, item.status)
        parent = options.parent if orphan else tree.parent_for(item, entry)
        if orphan:
            entry.note("warning", _("Its parent page was not imported: placed at the top."))
        if parent is WAIT:
            tree.wait(item)
            return
        section = import_item(item, summary, media, options, entry, parent, tree)
        finish(entry)
        for child in tree.imported(item, section):
            place(child)

    seen = 0
    for item in wxr.items(path):
        if not wanted(item, options):
            continue
        if seen >= total:
            break
        seen += 1
        place(item)
    for item in tree.orphans():
        place(item, orphan=True)
    if not options.dry_run:
        report.feed_redirects = feed_redirects.redirect_old_addresses(summary, options.parent)
    return report


def import_item(item, summary, media, options, entry: ItemReport, parent, tree=None):
    """Import one item in its own savepoint; returns the section front it got, if any."""
    section = None
    try:
        with transaction.atomic():
            section = _import(item, summary, media, options, entry, parent, tree)
    except pages.Unmappable as exc:
        entry.action = "skipped"
        entry.note("warning", _("Not imported: %(why)s.") % {"why": exc})
    except Exception as exc:  # noqa: BLE001 - one bad post must not stop the others
        logger.exception("WordPress item %s could not be imported", item.post_id)
        entry.action = "failed"
        entry.note("warning", _("Not imported: %(error)s") % {"error": type(exc).__name__})
    if entry.action in ("skipped", "failed"):
        entry.page_id = entry.section_id = section = None
        entry.published, entry.submitted = False, ""
        if lost := sum(1 for c in item.comments if comments.status_for(c)):
            entry.note(
                "warning",
                ngettext(
                    "Its %(n)d comment was not imported with it.",
                    "Its %(n)d comments were not imported with it.",
                    lost,
                )
                % {"n": lost},
            )
    return section


def _import(item, summary, media, options: ImportOptions, entry: ItemReport, parent, tree):
    built = pages.build(item, summary, media, entry)
    states.describe(item, entry)
    extra = states.page_fields(item)
    record = (
        ImportedItem.objects.filter(source_site=summary.site_url, wp_id=item.post_id)
        .select_related("page", "section")
        .first()
    )
    page = record.page.specific if record and record.page else None
    known = dict(record.comment_ids) if record else {}
    todo, entry.replies = comments.plan(item.comments, known)
    entry.replies = dict(entry.replies)
    if page is not None and record.content_hash == built.content_hash:
        entry.action, latest = "unchanged", page.get_latest_revision_as_object()
    elif page is not None:
        entry.action = "updated"
        latest = page if options.dry_run else pages.update(page, built, options.user, **extra)[1]
    else:
        entry.action, latest = "created", None
    holds_children = tree is not None and tree.holds_children(item)
    section = record.section.specific if record and record.section else None
    if options.dry_run:
        entry.slug = (
            page.slug if page else pages.slug_for(item, parent, None, options.planned_slugs)
        )
        options.planned_slugs.add(entry.slug)
        entry.replies_created = len(todo)
        if holds_children and section is None:
            entry.note("state", _("It has child pages: a section front would hold them."))
        page_for_checks = latest or built.model(
            slug=entry.slug, url_path=f"{parent.url_path}{entry.slug}/", **built.fields, **extra
        )
        states.publish(item, page_for_checks, None, options, entry, parent)
        return None
    if holds_children and section is None:
        section = _section_front(item, built, parent, options)
    if latest is None:
        home = section or parent
        entry.slug = pages.slug_for(item, home)
        page = pages.create(built, home, entry.slug, options.user, **extra)[1]
        latest = page
        record = ImportedItem(source_site=summary.site_url, wp_id=item.post_id)
    entry.slug, entry.page_id = page.slug, page.pk
    entry.section_id = section.pk if section else None
    states.restrict(page, item)  # before anything could make it live
    entry.replies_created = comments.import_comments(page, item.comments, known)
    record.wp_type, record.page, record.section = item.post_type, page, section
    record.comment_ids, record.content_hash = known, built.content_hash
    states.publish(item, latest, page, options, entry)
    publish_section = options.publish and item.status in states.PUBLISHED_STATES
    if section is not None and publish_section and not section.live:
        # A section front holds no claims: the publish checks have nothing to check.
        section.get_latest_revision().publish(user=options.user)
    permalinks.keep(record, item, section or page, entry)
    record.save()
    return section


def _section_front(item, built: pages.Built, parent, options: ImportOptions):
    """A section front for a WordPress page with child pages: its title, address and lede."""
    index = pages.index_model()(
        title=built.fields["title"],
        slug=pages.slug_for(item, parent),
        intro=built.fields["intro"],
        live=False,
    )
    parent.add_child(instance=index)
    index.save_revision(user=options.user, log_action=True)
    return index
