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
from wagtail.models import Page

from kratom_pages.evidence.page_forms import publish_problems
from kratom_pages.importers import comments, pages, wxr
from kratom_pages.importers.media import MediaLibrary
from kratom_pages.importers.models import ImportedItem
from kratom_pages.importers.report import ImportReport, ItemReport

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
    total = min(total, options.limit) if options.limit else total
    media = MediaLibrary(summary, options.media_dir, options.fetch_media, options.dry_run)
    done = 0
    for item in wxr.items(path):
        if not wanted(item, options):
            continue
        if done >= total:
            break
        entry = import_item(item, summary, media, options)
        done += 1
        report.add(entry)
        if on_item:
            on_item(entry)
        if on_progress:
            on_progress(done, total)
    return report


def import_item(item, summary, media, options: ImportOptions) -> ItemReport:
    entry = ItemReport(item.post_id, item.title, item.post_type, item.status)
    try:
        with transaction.atomic():
            _import(item, summary, media, options, entry)
    except pages.Unmappable as exc:
        entry.action = "skipped"
        entry.warnings.append(_("Not imported: %(why)s.") % {"why": exc})
    except Exception as exc:  # noqa: BLE001 - one bad post must not stop the others
        logger.exception("WordPress item %s could not be imported", item.post_id)
        entry.action = "failed"
        entry.warnings.append(_("Not imported: %(error)s") % {"error": type(exc).__name__})
    if entry.action in ("skipped", "failed"):
        entry.page_id = None
        entry.published = False
    return entry


def _import(item, summary, media, options: ImportOptions, entry: ItemReport) -> None:
    built = pages.build(item, summary, media, entry)
    record = (
        ImportedItem.objects.filter(source_site=summary.site_url, wp_id=item.post_id)
        .select_related("page")
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
        latest = page if options.dry_run else pages.update(page, built, options.user)[1]
    else:
        entry.action = "created"
        latest = None
    entry.slug = (
        page.slug if page else pages.slug_for(item, options.parent, None, options.planned_slugs)
    )
    if options.dry_run:
        options.planned_slugs.add(entry.slug)
        entry.replies_created = len(todo)
        page_for_checks = latest or built.model(
            slug=entry.slug, url_path=f"{options.parent.url_path}{entry.slug}/", **built.fields
        )
        _publish(item, page_for_checks, None, options, entry)
        return
    if latest is None:
        revision, page = pages.create(built, options.parent, entry.slug, options.user)
        latest = page
        record = ImportedItem(source_site=summary.site_url, wp_id=item.post_id)
    entry.page_id = page.pk
    entry.replies_created = comments.import_comments(page, item.comments, known)
    record.wp_type, record.page, record.comment_ids = item.post_type, page, known
    record.content_hash = built.content_hash
    record.save()
    pages.redirect(item, page, entry)
    _publish(item, latest, page, options, entry)


def _publish(item, latest, page, options: ImportOptions, entry: ItemReport) -> None:
    """Publish only what WordPress had published and the publish checks pass; otherwise
    the page stays a draft and the report says why."""
    if not options.publish:
        return
    reasons = []
    if item.status != "publish":
        reasons.append(_("it was %(status)s in WordPress") % {"status": item.status})
    reasons += publish_problems(latest)
    entry.draft_reasons = reasons
    if reasons:
        return
    entry.published = True
    if page is not None and (not page.live or page.has_unpublished_changes):
        page.refresh_from_db()
        page.get_latest_revision().publish(user=options.user)
