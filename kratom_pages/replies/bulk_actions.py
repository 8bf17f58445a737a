"""The queue's bulk actions, on Wagtail's ``register_bulk_action``: tick replies, pick
Approve, Reject or Mark as spam in the footer, confirm. "Select all in listing" acts on
the replies the queue's filters and search show, not on every reply."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail import hooks
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.permissions import policy_registry

from kratom_pages.replies.filters import replies_in_listing
from kratom_pages.replies.models import ReaderReply
from kratom_pages.replies.moderation import MODERATION_ACTIONS, moderated_message, set_status


class ModerateRepliesBulkAction(BulkAction):
    models = [ReaderReply]
    template_name = "kratom_pages/admin/confirm_bulk_moderation.html"
    status = None  # set by each action
    confirm_label = None

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(ReaderReply)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, reply):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", reply
        )

    def get_all_objects_in_listing_query(self, parent_id):
        query = QueryDict(self.next_url.partition("?")[2])
        return replies_in_listing(query, self.request).values_list("pk", flat=True)

    def object_context(self, reply):
        return {
            "item": reply,
            "inspect_url": reverse("kratom_pages_replies:inspect", args=[reply.pk]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = len(context["items"])
        # Each action asks in its own words ("Mark this reply as spam?").
        context["question"] = self.question % {"count": count}
        return {**context, "action": self}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        replies = ReaderReply.objects.filter(pk__in=[reply.pk for reply in objects])
        return set_status(replies, cls.status), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return moderated_message(num_parent_objects, self.status)


# action type: (button, its accessible name, the confirmation's question and button,
# extra CSS classes)
ACTIONS = {
    "approve": (
        _("Approve"),
        _("Approve the selected replies"),
        ngettext_lazy("Approve this reply?", "Approve these %(count)d replies?", "count"),
        _("Yes, approve"),
        set(),
    ),
    "reject": (
        _("Reject"),
        _("Reject the selected replies"),
        ngettext_lazy("Reject this reply?", "Reject these %(count)d replies?", "count"),
        _("Yes, reject"),
        set(),
    ),
    "spam": (
        _("Mark as spam"),
        _("Mark the selected replies as spam"),
        ngettext_lazy("Mark this reply as spam?", "Mark these %(count)d replies as spam?", "count"),
        _("Yes, mark as spam"),
        {"serious"},
    ),
}

for priority, (action_type, (label, aria_label, question, confirm, classes)) in enumerate(
    ACTIONS.items()
):
    hooks.register(
        "register_bulk_action",
        type(
            f"{action_type.capitalize()}RepliesBulkAction",
            (ModerateRepliesBulkAction,),
            {
                "display_name": label,
                "action_type": action_type,
                "aria_label": aria_label,
                "question": question,
                "confirm_label": confirm,
                "classes": classes,
                "status": MODERATION_ACTIONS[action_type],
                "action_priority": 10 * (priority + 1),
            },
        ),
    )
