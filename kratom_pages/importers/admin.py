"""The "Import from WordPress" admin: upload, read the dry-run report, import through the
task queue, follow its progress, open each draft. Behind its own permission, because an
import creates pages anywhere under the chosen index and stores replies with emails."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kratom_pages.importers import tasks, words
from kratom_pages.importers.forms import WordPressImportForm
from kratom_pages.importers.models import WordPressImport

PERMISSION = "kratom_pages.import_wordpress"


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportFormView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    page_title = _("Import from WordPress")
    header_icon = "upload"
    template_name = "kratom_pages/importers/upload.html"
    form_class = WordPressImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = WordPressImport.objects.select_related("parent_page")[:10]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        record = WordPressImport.objects.create(
            export_file=data["export_file"],
            uploads_zip=data.get("uploads_zip"),
            parent_page=data["parent_page"],
            post_types=",".join(data["post_types"]),
            publish=data["publish"],
            created_by=self.request.user,
        )
        tasks.enqueue(record, dry_run=True)
        return redirect("kratom_pages_wordpress_import", record.pk)


class ImportStatusView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Import from WordPress")
    header_icon = "upload"
    template_name = "kratom_pages/importers/status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = get_object_or_404(WordPressImport, pk=self.kwargs["pk"])
        items = record.report.get("items", [])
        imported = record.status == WordPressImport.Status.DONE
        for item in items:
            describe_item(item, dry_run=not imported)
            if item.get("page_id") and imported:
                item["edit_url"] = reverse("wagtailadmin_pages:edit", args=[item["page_id"]])
                for note in item["notes"]:
                    if note.get("block"):  # Wagtail opens the editor at the block
                        note["link"] = f"{item['edit_url']}#block-{note['block']}-section"
        summary = record.report.get("summary", {})
        if summary:
            summary["actions_text"] = words.counted(
                {words.action(a, not imported): n for a, n in summary["actions"].items()}
            )
        context.update(
            record=record,
            items=items,
            summary=summary,
            error=record.report.get("error", ""),
            running=record.status
            in (WordPressImport.Status.ANALYSING, WordPressImport.Status.IMPORTING),
        )
        return context

    def post(self, request, pk):
        """Run the import the editor has just read the report of."""
        updated = WordPressImport.objects.filter(pk=pk, status=WordPressImport.Status.READY).update(
            status=WordPressImport.Status.IMPORTING, processed=0
        )
        if updated:
            tasks.enqueue(WordPressImport.objects.get(pk=pk), dry_run=False)
        return redirect("kratom_pages_wordpress_import", pk)


def describe_item(item: dict, dry_run: bool) -> None:
    """A stored report item put into words, in the language of whoever reads it."""
    item.setdefault("notes", [])
    item["words"] = {
        "action": words.action(item.get("action", ""), dry_run),
        "post_type": words.post_type(item.get("post_type", "")),
        "status": words.wp_status(item.get("wp_status", "")),
        "page_type": words.page_type(item["page_type"]) if item.get("page_type") else "",
        "blocks": words.blocks(item.get("blocks") or {}) if item.get("blocks") else "",
        "replies": words.replies(item.get("replies") or {}) if item.get("replies") else "",
    }
    for note in item["notes"]:
        note["label"] = words.note_kind(note.get("kind", ""))


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_wordpress_import_urls():
    return [
        path("import-wordpress/", ImportFormView.as_view(), name="kratom_pages_wordpress"),
        path(
            "import-wordpress/<int:pk>/",
            ImportStatusView.as_view(),
            name="kratom_pages_wordpress_import",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_wordpress_import_menu_item():
    return ImportMenuItem(
        _("Import from WordPress"), reverse("kratom_pages_wordpress"), icon_name="upload", order=950
    )


@hooks.register("register_permissions")
def register_wordpress_import_permission():
    return Permission.objects.filter(
        content_type__app_label="kratom_pages", codename="import_wordpress"
    )
