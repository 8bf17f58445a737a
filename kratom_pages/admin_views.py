"""Admin views that wagtail-modeladmin does not provide: bulk moderation of replies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from kratom_pages.models import ReaderReply

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
