"""Review records: who signed off which revision of a health page, what they checked, and
what they decided. Stored by ``evidence.workflow``; read by ``evidence.review``."""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def body_fingerprint(page) -> str:
    """A hash of the page's body as stored (its raw StreamField data, citations included).

    Two revisions with the same fingerprint show readers the same medical content; the
    title, SEO fields or byline may still differ, and a review does not cover those.
    """
    body = getattr(page, "body", None)
    raw = list(body.raw_data) if body is not None else []
    encoded = json.dumps(raw, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(encoded.encode()).hexdigest()


class ReviewRecord(models.Model):
    """One medical review decision on one revision of a health page. Never edited."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Changes requested")
        FAST_APPROVED = "fast_approved", _("Correction approved")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="kratom_review_records",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision reviewed"),
        null=True,
        # Purging old revisions must not fail, nor erase that a review took place.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision_number = models.PositiveIntegerField(
        _("revision id"), help_text=_("Kept when the revision itself is purged.")
    )
    reviewer = models.ForeignKey(
        "kratom_pages.Reviewer",
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_records",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reviewed_on = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_("The date readers see; a correction keeps the date of the review."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    claims_match_sources = models.BooleanField(_("claims match their sources"), default=False)
    evidence_levels_right = models.BooleanField(_("evidence levels right"), default=False)
    safety_information_current = models.BooleanField(_("safety information current"), default=False)
    disclaimer_present = models.BooleanField(_("disclaimer present"), default=False)
    note = models.TextField(_("note"), blank=True)
    body_fingerprint = models.CharField(
        _("body fingerprint"),
        max_length=64,
        editable=False,
        help_text=_("Hash of the reviewed body: whether the live body is still this one."),
    )

    class Meta:
        verbose_name = _("review record")
        verbose_name_plural = _("review records")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.page_id} r{self.revision_number}: {self.get_outcome_display()}"

    @property
    def signs_off(self) -> bool:
        """Whether this record lets its revision's body go live as reviewed."""
        return self.outcome in (self.Outcome.APPROVED, self.Outcome.FAST_APPROVED)


def on_record_changed(sender, instance, raw=False, **kwargs) -> None:
    """A review changes the page's API ``review`` and JSON-LD: announce it like any other
    change, so caches, CDN purges and prerendering all hear of it."""
    if raw:
        return
    from kratom_pages.publishing import invalidation

    invalidation.announce(
        invalidation.Change("review_recorded", frozenset({instance.page_id}), obj=instance)
    )


def connect() -> None:
    uid = "kratom_pages_review_record"
    post_save.connect(on_record_changed, sender=ReviewRecord, dispatch_uid=f"{uid}_saved")
    post_delete.connect(on_record_changed, sender=ReviewRecord, dispatch_uid=f"{uid}_deleted")
