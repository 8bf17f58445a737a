"""Admin viewsets: the chooser editors use to pick a Source inside blocks.

Search matches title, authors and DOI in the database (no search index to keep in step
with the library), and kind and year narrow the list. The "Create" tab adds a source
without leaving the page; its model form runs ``Source.clean`` like the Sources admin."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, CreateView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from kratom_pages.models import Source

# The chooser modal re-runs the search when a select marked like this changes.
FILTER_ATTRS = {"data-chooser-modal-search-filter": True}


class SourceFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search title, authors or DOI"),
        widget=forms.TextInput(attrs={"placeholder": _("Title, authors or DOI")}),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Source.Kind.choices],
        required=False,
        widget=forms.Select(attrs=FILTER_ATTRS),
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, widget=forms.Select(attrs=FILTER_ATTRS)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Source.objects.exclude(year=None).order_by("-year").values_list("year", flat=True)
        self.fields["year"].choices = [
            ("", _("All years")),
            *((year, year) for year in years.distinct()),
        ]

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(title__icontains=query) | Q(authors__icontains=query) | Q(doi__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        if kind := self.cleaned_data.get("kind"):
            objects = objects.filter(kind=kind)
        if year := self.cleaned_data.get("year"):
            objects = objects.filter(year=year)
        return objects


class SourceCreationFormMixin:
    """The "Add a new source" tab's ids carry a prefix of their own: the search tab beside
    it also has kind and year fields, and the page editor under the modal has a title field
    of its own, so a plain ``id_kind`` or ``id_title`` would be there twice and a label
    could point at the other form's field. Field names stay as they are."""

    def get_creation_form_kwargs(self):
        return {**super().get_creation_form_kwargs(), "auto_id": "id_new_source-%s"}


class SourceColumnsMixin:
    """Kind and year beside the title, so editors tell similar studies apart."""

    filter_form_class = SourceFilterForm
    ordering = ["title", "pk"]

    @property
    def columns(self):
        return [
            *super().columns,
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("year", label=_("Year")),
        ]


class SourceChooseView(SourceColumnsMixin, SourceCreationFormMixin, ChooseView):
    pass


class SourceChooseResultsView(SourceColumnsMixin, ChooseResultsView):
    pass


class SourceCreateView(SourceCreationFormMixin, CreateView):
    pass


class SourceChooserViewSet(ChooserViewSet):
    model = Source
    icon = "doc-full"
    choose_one_text = _("Choose a source")
    choose_another_text = _("Choose another source")
    edit_item_text = _("Edit this source")
    create_action_label = _("Add source")
    creation_tab_label = _("Add a new source")
    choose_view_class = SourceChooseView
    choose_results_view_class = SourceChooseResultsView
    create_view_class = SourceCreateView
    form_fields = ["title", "authors", "publication", "year", "url", "doi", "kind"]


source_chooser_viewset = SourceChooserViewSet("kratom_source_chooser")
