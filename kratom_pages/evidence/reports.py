"""The "Overdue medical reviews" report and its dashboard panel."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView

from kratom_pages import conf
from kratom_pages.evidence.review import overdue_pages


class OverdueReviewReportView(PageReportView):
    page_title = _("Overdue medical reviews")
    header_icon = "warning"
    index_url_name = "kratom_pages_overdue_reviews"
    index_results_url_name = "kratom_pages_overdue_reviews_results"
    results_template_name = "kratom_pages/admin/overdue_reviews_results.html"
    list_export = [*PageReportView.list_export, "specific.last_reviewed"]
    export_headings = {
        **PageReportView.export_headings,
        "specific.last_reviewed": _("Last reviewed"),
    }

    def get_queryset(self):
        return overdue_pages().specific()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["interval_days"] = conf.get("REVIEW_INTERVAL_DAYS")
        return context

    def get_filename(self):
        return "overdue-medical-reviews"


class OverdueReviewsPanel(Component):
    """Dashboard panel: how many health pages wait for medical review."""

    name = "kratom_overdue_reviews"
    template_name = "kratom_pages/admin/overdue_reviews_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        return {
            "count": overdue_pages().count(),
            "report_url": reverse("kratom_pages_overdue_reviews"),
            "interval_days": conf.get("REVIEW_INTERVAL_DAYS"),
        }
