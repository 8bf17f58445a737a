"""What is stored once per image beyond Wagtail's own rows: its placeholder."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class ImagePlaceholder(models.Model):
    """An image's dominant colour and tiny blurred preview, made once per file (the file's
    hash says when the file was replaced) so that no reader's request opens the original."""

    image = models.OneToOneField(
        get_image_model_string(),
        on_delete=models.CASCADE,
        related_name="kratom_placeholder",
        verbose_name=_("image"),
    )
    file_hash = models.CharField(_("file hash"), max_length=40, blank=True)
    dominant_color = models.CharField(_("dominant colour"), max_length=7)
    data_uri = models.TextField(_("blur placeholder"))

    class Meta:
        app_label = "kratom_pages"
        verbose_name = _("image placeholder")
        verbose_name_plural = _("image placeholders")

    def __str__(self) -> str:
        return f"{self.image_id}: {self.dominant_color}"
