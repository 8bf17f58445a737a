"""What publishing keeps in the database: the record of every change (the outbox caches, the
CDN and prerendering are driven from), webhook endpoints, and a log of every delivery."""

import base64
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kratom_pages.publishing import outbound


def generate_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class LeasedWork(models.Model):
    """Work a task worker owes, done at least once whatever happens to the worker: due
    from ``due_at`` (None: nothing owed), held by one worker until ``leased_until``
    (``publishing.durable``)."""

    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)

    class Meta:
        abstract = True


class ChangeRecord(LeasedWork):
    """A change that alters what readers see, written in the same transaction as the change
    (``publishing.outbox``): caches are brought up to date from these rows after commit,
    and again whenever a cache may have lost writes; the CDN purge and prerendering it
    owes are worked off by the task worker."""

    action = models.CharField(_("action"), max_length=40)
    # The page the change is about (prerendered first), and every page it affects.
    changed_page_id = models.BigIntegerField(_("changed page"), null=True, blank=True)
    page_ids = models.JSONField(_("pages"), default=list)
    everything = models.BooleanField(_("every page"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    # When the API cache was given the new versions (by the database's clock).
    applied_at = models.DateTimeField(_("applied to the API cache"), null=True, db_index=True)
    cdn_due = models.BooleanField(_("CDN purge owed"), default=False)
    prerender_due = models.BooleanField(_("prerendering owed"), default=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class WebhookEndpoint(models.Model):
    """A URL (a frontend's revalidation route, a CDN purge hook) told about page events."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        default=generate_secret,
        help_text=_(
            "Shared with the receiver, which checks each request's signature "
            "(Standard Webhooks). Write-only in the admin."
        ),
    )
    page_types = models.CharField(
        _("page types"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. 'kratom_pages.ArticlePage'. Blank: every page type."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self._meta.get_field("url").run_validators(self.url)
        except ValidationError:
            return  # not a URL at all: the field's own error says so
        # Checked again at every send: DNS may point elsewhere by then.
        try:
            outbound.resolve(self.url)
        except outbound.UnsafeURL as exc:
            error = ValidationError(
                _("This URL is refused: %(reason)s."),
                code="unsafe_url",
                params={"reason": gettext(exc.reason)},
            )
            raise ValidationError({"url": error}) from exc
        except outbound.TransportError as exc:
            error = ValidationError(
                _("This URL's host name does not resolve."), code="host_not_found"
            )
            raise ValidationError({"url": error}) from exc

    @property
    def page_type_labels(self) -> set[str]:
        return {label.strip() for label in self.page_types.split(",") if label.strip()}


class WebhookDelivery(LeasedWork):
    """One event sent (or being sent) to one endpoint, with what happened."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        help_text=_("Empty for endpoints configured in settings."),
    )
    endpoint_url = models.URLField(_("URL"), max_length=500)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, db_index=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last response status"), null=True)
    last_error = models.TextField(
        _("last error"),
        blank=True,
        help_text=_("A short error class; never any part of the receiver's response."),
    )
    duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True)

    class Meta(LeasedWork.Meta):
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} → {self.endpoint_url} ({self.get_status_display()})"
