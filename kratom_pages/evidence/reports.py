"""The medical review report (overdue, never reviewed, changed since review, review in
progress) with filters and CSV export, and its dashboard panel."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page

from kratom_pages import conf
from kratom_pages.evidence.models import Reviewer
from kratom_pages.evidence.review import (
    NEEDS_ATTENTION,
    ReviewState,
    health_pages_to_watch,
    review_of,
    review_states,
    state_counts,
)
from kratom_pages.models.pages import health_page_models


def _health_content_types(request=None):
    return ContentType.objects.filter(
        pk__in=[ContentType.objects.get_for_model(model).pk for model in health_page_models()]
    )


class ReviewReportFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Review state"),
        choices=[(state.value, state.label) for state in NEEDS_ATTENTION],
        method="filter_state",
    )
    reviewer = django_filters.ModelChoiceFilter(
        label=_("Reviewer"), queryset=Reviewer.objects.all(), method="filter_reviewer"
    )
    content_type = ContentTypeFilter(label=_("Page type"), queryset=_health_content_types)

    class Meta:
        model = Page
        fields = ["content_type"]

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.states = states or (lambda: {})

    def filter_state(self, queryset, name, value):
        return queryset.filter(pk__in=[pk for pk, s in self.states().items() if s == value])

    def filter_reviewer(self, queryset, name, value):
        ids: list[int] = []
        for model in health_page_models():
            ids += model.objects.filter(reviewed_by=value).values_list("pk", flat=True)
        return queryset.filter(pk__in=ids)


class OverdueReviewReportView(PageReportView):
    page_title = _("Overdue medical reviews")
    header_icon = "warning"
    index_url_name = "kratom_pages_overdue_reviews"
    index_results_url_name = "kratom_pages_overdue_reviews_results"
    results_template_name = "kratom_pages/admin/overdue_reviews_results.html"
    filterset_class = ReviewReportFilterSet
    # Page editors only, like Wagtail's own page reports: reply moderators cannot open
    # the pages it links to.
    any_permission_required = ["add", "change", "publish"]
    list_export = [
        "title",
        "review_state",
        "review_reviewer",
        "review_date",
        "review_type",
        "status_string",
    ]
    export_headings = {
        **PageReportView.export_headings,
        "title": _("Title"),
        "review_state": _("Review state"),
        "review_reviewer": _("Reviewer"),
        "review_date": _("Last reviewed"),
        "review_type": _("Type"),
    }

    @cached_property
    def review_states(self) -> dict[int, str]:
        return review_states(health_pages_to_watch().specific())

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "states": lambda: self.review_states}

    def get_base_queryset(self):
        due = [pk for pk, state in self.review_states.items() if state != ReviewState.REVIEWED]
        return Page.objects.filter(pk__in=due).order_by("title")

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        specific = Page.objects.filter(pk__in=[p.pk for p in pages]).specific().in_bulk()
        decorated = []
        for page in pages:
            page = specific.get(page.pk, page)
            review = review_of(page)
            reviewer = review.reviewer if review else getattr(page, "reviewed_by", None)
            reviewed_on = review.reviewed_on if review else getattr(page, "last_reviewed", None)
            # The screen and the CSV show these same attributes, so they cannot disagree.
            page.review_state = ReviewState(self.review_states[page.pk]).label
            page.review_reviewer = str(reviewer) if reviewer else ""
            page.review_date = reviewed_on
            page.review_type = capfirst(page.specific_class._meta.verbose_name)
            decorated.append(page)
        return decorated

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["interval_days"] = conf.get("REVIEW_INTERVAL_DAYS")
        return context

    def get_filename(self):
        return "overdue-medical-reviews"


class OverdueReviewsPanel(Component):
    """Dashboard panel: how many health pages are in each review state."""

    name = "kratom_overdue_reviews"
    template_name = "kratom_pages/admin/overdue_reviews_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        counts = state_counts()
        report_url = reverse("kratom_pages_overdue_reviews")
        return {
            "count": counts[ReviewState.OVERDUE] + counts[ReviewState.NEVER],
            "states": [
                {
                    "label": state.label,
                    "count": counts[state],
                    "url": f"{report_url}?state={state.value}",
                }
                for state in NEEDS_ATTENTION
            ],
            "report_url": report_url,
            "interval_days": conf.get("REVIEW_INTERVAL_DAYS"),
        }
