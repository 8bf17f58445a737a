"""Moderation admin for reader replies: the queue (wagtail-modeladmin) opening on Pending,
its pending count in the menu, approve / reject / spam for one reply or the ticked ones.

Selection uses Wagtail's own ``w-bulk`` Stimulus controller (select all, shift-click
ranges); the actions are plain submit buttons, so the keyboard works without scripts."""

from django.contrib.admin import SimpleListFilter
from django.urls import re_path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import LinkMenuItemComponent
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages import conf
from kratom_pages.replies.models import ReaderReply
from kratom_pages.replies.moderation import (
    ACTION_LABELS,
    BulkModerationView,
    ModerateReplyView,
    ReplyModerationForm,
)

# The row buttons submit the bulk form (index template) to the one-reply URL instead.
BULK_FORM_ID = "kp-bulk-moderation"


class StatusFilter(SimpleListFilter):
    """Status, opening on Pending: the queue is what waits. "All" is a choice of its own."""

    title = gettext_lazy("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return ReaderReply.Status.choices

    def value(self):
        return super().value() or ReaderReply.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        for value, label in [(self.ALL, _("All")), *self.lookup_choices]:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class RepliedPageFilter(SimpleListFilter):
    """Only pages that have replies (not the root or pages that cannot take replies)."""

    title = gettext_lazy("page")
    parameter_name = "page"

    def lookups(self, request, model_admin):
        pages = Page.objects.filter(pk__in=ReaderReply.objects.values("page_id"))
        return [(str(page.pk), page.title) for page in pages.order_by("title")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(page_id=value)
        return queryset


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
    """Replies come from readers: moderators approve, reject or mark them as spam but never
    write them, and delete them only where REPLY_MODERATORS_CAN_DELETE allows it (spam and
    rejected replies are purged on schedule; erasure requests have a command)."""

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        allowed = user.is_superuser or conf.get("REPLY_MODERATORS_CAN_DELETE")
        return allowed and super().user_can_delete_obj(user, obj)


class ReaderReplyAdmin(ModelAdmin):
    model = ReaderReply
    menu_label = gettext_lazy("Reader replies")
    menu_icon = "comment"
    menu_order = 250
    add_to_settings_menu = False
    permission_helper_class = ReaderReplyPermissionHelper
    list_display = (
        "bulk_select",
        "excerpt",
        "page_link",
        "created_at",
        "status_tag",
        "display_name",
        "moderation_buttons",
    )
    list_display_add_buttons = "excerpt"
    list_filter = (StatusFilter, RepliedPageFilter, "created_at")
    search_fields = ("display_name", "body", "email", "page__title")
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
    edit_handler = ObjectList(
        [FieldPanel("status"), FieldPanel("moderation_note")],
        base_form_class=ReplyModerationForm,
    )
    index_template_name = "kratom_pages/admin/replies_index.html"
    index_view_extra_css = ["kratom_pages/css/reply-queue.css"]
    inspect_template_name = "kratom_pages/admin/replies_inspect.html"
    edit_template_name = "kratom_pages/admin/replies_edit.html"

    # (action, label) pairs for the inspect and edit views' buttons.
    moderation_actions = list(ACTION_LABELS.items())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page", "parent")

    def bulk_select(self, obj):
        return format_html(
            '<input type="checkbox" name="selected" value="{}" form="{}" aria-label="{}"'
            ' data-w-bulk-target="item" data-action="w-bulk#toggle">',
            obj.pk,
            BULK_FORM_ID,
            _("Select reply by %(name)s") % {"name": obj.display_name},
        )

    bulk_select.short_description = ""

    def excerpt(self, obj):
        return Truncator(obj.body).chars(140)

    excerpt.short_description = gettext_lazy("Reply")

    def page_link(self, obj):
        url = obj.page.url
        if not url:  # not published, or outside every site
            return obj.page.title
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.page.title
        )

    page_link.short_description = gettext_lazy("Page")

    def status_tag(self, obj):
        return format_html(
            '<span class="w-status w-whitespace-nowrap">{}</span>', obj.get_status_display()
        )

    status_tag.short_description = gettext_lazy("Status")
    status_tag.admin_order_field = "status"

    def moderation_buttons(self, obj):
        url = self.url_helper.get_action_url("moderate", obj.pk)
        return format_html(
            '<div class="w-whitespace-nowrap">{}</div>',
            format_html_join(
                " ",
                '<button type="submit" form="{}" formaction="{}" name="action" value="{}"'
                ' class="button button-small button-secondary" aria-label="{}">{}</button>',
                (
                    (
                        BULK_FORM_ID,
                        url,
                        action,
                        _("%(action)s the reply by %(name)s")
                        % {"action": label, "name": obj.display_name},
                        label,
                    )
                    for action, label in ACTION_LABELS.items()
                ),
            ),
        )

    # "Moderate" alone is also an evidence level; translators need to tell them apart.
    moderation_buttons.short_description = pgettext_lazy("replies column", "Moderate")

    def get_menu_item(self, order=None):
        return PendingCountMenuItem(self, order or self.get_menu_order())

    def get_admin_urls_for_registration(self):
        prefix = rf"^{self.opts.app_label}/{self.opts.model_name}"
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                rf"{prefix}/bulk/$",
                BulkModerationView.as_view(model_admin=self),
                name=self.url_helper.get_action_url_name("bulk"),
            ),
            re_path(
                rf"{prefix}/moderate/(?P<pk>[0-9]+)/$",
                ModerateReplyView.as_view(model_admin=self),
                name=self.url_helper.get_action_url_name("moderate"),
            ),
        )


class ReplyQueuePanel(Component):
    """Dashboard panel: replies waiting, a link to the queue and a search of replies.

    Wagtail's dashboard always shows a "Search all pages" box, which answers a permission
    error to users who cannot edit pages; for them (reply moderators) the panel hides it
    and its own search takes its place."""

    name = "kratom_reply_queue"
    template_name = "kratom_pages/admin/reply_queue_panel.html"
    order = 140

    def __init__(self, hide_page_search: bool):
        self.hide_page_search = hide_page_search

    def get_context_data(self, parent_context):
        return {
            "pending": ReaderReply.objects.pending().count(),
            "queue_url": reverse("kratom_pages_readerreply_modeladmin_index"),
            "hide_page_search": self.hide_page_search,
        }


modeladmin_register(ReaderReplyAdmin)


@hooks.register("construct_homepage_panels")
def add_reply_queue_panel(request, panels):
    if request.user.has_perm("kratom_pages.change_readerreply"):
        panels.append(
            ReplyQueuePanel(hide_page_search=not user_has_any_page_permission(request.user))
        )
