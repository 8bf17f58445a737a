"""Draft preview for headless frontends, on top of wagtail-headless-preview.

The editor's Preview stores the draft as a ``PagePreview`` row under a signed token and
opens the frontend with ``?content_type=...&token=...``; the frontend asks our API for the
draft with the same two parameters. Tokens are timestamp-signed and expire after
``PREVIEW_TOKEN_MAX_AGE`` seconds.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview
from wagtail_headless_preview.settings import headless_preview_settings
from wagtail_headless_preview.signals import preview_update

from kratom_pages import conf


class PreviewError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def preview_signer() -> TimestampSigner:
    # The salt wagtail-headless-preview signs tokens with.
    return TimestampSigner(salt="headlesspreview.token")


def draft_from_token(content_type: str | None, token: str | None):
    """The previewed draft page, or a ``PreviewError`` saying clearly what is wrong."""
    if not content_type or not token:
        raise PreviewError(400, _("Preview needs both 'content_type' and 'token' parameters."))
    app_label, _dot, model = content_type.partition(".")
    try:
        page_type = ContentType.objects.get_by_natural_key(app_label, model.lower())
    except ContentType.DoesNotExist:
        raise PreviewError(400, _("Unknown content_type '%s'.") % content_type) from None
    try:
        preview_signer().unsign(token, max_age=conf.get("PREVIEW_TOKEN_MAX_AGE"))
    except SignatureExpired:
        raise PreviewError(403, _("This preview link has expired; preview again.")) from None
    except BadSignature:
        raise PreviewError(403, _("This preview token is not valid.")) from None
    preview = PagePreview.objects.filter(content_type=page_type, token=token).first()
    if preview is None:
        raise PreviewError(404, _("No preview exists for this token; preview again."))
    page = preview.as_page()
    if page.pk is None:
        page.pk = 0  # a page being created has no id yet
    return page


def purge_expired_previews() -> int:
    """Delete previews older than the token lifetime (rounded up to whole days)."""
    max_age_days = conf.get("PREVIEW_TOKEN_MAX_AGE") // 86400 + 1
    cutoff = date.today() - timedelta(days=max_age_days)
    deleted, _rows = PagePreview.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def serve_headless_preview(page, request):
    """What the admin's preview panel shows for ``page`` when a frontend is configured:
    ``HeadlessPreviewMixin.serve_preview`` (store the draft, sign a token, frame the
    frontend), plus the draft rendered off-screen for Wagtail's content checks panel, which
    reads the panel's frame and cannot read a frontend on another origin."""
    PagePreview.garbage_collect()
    page_preview = page.create_page_preview()
    page_preview.save()
    preview_update.send(sender=HeadlessPreviewMixin, token=page_preview.token)
    preview_url = page.get_preview_url(request, page_preview.token)
    if headless_preview_settings.REDIRECT_ON_PREVIEW:
        return redirect(preview_url)  # the frontend's own page: nothing here to check
    return TemplateResponse(
        request,
        "kratom_pages/admin/headless_preview.html",
        {"page": page, "preview_url": preview_url, "request": request},
    )
