"""Moderation of reader replies: approve, reject or mark as spam. One reply from its row,
inspect or edit view (``ModerateReplyView``, POST only; the queue's filters survive the
round trip through ``next``); the ticked ones through the bulk actions in
``bulk_actions``. Both date the change and word the result the same way."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm

from kratom_pages.replies.models import ReaderReply

MODERATION_ACTIONS = {
    "approve": ReaderReply.Status.APPROVED,
    "reject": ReaderReply.Status.REJECTED,
    "spam": ReaderReply.Status.SPAM,
}
# Button labels, in the order the queue, inspect and edit views show them.
ACTION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "spam": gettext_lazy("Spam"),
}


def set_status(replies, status: str) -> int:
    """Moderate ``replies`` (a queryset) in one UPDATE; return how many changed."""
    return replies.update(status=status, moderated_at=timezone.now())


def moderated_message(count: int, status: str) -> str:
    return ngettext(
        "%(count)d reply marked %(status)s.",
        "%(count)d replies marked %(status)s.",
        count,
    ) % {"count": count, "status": ReaderReply.Status(status).label.lower()}


class ReplyModerationForm(WagtailAdminModelForm):
    """The reply's Edit form: changing the status there is a moderation like the buttons',
    so it is dated the same way."""

    def save(self, commit: bool = True):
        if "status" in self.changed_data:
            self.instance.moderated_at = timezone.now()
        return super().save(commit=commit)


class ModerateReplyView(View):
    """POST ``action`` (approve / reject / spam) for the one reply in the URL, then back to
    where the moderator was."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("kratom_pages.change_readerreply"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        reply = get_object_or_404(ReaderReply, pk=pk)
        new_status = MODERATION_ACTIONS.get(request.POST.get("action"))
        if new_status is None:
            messages.error(request, _("Choose approve, reject or mark as spam."))
        else:
            count = set_status(ReaderReply.objects.filter(pk=reply.pk), new_status)
            messages.success(request, moderated_message(count, new_status))
        return self.back(request)

    def back(self, request: HttpRequest) -> HttpResponse:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("kratom_pages_replies:index")
        return redirect(target)
