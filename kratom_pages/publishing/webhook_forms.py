"""The admin form for webhook endpoints: the signing secret is write-only, and page types
are chosen from the installed page models (a typo would silently never fire)."""

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import get_page_models

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


def page_type_choices() -> list[tuple[str, str]]:
    """``("app_label.ModelName", "Verbose name (app_label.ModelName)")`` per page model:
    the label is what ``WebhookEndpoint.page_types`` stores and webhooks match on."""
    choices = [
        (model._meta.label, f"{model._meta.verbose_name.capitalize()} ({model._meta.label})")
        for model in get_page_models()
    ]
    return sorted(choices, key=lambda choice: choice[1].casefold())


class PageTypesField(forms.MultipleChoiceField):
    """Ticked page model labels; a blank value (a client posting "none") means none."""

    def to_python(self, value) -> list[str]:
        return [label for label in super().to_python(value) if label]


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
    page_types = PageTypesField(
        label=_("page types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Send events for these page types only. None ticked: every page type."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["page_types"]
        field.choices = page_type_choices()
        stored = sorted(self.instance.page_type_labels)
        self.initial["page_types"] = stored
        unknown = set(stored) - {value for value, _label in field.choices}
        if unknown:
            field.help_text = _(
                "Not installed page types, which never fire and are removed when you "
                "save: %(labels)s."
            ) % {"labels": ", ".join(sorted(unknown))}
        if self.instance._state.adding:
            field = self.fields["secret"]
            field.required = True
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})
            field.help_text = _("Copy it to your receiver now: it is not shown again.")

    def clean_page_types(self) -> str:
        # Stored comma-separated, the format publishing.webhooks and settings use.
        return ",".join(sorted(self.cleaned_data["page_types"]))

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or self.instance.secret
