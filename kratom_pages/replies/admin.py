"""Moderation admin for reader replies: the queue (wagtail-modeladmin), its pending count
in the menu, and bulk approve / reject / spam."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import re_path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.menu import LinkMenuItemComponent
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages.replies.models import ReaderReply

BULK_ACTIONS = {
    "approve": ReaderReply.Status.APPROVED,
    "reject": ReaderReply.Status.REJECTED,
    "spam": ReaderReply.Status.SPAM,
}


class BulkModerationView(View):
    """POST ``action`` (approve / reject / spam) and ``selected`` reply ids."""

    model_admin = None

    def post(self, request):
        if not request.user.has_perm("kratom_pages.change_readerreply"):
            raise PermissionDenied
        index_url = self.model_admin.url_helper.index_url
        new_status = BULK_ACTIONS.get(request.POST.get("action"))
        ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
        if new_status is None:
            messages.error(request, _("Choose approve, reject or mark as spam."))
            return redirect(index_url)
        if not ids:
            messages.error(request, _("Select at least one reply."))
            return redirect(index_url)
        count = ReaderReply.objects.filter(pk__in=ids).update(
            status=new_status, moderated_at=timezone.now()
        )
        messages.success(
            request,
            ngettext(
                "%(count)d reply marked %(status)s.",
                "%(count)d replies marked %(status)s.",
                count,
            )
            % {"count": count, "status": new_status.label.lower()},
        )
        return redirect(index_url)


class PendingCountMenuItem(ModelAdminMenuItem):
    """ "Reader replies (3)": moderators see at a glance that replies are waiting."""

    def render_component(self, request):
        pending = ReaderReply.objects.pending().count()
        label = f"{self.label} ({pending})" if pending else self.label
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class ReaderReplyPermissionHelper(PermissionHelper):
    # Replies come from readers; editors moderate them but never write them.
    def user_can_create(self, user):
        return False


class ReaderReplyAdmin(ModelAdmin):
    model = ReaderReply
    menu_label = gettext_lazy("Reader replies")
    menu_icon = "comment"
    menu_order = 250
    add_to_settings_menu = False
    permission_helper_class = ReaderReplyPermissionHelper
    list_display = ("bulk_select", "display_name", "excerpt", "page", "status", "created_at")
    list_display_add_buttons = "display_name"
    list_filter = ("status", "page", "created_at")
    search_fields = ("display_name", "body", "email")
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "page",
        "parent",
        "display_name",
        "email",
        "body",
        "status",
        "created_at",
        "moderated_at",
        "moderation_note",
    ]
    panels = [FieldPanel("status"), FieldPanel("moderation_note")]
    index_template_name = "kratom_pages/admin/replies_index.html"

    def bulk_select(self, obj):
        return format_html(
            '<input type="checkbox" name="selected" value="{}" form="kp-bulk-moderation"'
            ' aria-label="{}">',
            obj.pk,
            _("Select reply by %(name)s") % {"name": obj.display_name},
        )

    bulk_select.short_description = ""

    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    excerpt.short_description = gettext_lazy("Reply")

    def get_menu_item(self, order=None):
        return PendingCountMenuItem(self, order or self.get_menu_order())

    def get_admin_urls_for_registration(self):
        view = BulkModerationView.as_view(model_admin=self)
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                rf"^{self.opts.app_label}/{self.opts.model_name}/bulk/$",
                view,
                name=self.url_helper.get_action_url_name("bulk"),
            ),
        )


modeladmin_register(ReaderReplyAdmin)
