"""``manage.py import_wordpress EXPORT.xml --parent <id or path>``: see kratom_pages.importers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from kratom_pages.importers.report import item_lines, summary_lines
from kratom_pages.importers.run import ImportOptions, import_export
from kratom_pages.importers.wxr import ExportError


def find_parent(value: str) -> Page:
    """A page id, or a URL path on the default site ("/" is its root page)."""
    if value.isdigit():
        page = Page.objects.filter(pk=int(value)).first()
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError(_("No default site: give the parent page's id."))
        path = site.root_page.url_path + "/".join(p for p in value.split("/") if p)
        page = Page.objects.filter(url_path=path.rstrip("/") + "/").first()
    if page is None:
        raise CommandError(_("No page %(parent)s.") % {"parent": value})
    return page.specific


class Command(BaseCommand):
    help = "Import a WordPress export (WXR) as draft health pages, replies and redirects."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (WXR XML).")
        parser.add_argument("--parent", required=True, help="Parent page id or URL path.")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--media-dir", help="A copy of wp-content/uploads.")
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download images missing from --media-dir (public addresses only).",
        )
        parser.add_argument("--post-types", default="post", help="Comma-separated, e.g. post,page.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish items published in WordPress that pass the publish checks.",
        )
        parser.add_argument("--limit", type=int, help="Import at most N items.")

    def handle(self, *args, **options):
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": path})
        parent = find_parent(options["parent"])
        media_dir = Path(options["media_dir"]) if options["media_dir"] else None
        if media_dir and not media_dir.is_dir():
            raise CommandError(_("--media-dir %(dir)s is not a folder.") % {"dir": media_dir})
        import_options = ImportOptions(
            parent=parent,
            post_types=tuple(t.strip() for t in options["post_types"].split(",") if t.strip()),
            dry_run=options["dry_run"],
            publish=options["publish"],
            limit=options["limit"],
            media_dir=media_dir,
            fetch_media=options["fetch_media"],
        )
        for model in {"kratom_pages.ArticlePage", "kratom_pages.FAQPage"}:
            if not _can_hold(parent, model):
                raise CommandError(
                    _("Page %(id)s (%(type)s) cannot hold health pages: choose an index page.")
                    % {"id": parent.pk, "type": parent.specific_class.__name__}
                )
        dry_run = import_options.dry_run

        def on_item(entry):
            self.stdout.write("\n".join(item_lines(entry, dry_run)))

        try:
            report = import_export(path, import_options, on_item=on_item)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("")
        self.stdout.write("\n".join(summary_lines(report)))


def _can_hold(parent: Page, label: str) -> bool:
    from django.apps import apps

    return apps.get_model(label).can_create_at(parent)
