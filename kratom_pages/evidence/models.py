"""The evidence library: sources that content cites, and the people who review it."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """Accept a bare DOI or a doi.org link; store the bare DOI."""
    value = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


def validate_doi(value: str) -> None:
    if value and not DOI_PATTERN.match(normalise_doi(value)):
        raise ValidationError(
            _("'%(value)s' is not a DOI. A DOI looks like 10.1016/j.drugalcdep.2017.03.007."),
            params={"value": value},
            code="invalid_doi",
        )


class Source(models.Model):
    """A publication or guidance that content cites."""

    class Kind(models.TextChoices):
        PUBLIC_HEALTH = "public_health", _("Public-health guidance")
        SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
        TRIAL = "trial", _("Clinical trial")
        OBSERVATIONAL = "observational", _("Observational study")
        NEWS = "news", _("News")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=400)
    authors = models.CharField(
        _("authors or publisher"),
        max_length=400,
        help_text=_("For example 'U.S. Food and Drug Administration' or 'Grundmann O'."),
    )
    publication = models.CharField(
        _("journal or series"), max_length=255, blank=True, help_text=_("Optional.")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, validators=[validate_doi])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    accessed_date = models.DateField(_("accessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}. {self.authors}{year}"

    def clean(self) -> None:
        super().clean()
        self.doi = normalise_doi(self.doi)
        if not self.url and not self.doi:
            raise ValidationError({"url": _("Give a URL or a DOI so readers can find the source.")})
        if self.year and not 1800 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year between 1800 and 2100.")})

    @property
    def link(self) -> str:
        """Where a reader should go: the DOI resolver when there is a DOI, else the URL."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    @property
    def kind_label(self) -> str:
        # Not get_kind_display(): it hashes every lazy label of the field's choices.
        return str(dict(self.Kind.choices).get(self.kind, self.kind))


class Reviewer(models.Model):
    """A named expert who reviews health content."""

    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(
        _("credentials"), max_length=200, help_text=_("For example 'PharmD' or 'MD, MPH'.")
    )
    profile_url = models.URLField(_("profile URL"), blank=True)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Private: for editors; never published.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kratom_reviewer",
        help_text=_(
            "The account this reviewer signs medical reviews with. Approving a review "
            "names this reviewer on the page."
        ),
    )

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name
