"""Admin registration: moderation queue, sources and reviewers, the source chooser, the
overdue-review report and its dashboard panel."""

from django.urls import path, re_path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem, LinkMenuItemComponent
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages.admin_reports import OverdueReviewReportView, OverdueReviewsPanel
from kratom_pages.admin_views import BulkModerationView
from kratom_pages.models import (
    ReaderReply,
    Reviewer,
    Source,
    WebhookDelivery,
    WebhookEndpoint,
)
from kratom_pages.viewsets import source_chooser_viewset
from kratom_pages.webhook_forms import WebhookEndpointForm


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
    menu_label = _("Reader replies")
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

    excerpt.short_description = _("Reply")

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


class SourceAdmin(ModelAdmin):
    model = Source
    menu_label = _("Sources")
    menu_icon = "doc-full"
    menu_order = 260
    list_display = ("title", "authors", "year", "kind", "link")
    list_filter = ("kind", "year")
    search_fields = ("title", "authors", "publication", "doi", "url")
    inspect_view_enabled = True


class ReviewerAdmin(ModelAdmin):
    model = Reviewer
    menu_label = _("Reviewers")
    menu_icon = "user"
    menu_order = 270
    list_display = ("name", "credentials")
    search_fields = ("name", "credentials")


class WebhookEndpointAdmin(ModelAdmin):
    model = WebhookEndpoint
    menu_label = _("Webhook endpoints")
    menu_icon = "link-external"
    add_to_settings_menu = True
    list_display = ("name", "url", "page_types", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("name", "url", "secret", "page_types", "is_active")],
        base_form_class=WebhookEndpointForm,
    )


class ReadOnlyPermissionHelper(PermissionHelper):
    # The delivery log records what happened; nobody edits history.
    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False


class WebhookDeliveryAdmin(ModelAdmin):
    model = WebhookDelivery
    menu_label = _("Webhook deliveries")
    menu_icon = "history"
    add_to_settings_menu = True
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = (
        "created_at",
        "action",
        "endpoint_url",
        "status",
        "attempts",
        "response_status",
        "duration_ms",
        "last_error",
    )
    list_filter = ("status", "action", "endpoint")
    search_fields = ("endpoint_url", "last_error", "event_id")
    inspect_view_enabled = True
    inspect_view_fields = [
        "event_id",
        "action",
        "endpoint",
        "endpoint_url",
        "status",
        "attempts",
        "response_status",
        "duration_ms",
        "last_error",
        "created_at",
        "last_attempt_at",
        "payload",
    ]


modeladmin_register(SourceAdmin)
modeladmin_register(ReviewerAdmin)
modeladmin_register(WebhookEndpointAdmin)
modeladmin_register(WebhookDeliveryAdmin)


@hooks.register("register_admin_viewset")
def register_source_chooser_viewset():
    return source_chooser_viewset


@hooks.register("register_admin_urls")
def register_overdue_review_report_urls():
    return [
        path(
            "reports/overdue-medical-reviews/",
            OverdueReviewReportView.as_view(),
            name="kratom_pages_overdue_reviews",
        ),
        path(
            "reports/overdue-medical-reviews/results/",
            OverdueReviewReportView.as_view(results_only=True),
            name="kratom_pages_overdue_reviews_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_review_report_menu_item():
    return AdminOnlyMenuItem(
        _("Overdue medical reviews"),
        reverse("kratom_pages_overdue_reviews"),
        icon_name="warning",
        order=750,
    )


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels):
    panels.append(OverdueReviewsPanel())
