"""Page types: an index, and the three health content pages it may hold."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from kratom_pages import conf
from kratom_pages.api.fields import (
    ArticleBodyField,
    FAQBodyField,
    GuidelineBodyField,
    ImageField,
    RichTextHTMLField,
    SEOField,
    StructuredDataField,
)
from kratom_pages.blocks import ArticleBodyBlock, FAQBodyBlock, GuidelineBodyBlock

CONTENT_PAGE_TYPES = [
    "kratom_pages.ArticlePage",
    "kratom_pages.GuidelineListPage",
    "kratom_pages.FAQPage",
]


class KratomIndexPage(Page):
    """A section front listing the articles, guideline lists and FAQs beneath it."""

    intro = RichTextField(_("introduction"), blank=True, features=list(conf.get("LEDE_FEATURES")))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro", serializer=RichTextHTMLField())]

    subpage_types = [*CONTENT_PAGE_TYPES, "kratom_pages.KratomIndexPage"]
    template = "kratom_pages/pages/index_page.html"

    class Meta:
        verbose_name = _("kratom index page")
        verbose_name_plural = _("kratom index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific().order_by("-first_published_at")
        paginator = Paginator(children, conf.get("INDEX_PAGE_SIZE"))
        # A bad ?page= shows a sensible page instead of a 404 or 500.
        try:
            context["children"] = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            context["children"] = paginator.page(1)
        except EmptyPage:
            context["children"] = paginator.page(paginator.num_pages)
        return context


class HealthContentPage(Page):
    """Fields every health content page shares: an introduction and a byline."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=list(conf.get("LEDE_FEATURES")),
        help_text=_("One or two sentences telling readers what the page covers."),
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    published_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Shown to readers. Leave blank to use the first publication date."),
    )

    byline_panels = [
        MultiFieldPanel(
            [FieldPanel("author_name"), FieldPanel("published_date")],
            heading=_("Byline"),
        )
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("author_name"),
        APIField("published_date"),
        APIField("seo", serializer=SEOField()),
        APIField("structured_data", serializer=StructuredDataField()),
    ]
    # Which JSON-LD shape ``structured_data_for`` builds for this page type.
    structured_data_kind = "article"

    parent_page_types = ["kratom_pages.KratomIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

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
    search_fields = [*HealthContentPage.search_fields, index.SearchField("body")]
    api_fields = [
        *HealthContentPage.api_fields,
        APIField("hero_image", serializer=ImageField()),
        APIField("body", serializer=ArticleBodyField()),
    ]
    template = "kratom_pages/pages/article_page.html"

    class Meta:
        verbose_name = _("article page")
        verbose_name_plural = _("article pages")


class GuidelineListPage(HealthContentPage):
    """A standalone list of guidelines, optionally grouped under headings."""

    body = StreamField(GuidelineBodyBlock(), verbose_name=_("guidelines"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *HealthContentPage.byline_panels,
    ]
    search_fields = [*HealthContentPage.search_fields, index.SearchField("body")]
    api_fields = [*HealthContentPage.api_fields, APIField("body", serializer=GuidelineBodyField())]
    structured_data_kind = "guidelines"
    template = "kratom_pages/pages/guideline_list_page.html"

    class Meta:
        verbose_name = _("guideline list page")
        verbose_name_plural = _("guideline list pages")


class FAQPage(HealthContentPage):
    """Questions and answers, optionally grouped in sections."""

    body = StreamField(FAQBodyBlock(), verbose_name=_("questions"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *HealthContentPage.byline_panels,
    ]
    search_fields = [*HealthContentPage.search_fields, index.SearchField("body")]
    api_fields = [*HealthContentPage.api_fields, APIField("body", serializer=FAQBodyField())]
    structured_data_kind = "faq"
    template = "kratom_pages/pages/faq_page.html"

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")
