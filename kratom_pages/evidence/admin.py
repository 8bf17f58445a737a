"""Admin for the evidence behind pages: sources and reviewers (wagtail-modeladmin), the
source chooser, and the overdue medical review report with its dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from kratom_pages.evidence import guards, listing  # noqa: F401  (their hooks register)
from kratom_pages.evidence.chooser import source_chooser_viewset
from kratom_pages.evidence.loop import ChangesRequestedPanel
from kratom_pages.evidence.models import Reviewer, Source
from kratom_pages.evidence.page_edit import health_page_viewsets
from kratom_pages.evidence.records import ReviewRecord
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
    list_display = ("name", "credentials", "user")
    search_fields = ("name", "credentials")


class ReadOnlyPermissionHelper(PermissionHelper):
    """Records are evidence of what happened: nobody adds, edits or deletes them here."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ReviewRecordAdmin(ModelAdmin):
    model = ReviewRecord
    menu_label = _("Review records")
    menu_icon = "clipboard-list"
    menu_order = 280
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("page", "outcome", "reviewer", "reviewed_on", "revision_number", "created_at")
    list_filter = ("outcome", "reviewer")
    search_fields = ("page__title", "note")
    inspect_view_fields = [
        "page",
        "revision_number",
        "outcome",
        "reviewer",
        "user",
        "created_at",
        "reviewed_on",
        "claims_match_sources",
        "evidence_levels_right",
        "safety_information_current",
        "disclaimer_present",
        "note",
    ]


modeladmin_register(SourceAdmin)
modeladmin_register(ReviewerAdmin)
modeladmin_register(ReviewRecordAdmin)


@hooks.register("register_admin_viewset")
def register_source_chooser_viewset():
    return source_chooser_viewset


@hooks.register("register_admin_viewset")
def register_health_page_viewsets():
    return health_page_viewsets()


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
    # Same audience as the report it links to: users who may edit pages.
    if user_has_any_page_permission(request.user):
        panels.append(ChangesRequestedPanel(request.user))
        panels.append(OverdueReviewsPanel())
