"""The admin's import runs as django-tasks tasks (like webhook deliveries): a dry run on
upload, then the import itself once an editor has read the report."""

import logging
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from kratom_pages import conf
from kratom_pages.importers.media import IMAGE_SUFFIXES
from kratom_pages.importers.models import WordPressImport
from kratom_pages.importers.run import ImportOptions, import_export
from kratom_pages.importers.wxr import ExportError

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 10  # items between progress writes


def enqueue(record: WordPressImport, dry_run: bool) -> None:
    """Queue the dry run or the import once the upload's transaction commits."""
    chosen = analyse_wordpress_import if dry_run else run_wordpress_import
    transaction.on_commit(lambda: chosen.enqueue(record.pk))


def extract_uploads(archive, target: Path) -> None:
    """Unpack image files from a zip of ``wp-content/uploads``, refusing paths that leave
    ``target`` and stopping at the size limit, counted on the bytes actually written."""
    budget = conf.get("WORDPRESS_IMPORT_MAX_MEDIA_MB") * 1024 * 1024
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            path = PurePosixPath(member.filename)
            if member.is_dir() or path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            parts = path.parts
            if "uploads" in parts:
                parts = parts[parts.index("uploads") + 1 :]
            if not parts or path.is_absolute() or ".." in parts:
                continue
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, destination.open("wb") as out:
                while chunk := source.read(1024 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise ExportError(
                            _("The uploads zip is larger than the limit once unpacked.")
                        )
                    out.write(chunk)


def _run(import_id: int, dry_run: bool) -> None:
    record = WordPressImport.objects.select_related("parent_page").get(pk=import_id)
    items: list[dict] = []

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            WordPressImport.objects.filter(pk=record.pk).update(processed=done, total=total)

    with tempfile.TemporaryDirectory(prefix="kp-wordpress-") as workdir:
        work = Path(workdir)
        try:
            export = work / "export.xml"
            with record.export_file.open("rb") as source, export.open("wb") as out:
                shutil.copyfileobj(source, out)
            media_dir = None
            if record.uploads_zip:
                media_dir = work / "uploads"
                with record.uploads_zip.open("rb") as archive:
                    extract_uploads(archive, media_dir)
            options = ImportOptions(
                parent=record.parent_page.specific,
                post_types=tuple(record.post_types.split(",")),
                dry_run=dry_run,
                publish=record.publish,
                media_dir=media_dir,
                user=record.created_by,
            )
            report = import_export(
                export, options, on_item=lambda e: items.append(e.to_dict()), on_progress=progress
            )
            record.report = {"summary": report.to_dict(), "items": items}
            record.status = WordPressImport.Status.READY if dry_run else WordPressImport.Status.DONE
        except ExportError as exc:
            record.report, record.status = {"error": str(exc)}, WordPressImport.Status.FAILED
        except Exception:  # noqa: BLE001 - the editor sees "failed", the log has the detail
            logger.exception("WordPress import %s failed", import_id)
            record.report = {"error": _("The import failed unexpectedly; see the server log.")}
            record.status = WordPressImport.Status.FAILED
    record.processed = len(items)
    record.save(update_fields=["report", "status", "processed"])
    if record.status != WordPressImport.Status.READY:
        record.discard_files()  # they hold commenters' emails and IPs


@task()
def analyse_wordpress_import(import_id: int) -> None:
    _run(import_id, dry_run=True)


@task()
def run_wordpress_import(import_id: int) -> None:
    _run(import_id, dry_run=False)
