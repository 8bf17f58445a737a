"""The admin upload form: every problem with the files is a field error, never a 500."""

import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_pages import conf
from kratom_pages.importers.wxr import ExportError, scan
from kratom_pages.models import KratomIndexPage

POST_TYPES = [("post", _("Posts")), ("page", _("Pages"))]


class WordPressImportForm(forms.Form):
    export_file = forms.FileField(
        label=_("WordPress export"),
        help_text=_("The XML file from Tools → Export in WordPress."),
    )
    uploads_zip = forms.FileField(
        label=_("Uploads (optional)"),
        required=False,
        help_text=_("A zip of wp-content/uploads, so images come along."),
    )
    parent_page = forms.ModelChoiceField(
        label=_("Import under"), queryset=KratomIndexPage.objects.order_by("path")
    )
    post_types = forms.MultipleChoiceField(
        label=_("Import"),
        choices=POST_TYPES,
        initial=["post"],
        widget=forms.CheckboxSelectMultiple,
    )
    publish = forms.BooleanField(
        label=_("Publish what passes the publish checks"),
        required=False,
        help_text=_(
            "Items published in WordPress are published if they have a disclaimer and "
            "sourced claims, or submitted to the medical review where a section has one; "
            "everything else is imported as a draft."
        ),
    )

    def _check_size(self, upload, setting: str) -> None:
        limit = conf.get(setting)
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("This file is larger than %(limit)d MB.") % {"limit": limit}
            )

    def clean_export_file(self):
        upload = self.cleaned_data["export_file"]
        self._check_size(upload, "WORDPRESS_IMPORT_MAX_UPLOAD_MB")
        try:
            upload.seek(0)
            summary = scan(upload)
        except ExportError as exc:
            raise forms.ValidationError(str(exc)) from None
        finally:
            upload.seek(0)
        if not summary.site_url:
            raise forms.ValidationError(_("The export does not say which site it came from."))
        return upload

    def clean_uploads_zip(self):
        upload = self.cleaned_data.get("uploads_zip")
        if not upload:
            return upload
        self._check_size(upload, "WORDPRESS_IMPORT_MAX_MEDIA_MB")
        try:
            valid = zipfile.is_zipfile(upload) and zipfile.ZipFile(upload).testzip() is None
        except (zipfile.BadZipFile, OSError, EOFError):
            valid = False
        upload.seek(0)
        if not valid:
            raise forms.ValidationError(_("This is not a zip file we can read."))
        return upload
