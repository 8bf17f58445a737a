"""Reader replies: what readers write under a page, held for moderation."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kratom_pages import conf


def validate_reply_length(value: str) -> None:
    """Read at validation time, so changing REPLY_MAX_LENGTH needs no migration."""
    limit = conf.get("REPLY_MAX_LENGTH")
    if len(value or "") > limit:
        raise ValidationError(
            _("Keep replies under %(max)d characters (this one has %(count)d)."),
            params={"max": limit, "count": len(value)},
            code="max_length",
        )


def hash_client_ip(ip: str | None) -> str:
    """A keyed hash of the client IP: enough to rate-limit and spot abuse, never the IP."""
    return salted_hmac(
        "kratom_pages.reader_reply.ip", ip or "unknown", algorithm="sha256"
    ).hexdigest()


class ReaderReplyQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReaderReply.Status.APPROVED)

    def pending(self):
        return self.filter(status=ReaderReply.Status.PENDING)

    def public(self):
        """Approved replies whose parent, if any, is approved too."""
        return self.approved().filter(
            models.Q(parent__isnull=True) | models.Q(parent__status=ReaderReply.Status.APPROVED)
        )


class ReaderReply(models.Model):
    """A reply left by a reader under a page. Email and IP hash are never shown publicly."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="reader_replies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    display_name = models.CharField(_("display name"), max_length=80)
    email = models.EmailField(
        _("email"), max_length=254, help_text=_("Private: never shown or sent to the API.")
    )
    body = models.TextField(
        _("reply"),
        validators=[validate_reply_length],
        help_text=_("Plain text; HTML is shown as typed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    ip_hash = models.CharField(_("IP hash"), max_length=64, editable=False, db_index=True)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True, editable=False)

    objects = ReaderReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reader reply")
        verbose_name_plural = _("reader replies")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.body[:40]}"

    @admin.display(description=_("Reply"))
    def excerpt(self) -> str:
        """The reply's start, as the moderation queue lists it."""
        return Truncator(self.body).chars(140)

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("Replies can only be one level deep.")})
            if self.parent.page_id != self.page_id:
                raise ValidationError({"parent": _("That reply belongs to another page.")})
