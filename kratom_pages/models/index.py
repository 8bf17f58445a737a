"""The section front (``KratomIndexPage``) and the registry of the health page types
it may hold."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from kratom_pages import conf
from kratom_pages.api.fields import RichTextHTMLField, StructuredDataField
from kratom_pages.models.fields import ConfiguredRichTextField
from kratom_pages.publishing import visibility

# The health page types, by label: the one registry (an index page may hold them; each
# is a HealthContentPage, so ``is_health_page`` and ``health_page_models`` agree with it).
CONTENT_PAGE_TYPES = [
    "kratom_pages.ArticlePage",
    "kratom_pages.GuidelineListPage",
    "kratom_pages.FAQPage",
]


def paginate(items, size: int, number):
    """A page of ``items``; a bad page number shows a sensible page, never a 404 or 500."""
    paginator = Paginator(items, size)
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class KratomIndexPage(Page):
    """A section front listing the articles, guideline lists and FAQs beneath it."""

    intro = ConfiguredRichTextField(_("introduction"), blank=True, feature_setting="LEDE_FEATURES")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("structured_data", serializer=StructuredDataField()),
    ]

    subpage_types = [*CONTENT_PAGE_TYPES, "kratom_pages.KratomIndexPage"]
    template = "kratom_pages/pages/index_page.html"

    class Meta:
        verbose_name = _("kratom index page")
        verbose_name_plural = _("kratom index pages")

    # The JSON-LD shape: a CollectionPage listing ``listed_children``.
    structured_data_kind = "collection"

    def listed_children(self, request, number=None):
        """The page of visible children this request shows (page ``number``, default the
        request's ``?page=``), newest first (the template's list and the JSON-LD ItemList
        read the same one)."""
        if number is None and request is not None:
            number = request.GET.get("page")
        cached = getattr(self, "_listed_children", None)
        if cached is not None and cached[0] is request and cached[1] == number:
            return cached[2]
        children = visibility.visible_pages(self.get_children()).specific()
        children = children.order_by("-first_published_at")
        listed = paginate(children, conf.get("INDEX_PAGE_SIZE"), number)
        self._listed_children = (request, number, listed)
        return listed

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.listed_children(request)
        return context

    def serve(self, request, *args, **kwargs):
        # Each child's hero is its thumbnail, loaded for the whole list at once with its
        # renditions and placeholder: a list of 12 asks the queries of a list of 1.
        from kratom_pages import prefetch

        response = super().serve(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            return response
        with prefetch.activate(prefetch.PrefetchedObjects()) as objects:
            children = list(self.listed_children(request))
            heroes = {getattr(child, "hero_image_id", None) for child in children}
            objects.images.update(prefetch.load_images(heroes - {None}))
            for child in children:
                child.thumbnail = objects.images.get(getattr(child, "hero_image_id", None))
            response.render()
        return response
