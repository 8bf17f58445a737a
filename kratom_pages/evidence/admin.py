"""Admin for the evidence behind pages: sources and reviewers (wagtail-modeladmin), the
source chooser, and the overdue medical review report with its dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages.evidence.chooser import source_chooser_viewset
from kratom_pages.evidence.models import Reviewer, Source
from kratom_pages.evidence.reports import OverdueReviewReportView, OverdueReviewsPanel


class SourceAdmin(ModelAdmin):
    model = Source
    menu_label = _("Sources")
    menu_icon = "doc-full"
    menu_order = 260
    list_display = ("title", "authors", "year", "kind", "link")
    list_filter = ("kind", "year")
    search_fields = ("title", "authors", "publication", "doi", "url")
    inspect_view_enabled = True


class ReviewerAdmin(ModelAdmin):
    model = Reviewer
    menu_label = _("Reviewers")
    menu_icon = "user"
    menu_order = 270
    list_display = ("name", "credentials")
    search_fields = ("name", "credentials")


modeladmin_register(SourceAdmin)
modeladmin_register(ReviewerAdmin)


@hooks.register("register_admin_viewset")
def register_source_chooser_viewset():
    return source_chooser_viewset


@hooks.register("register_admin_urls")
def register_overdue_review_report_urls():
    return [
        path(
            "reports/overdue-medical-reviews/",
            OverdueReviewReportView.as_view(),
            name="kratom_pages_overdue_reviews",
        ),
        path(
            "reports/overdue-medical-reviews/results/",
            OverdueReviewReportView.as_view(results_only=True),
            name="kratom_pages_overdue_reviews_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_review_report_menu_item():
    return AdminOnlyMenuItem(
        _("Overdue medical reviews"),
        reverse("kratom_pages_overdue_reviews"),
        icon_name="warning",
        order=750,
    )


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels):
    panels.append(OverdueReviewsPanel())
