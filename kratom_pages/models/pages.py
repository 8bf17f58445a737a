"""Page types: an index, and the three health content pages it may hold."""

from collections import Counter

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from kratom_pages import prefetch
from kratom_pages.api.fields import (
    ArticleBodyField,
    DisclaimerField,
    DisclaimerInBodyField,
    FAQBodyField,
    GuidelineBodyField,
    ImageField,
    LastReviewedField,
    ReferencesField,
    ReviewerField,
    ReviewField,
    RichTextHTMLField,
    SEOField,
    StructuredDataField,
)
from kratom_pages.blocks import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock
from kratom_pages.evidence.page_forms import HealthPageForm
from kratom_pages.evidence.panels import ReviewHistoryPanel
from kratom_pages.models.fields import ConfiguredRichTextField

# The index page and the registry of health page types live in models/index.py.
from kratom_pages.models.index import CONTENT_PAGE_TYPES, KratomIndexPage, paginate  # noqa: F401
from kratom_pages.models.rendering import BulkLoadedRenderingMixin
from kratom_pages.replies.pages import ReaderRepliesMixin


def health_page_models() -> list[type]:
    """The health page models (``CONTENT_PAGE_TYPES``) as classes."""
    from django.apps import apps

    return [apps.get_model(label) for label in CONTENT_PAGE_TYPES]


def is_health_page(page) -> bool:
    """Whether ``page`` (a specific instance) is a health page: byline, medical review,
    disclaimer, citations and reader replies."""
    return isinstance(page, HealthContentPage)


class HealthContentPage(BulkLoadedRenderingMixin, ReaderRepliesMixin, HeadlessPreviewMixin, Page):
    """Fields every health content page shares: an introduction and a byline."""

    intro = ConfiguredRichTextField(
        _("introduction"),
        blank=True,
        feature_setting="LEDE_FEATURES",
        help_text=_("One or two sentences telling readers what the page covers."),
    )

    class AuthorType(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANIZATION = "organization", _("An organisation (for example an editorial team)")

    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_type = models.CharField(
        _("the author is"),
        max_length=20,
        choices=AuthorType.choices,
        default=AuthorType.PERSON,
        # Blank reads as a person: forms and imports that predate the field still save.
        blank=True,
        help_text=_("Search engines are told whether a person or an organisation wrote it."),
    )
    author_url = models.URLField(
        _("author profile URL"),
        blank=True,
        help_text=_("Optional: a page about the author, linked from search results."),
    )
    published_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Shown to readers. Leave blank to use the first publication date."),
    )

    disclaimer_override = ConfiguredRichTextField(
        _("disclaimer"),
        blank=True,
        feature_setting="LEDE_FEATURES",
        help_text=_("Leave blank to show the site's default disclaimer."),
    )
    reviewed_by = models.ForeignKey(
        "kratom_pages.Reviewer",
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("When the reviewer last checked this page against its sources."),
    )
    allow_replies = models.BooleanField(
        _("allow replies"),
        default=True,
        help_text=_("Readers may leave replies, which are held for moderation."),
    )

    byline_panels = [
        MultiFieldPanel(
            [
                FieldPanel("author_name"),
                FieldPanel("author_type"),
                FieldPanel("author_url"),
                FieldPanel("published_date"),
            ],
            heading=_("Byline"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewed_by"),
                FieldPanel("last_reviewed"),
                FieldPanel("disclaimer_override"),
            ],
            heading=_("Medical review and disclaimer"),
        ),
        ReviewHistoryPanel(),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("allow_replies")]
    # Every subclass has a ``body`` StreamField; pages with more fields extend these.
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *byline_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("allow_replies"),
        APIField("author_name"),
        APIField("published_date"),
        APIField("reviewed_by", serializer=ReviewerField()),
        APIField("last_reviewed", serializer=LastReviewedField()),
        APIField("review", serializer=ReviewField()),
        APIField("disclaimer", serializer=DisclaimerField()),
        APIField("disclaimer_in_body", serializer=DisclaimerInBodyField()),
        APIField("references", serializer=ReferencesField()),
        APIField("seo", serializer=SEOField()),
        APIField("structured_data", serializer=StructuredDataField()),
    ]
    # Which JSON-LD shape ``structured_data_for`` builds for this page type.
    structured_data_kind = "article"

    parent_page_types = ["kratom_pages.KratomIndexPage"]
    subpage_types: list[str] = []
    base_form_class = HealthPageForm

    class Meta:
        abstract = True

    def serve_preview(self, request, preview_mode):
        # Headless preview when a frontend is configured; Wagtail's own otherwise, so
        # server-rendered projects keep their usual preview.
        if getattr(settings, "WAGTAIL_HEADLESS_PREVIEW", {}).get("CLIENT_URLS"):
            from kratom_pages.publishing.preview import serve_headless_preview

            return serve_headless_preview(self, request)
        return Page.serve_preview(self, request, preview_mode)

    def site_disclaimer(self, request=None) -> str:
        from kratom_pages.models.settings import HealthContentSettings

        if request is not None:
            return HealthContentSettings.for_request(request).default_disclaimer
        site = self.get_site()
        return HealthContentSettings.for_site(site).default_disclaimer if site else ""

    def effective_disclaimer(self, request=None) -> str:
        """The page's own disclaimer, else the site default (database HTML)."""
        for disclaimer in (self.disclaimer_override, self.site_disclaimer(request)):
            # An emptied rich text editor still saves markup such as "<p></p>".
            if strip_tags(disclaimer or "").strip():
                return disclaimer
        return ""

    def has_disclaimer_callout(self) -> bool:
        raw = self.body.raw_data if self.body else []
        return any(
            item.get("type") == "callout"
            and (item.get("value") or {}).get("variant") == "disclaimer"
            for item in raw
        )

    def disclaimer_beside_body(self, request=None) -> str:
        """The disclaimer to show beside the body: none when a disclaimer callout in the
        body already says it (one rule for the templates and the API)."""
        return "" if self.has_disclaimer_callout() else self.effective_disclaimer(request)

    def has_disclaimer(self, request=None) -> bool:
        return self.has_disclaimer_callout() or bool(self.effective_disclaimer(request))

    def get_context(self, request, *args, reply_form=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cited = prefetch.sources_cited_in(self.body)
        context["cited_sources"] = cited
        context["citation_numbers"] = {source.pk: number for number, source in cited}
        # Page-wide element ids (citation markers, guideline anchors): one count per render.
        context["element_ids"] = Counter()
        if disclaimer := self.disclaimer_beside_body(request):
            context["disclaimer"] = disclaimer
        context.update(self.reply_context(request, reply_form))
        return context

    @property
    def display_date(self):
        """The date readers see: the editor's date, else when the page first went live."""
        if self.published_date:
            return self.published_date
        return self.first_published_at.date() if self.first_published_at else None


class ArticlePage(HealthContentPage):
    """A long-form article: lede, hero image, and a body of sections, lists, FAQ and conclusion."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        *HealthContentPage.byline_panels,
    ]
    api_fields = [
        *HealthContentPage.api_fields,
        APIField("hero_image", serializer=ImageField(place="hero", listing_place="thumbnail")),
        APIField("body", serializer=ArticleBodyField()),
    ]
    template = "kratom_pages/pages/article_page.html"

    class Meta:
        verbose_name = _("article page")
        verbose_name_plural = _("article pages")


class GuidelineListPage(HealthContentPage):
    """A standalone list of guidelines, optionally grouped under headings."""

    body = StreamField(GuidelineBodyBlock(), verbose_name=_("guidelines"))

    api_fields = [*HealthContentPage.api_fields, APIField("body", serializer=GuidelineBodyField())]
    structured_data_kind = "guidelines"
    template = "kratom_pages/pages/guideline_list_page.html"

    class Meta:
        verbose_name = _("guideline list page")
        verbose_name_plural = _("guideline list pages")


class FAQPage(HealthContentPage):
    """Questions and answers, optionally grouped in sections."""

    body = StreamField(FAQBodyBlock(), verbose_name=_("questions"))

    api_fields = [*HealthContentPage.api_fields, APIField("body", serializer=FAQBodyField())]
    structured_data_kind = "faq"
    template = "kratom_pages/pages/faq_page.html"

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")
