"""Site-wide settings editors manage in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


@register_setting(icon="warning")
class HealthContentSettings(BaseSiteSetting):
    """The medical disclaimer shown on every health page that does not set its own."""

    default_disclaimer = RichTextField(
        _("default disclaimer"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Say the page is information, not medical advice, and where to get help."),
    )

    class Meta:
        verbose_name = _("health content")
