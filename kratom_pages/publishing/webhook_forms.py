"""The admin form for webhook endpoints: the signing secret is write-only."""

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from kratom_pages.publishing.webhooks import SECRET_PREFIX

MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64  # Standard Webhooks' bounds


def validate_new_secret(value: str) -> None:
    if value.startswith(SECRET_PREFIX):
        try:
            key = base64.b64decode(value.removeprefix(SECRET_PREFIX), validate=True)
        except binascii.Error:
            key = b""
        if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
            raise forms.ValidationError(
                _("After whsec_, give %(min)s to %(max)s bytes in base64."),
                code="invalid_secret",
                params={"min": MIN_SECRET_BYTES, "max": MAX_SECRET_BYTES},
            )
    elif len(value) < MIN_SECRET_BYTES or not value.isascii():
        raise forms.ValidationError(
            _("Use a whsec_ secret, or at least %(min)s ASCII characters."),
            code="invalid_secret",
            params={"min": MIN_SECRET_BYTES},
        )


class WebhookEndpointForm(WagtailAdminModelForm):
    """Never renders a stored secret. A new endpoint's form shows the freshly generated one
    (not yet stored, so its creator can copy it); on edit, blank keeps the secret."""

    secret = forms.CharField(
        label=_("signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to keep the current secret; type a new one to replace it."),
        validators=[validate_new_secret],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            field = self.fields["secret"]
            field.required = True
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})
            field.help_text = _("Copy it to your receiver now: it is not shown again.")

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or self.instance.secret
