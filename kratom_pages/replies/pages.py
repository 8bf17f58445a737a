"""What a page gains by taking reader replies: the approved replies and the form in its
context, and the server-rendered form's POST. Like Wagtail's ``contrib.forms``, the
feature reaches the page through a mixin; the page keeps an ``allow_replies`` field."""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from kratom_pages import conf
from kratom_pages.replies.forms import ReaderReplyForm
from kratom_pages.replies.intake import ReplyRefused, submit_reply


class ReaderRepliesMixin:
    """For a Page subclass with an ``allow_replies`` field; ``paginate`` is the page's
    pagination helper (a bad page number shows a sensible page)."""

    reply_post_field = "kratom_reply"

    def reply_context(self, request, reply_form=None) -> dict:
        from kratom_pages.models.pages import paginate

        if not self.allow_replies:
            return {}
        replies = self.reader_replies.public().order_by("created_at", "pk")
        return {
            "replies": paginate(
                replies, conf.get("REPLIES_PAGE_SIZE"), request.GET.get("replies_page")
            ),
            "reply_form": reply_form or ReaderReplyForm(page=self),
            "reply_received": request.GET.get("replied") == "1",
        }

    def serve(self, request, *args, **kwargs):
        if request.method == "POST" and self.reply_post_field in request.POST:
            return self.serve_reply_post(request)
        return super().serve(request, *args, **kwargs)

    def serve_reply_post(self, request):
        """Post/redirect/get on success; the page again with field errors (400) or the
        refusal (403, 429) otherwise. Nothing is stored unless the reply is valid."""
        form, extra, status, headers = None, {}, 400, {}
        try:
            submission = submit_reply(self, request.POST, request.META.get("REMOTE_ADDR"))
        except ReplyRefused as refused:
            status, headers = refused.status, refused.headers
            extra["reply_error"] = refused.message
            extra["retry_after"] = getattr(refused, "retry_after", None)
        else:
            if submission.accepted:
                # A refresh does not post the reply twice.
                return HttpResponseRedirect(f"{self.url}?replied=1#replies")
            form = submission.form
        context = self.get_context(request, reply_form=form)
        context.update(extra)
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        for header, value in headers.items():
            response[header] = value
        return response
