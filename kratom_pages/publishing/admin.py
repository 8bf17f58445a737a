"""Admin for publish webhooks: endpoints (write-only secrets, page types from the installed
models) and the read-only delivery log, with its payload as JSON and a Resend action."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import InspectView

from kratom_pages.publishing.models import WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing.webhook_forms import WebhookEndpointForm
from kratom_pages.publishing.webhooks import resend

# Who may send a logged event again: whoever may change where events go.
RESEND_PERMISSION = "kratom_pages.change_webhookendpoint"


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


class DeliveryInspectView(InspectView):
    """The payload as indented JSON (escaped, in a <pre>), not a Python dict."""

    def get_field_display_value(self, field_name, field=None):
        if field_name == "payload":
            text = json.dumps(self.instance.payload, indent=2, sort_keys=True, ensure_ascii=False)
            return format_html('<pre class="kp-json">{}</pre>', text)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_resend=user.has_perm(RESEND_PERMISSION), **kwargs)


class ResendDeliveryView(View):
    """POST: a new delivery of the same event to the same endpoint (as the command does)."""

    model_admin = None
    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.has_perm(RESEND_PERMISSION):
            raise PermissionDenied
        delivery = get_object_or_404(WebhookDelivery, pk=pk)
        with transaction.atomic():
            copy = resend(delivery)
        messages.success(
            request,
            gettext("Event queued again as delivery %(id)d to %(url)s.")
            % {"id": copy.pk, "url": copy.endpoint_url},
        )
        return redirect(self.model_admin.url_helper.get_action_url("inspect", copy.pk))


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
        "short_error",
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
    inspect_view_class = DeliveryInspectView
    inspect_template_name = "kratom_pages/admin/webhook_delivery_inspect.html"

    def short_error(self, obj):
        # Already a short class and status (never the receiver's body); trimmed for the row.
        return Truncator(obj.last_error).chars(60)

    short_error.short_description = _("Error")

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                rf"^{self.opts.app_label}/{self.opts.model_name}/resend/(?P<pk>[0-9]+)/$",
                ResendDeliveryView.as_view(model_admin=self),
                name=self.url_helper.get_action_url_name("resend"),
            ),
        )


modeladmin_register(WebhookEndpointAdmin)
modeladmin_register(WebhookDeliveryAdmin)
