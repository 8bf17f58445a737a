"""Moderation admin for reader replies, on Wagtail's own building blocks: a ``ModelViewSet``
whose queue opens on Pending (django-filter filters, search), bulk actions registered with
``register_bulk_action`` (see ``bulk_actions``), a permission policy that lets nobody
write replies, and a pending count in the menu and on the dashboard.

The queue stays at ``/admin/kratom_pages/readerreply/``, where it has always been."""

from django.contrib.admin.utils import quote
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from kratom_pages import conf
from kratom_pages.replies import bulk_actions  # noqa: F401  (registers the queue's actions)
from kratom_pages.replies.filters import SEARCH_FIELDS, ReplyFilterSet
from kratom_pages.replies.models import ReaderReply
from kratom_pages.replies.moderation import (
    ACTION_LABELS,
    ModerateReplyView,
    ReplyModerationForm,
)

URL_NAMESPACE = "kratom_pages_replies"


class ReplyPermissionPolicy(ModelPermissionPolicy):
    """Replies come from readers: moderators approve, reject or mark them as spam but never
    write them, and delete them only where REPLY_MODERATORS_CAN_DELETE allows it (spam and
    rejected replies are purged on schedule; erasure requests have a command)."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        if action == "delete" and not (
            user.is_superuser or conf.get("REPLY_MODERATORS_CAN_DELETE")
        ):
            return False
        return super().user_has_permission(user, action)


reply_permission_policy = ReplyPermissionPolicy(ReaderReply)
register_permission_policy(ReaderReply, reply_permission_policy)


class ModerationButtonsColumn(Column):
    """Approve / Reject / Spam for one reply, one click each (a POST form per row)."""

    cell_template_name = "kratom_pages/admin/reply_row_actions.html"

    def get_cell_context_data(self, instance, parent_context):
        return {
            **super().get_cell_context_data(instance, parent_context),
            "moderate_url": reverse(f"{URL_NAMESPACE}:moderate", args=[instance.pk]),
            # Cells render from a plain dict, without the request's CSRF context.
            "csrf_token": get_token(parent_context["request"]),
            "actions": ACTION_LABELS.items(),
        }


class ReplyQueueView(IndexView):
    default_ordering = "-created_at"

    @cached_property
    def columns(self):
        # Wagtail's bulk actions: its checkbox column, "select all", and the footer.
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="reply"), *super().columns]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return super()._get_title_column(
            field_name, column_class, get_title_id=lambda reply: f"reply_{quote(reply.pk)}_title"
        )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page", "parent")


def _page_url(reply):
    return reply.page.url  # None when unpublished or outside every site: plain text then


class ReaderReplyViewSet(ModelViewSet):
    model = ReaderReply
    name = URL_NAMESPACE
    url_prefix = "kratom_pages/readerreply"
    icon = "comment"
    menu_label = _("Reader replies")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = ReplyQueueView
    list_display = [
        "excerpt",
        TitleColumn(
            "page",
            label=_("Page"),
            accessor="page.title",
            get_url=_page_url,
            link_attrs={"target": "_blank", "rel": "noopener"},
        ),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            sort_key="status",
            primary=lambda reply: reply.status == ReaderReply.Status.PENDING,
        ),
        Column("display_name", label=_("Display name"), sort_key="display_name"),
        # "Moderate" alone is also an evidence level; translators need to tell them apart.
        ModerationButtonsColumn("moderate", label=pgettext_lazy("replies column", "Moderate")),
    ]
    filterset_class = ReplyFilterSet
    search_fields = SEARCH_FIELDS
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
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("status"), FieldPanel("moderation_note")],
        base_form_class=ReplyModerationForm,
    )
    index_template_name = "kratom_pages/admin/replies_index.html"
    inspect_template_name = "kratom_pages/admin/replies_inspect.html"
    edit_template_name = "kratom_pages/admin/replies_edit.html"

    @cached_property
    def menu_item_class(self):
        class PendingCountMenuItem(super().menu_item_class):
            """ "Reader replies (3)": moderators see at a glance that replies wait."""

            def render_component(self, request):
                component = super().render_component(request)
                if pending := ReaderReply.objects.pending().count():
                    component.label = f"{self.label} ({pending})"
                return component

        return PendingCountMenuItem

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/", ModerateReplyView.as_view(), name="moderate"),
        ]


reader_reply_viewset = ReaderReplyViewSet()


@hooks.register("register_admin_viewset")
def register_reply_viewset():
    return reader_reply_viewset


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
            "queue_url": reverse(f"{URL_NAMESPACE}:index"),
            "hide_page_search": self.hide_page_search,
        }


@hooks.register("construct_homepage_panels")
def add_reply_queue_panel(request, panels):
    if reply_permission_policy.user_has_permission(request.user, "change"):
        panels.append(
            ReplyQueuePanel(hide_page_search=not user_has_any_page_permission(request.user))
        )
