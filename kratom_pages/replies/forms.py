"""The reader reply form, shared by the JSON endpoint and the server-rendered page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_pages import conf
from kratom_pages.replies.models import ReaderReply


class ReaderReplyForm(forms.ModelForm):
    """Plain-text reply with a honeypot; ``parent`` must be an approved top-level reply."""

    # Humans never see or fill this field; bots that fill every input do.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = ReaderReply
        fields = ["display_name", "email", "body", "parent"]
        labels = {"body": _("Your reply"), "display_name": _("Name shown with your reply")}

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None:
            # The model's clean() checks the parent belongs to this page.
            self.instance.page = page
        self.fields["body"].widget.attrs["maxlength"] = conf.get("REPLY_MAX_LENGTH")
        self.fields["parent"].required = False
        self.fields["parent"].widget = forms.HiddenInput()
        self.fields["parent"].queryset = ReaderReply.objects.public().filter(
            page=page, parent__isnull=True
        )
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "You can only reply to a published top-level reply on this page."
        )

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def save(self, commit=True, *, ip_hash: str = ""):
        reply = super().save(commit=False)
        reply.page = self.page
        reply.ip_hash = ip_hash
        reply.status = (
            ReaderReply.Status.SPAM if self.is_honeypot_filled else ReaderReply.Status.PENDING
        )
        if commit:
            reply.save()
        return reply
