"""Admin for publish webhooks: endpoints (write-only secrets) and the read-only delivery
log."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages.publishing.models import WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing.webhook_forms import WebhookEndpointForm


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


modeladmin_register(WebhookEndpointAdmin)
modeladmin_register(WebhookDeliveryAdmin)
