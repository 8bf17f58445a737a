"""Moderation actions on reader replies: approve, reject or mark as spam, for the replies
ticked in the queue or for one reply from its row, inspect or edit view. POST only; the
queue's filters survive the round trip through ``next``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
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


class ReplyModerationForm(WagtailAdminModelForm):
    """The reply's Edit form: changing the status there is a moderation like the buttons',
    so it is dated the same way."""

    def save(self, commit: bool = True):
        if "status" in self.changed_data:
            self.instance.moderated_at = timezone.now()
        return super().save(commit=commit)


class ModerationView(View):
    """Base: permission check and the redirect back to where the moderator was."""

    model_admin = None
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("kratom_pages.change_readerreply"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self, request: HttpRequest) -> HttpResponse:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = self.model_admin.url_helper.index_url
        return redirect(target)

    def report(self, request: HttpRequest, count: int, status: str) -> None:
        messages.success(
            request,
            ngettext(
                "%(count)d reply marked %(status)s.",
                "%(count)d replies marked %(status)s.",
                count,
            )
            % {"count": count, "status": ReaderReply.Status(status).label.lower()},
        )


class BulkModerationView(ModerationView):
    """POST ``action`` (approve / reject / spam) and the ``selected`` reply ids."""

    def post(self, request):
        new_status = MODERATION_ACTIONS.get(request.POST.get("action"))
        ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
        if new_status is None:
            messages.error(request, _("Choose approve, reject or mark as spam."))
        elif not ids:
            messages.error(request, _("Select at least one reply."))
        else:
            self.report(
                request, set_status(ReaderReply.objects.filter(pk__in=ids), new_status), new_status
            )
        return self.back(request)


class ModerateReplyView(ModerationView):
    """POST ``action`` for the one reply in the URL (its row, inspect or edit view)."""

    def post(self, request, pk):
        reply = get_object_or_404(ReaderReply, pk=pk)
        new_status = MODERATION_ACTIONS.get(request.POST.get("action"))
        if new_status is None:
            messages.error(request, _("Choose approve, reject or mark as spam."))
        else:
            self.report(
                request, set_status(ReaderReply.objects.filter(pk=reply.pk), new_status), new_status
            )
        return self.back(request)
