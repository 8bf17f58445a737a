"""What the WordPress importer remembers: which page each WordPress item became, which
image each source URL became, and the admin's uploads with their reports."""

import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string

from kratom_pages import conf


def import_storage():
    """Uploaded exports hold commenters' emails and IP addresses, so they never go to the
    public media storage: a named entry in STORAGES, else a private temporary directory."""
    alias = conf.get("WORDPRESS_IMPORT_STORAGE")
    if alias:
        return storages[alias]
    return FileSystemStorage(location=os.path.join(tempfile.gettempdir(), "kratom-pages-imports"))


class ImportedItem(models.Model):
    """One WordPress item and the page it became, so a second import updates that page."""

    source_site = models.CharField(_("WordPress site"), max_length=255)
    wp_id = models.PositiveBigIntegerField(_("WordPress id"))
    wp_type = models.CharField(_("WordPress post type"), max_length=40)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A WordPress page with child pages: the section front that holds them (the page's
    # own content is ``page``, inside it).
    section = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("section front"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The old permalink's path, redirected once the page is live (a redirect to a draft
    # would only lead readers to a 404).
    permalink = models.CharField(_("old address"), max_length=255, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # WordPress comment id (as a string) -> ReaderReply id: comments are imported once.
    comment_ids = models.JSONField(_("imported comments"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(
                fields=["source_site", "wp_id"], name="kratom_pages_imported_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_site} #{self.wp_id}"


class ImportedImage(models.Model):
    """An image file's source URL and the Wagtail image made from it (imported once)."""

    url_hash = models.CharField(_("URL hash"), max_length=64, unique=True)
    source_url = models.TextField(_("source URL"))
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("imported WordPress image")
        verbose_name_plural = _("imported WordPress images")

    def __str__(self) -> str:
        return self.source_url


class WordPressImport(models.Model):
    """An export uploaded in the admin: its dry-run report, then the import's progress."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Analysing")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    export_file = models.FileField(
        _("export file"), upload_to="wordpress/", storage=import_storage, blank=True
    )
    uploads_zip = models.FileField(
        _("uploads (zip)"), upload_to="wordpress/", storage=import_storage, blank=True
    )
    parent_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("parent page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    post_types = models.CharField(_("post types"), max_length=100, default="post")
    publish = models.BooleanField(_("publish"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ANALYSING
    )
    processed = models.PositiveIntegerField(_("items processed"), default=0)
    total = models.PositiveIntegerField(_("items"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        permissions = [("import_wordpress", _("Can import from WordPress"))]

    def __str__(self) -> str:
        return f"WordPress import {self.pk} ({self.get_status_display()})"

    def discard_files(self) -> None:
        """Delete the uploaded files once they are no longer needed (they hold personal
        data); the report, which holds none, stays."""
        for name in ("export_file", "uploads_zip"):
            stored = getattr(self, name)
            if stored:
                stored.delete(save=False)
        self.save(update_fields=["export_file", "uploads_zip"])
