"""Every admin route that publishes respects the medical review workflow.

The edit form refuses Publish for a page under a medical review task
(``HealthPageForm.clean``); these hooks close the other doors Wagtail offers: the Publish
item of the action menu, the bulk Publish action (refused before it asks for
confirmation) and copying with "Publish copies". Scripts
and management commands that call ``revision.publish()`` are not the admin's to police.
"""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.actions.copy_for_translation import (
    CopyPageForTranslationAction,
    CopyPageForTranslationPermissionError,
)
from wagtail.actions.copy_page import CopyPageAction, CopyPagePermissionError
from wagtail.actions.create import CreatePermissionError
from wagtail.actions.create_alias import CreatePageAliasAction, CreatePageAliasPermissionError
from wagtail.actions.create_page import CreatePageAction
from wagtail.actions.edit import EditPermissionError
from wagtail.actions.edit_page import EditPageAction
from wagtail.actions.publish_page_revision import (
    PublishPagePermissionError,
    PublishPageRevisionAction,
)
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.models import Page

from kratom_pages.evidence.workflow import is_under_medical_review
from kratom_pages.models.pages import is_health_page


def under_review_workflow(page, parent=None) -> bool:
    """Whether ``page`` is a health page that goes live only through a medical review."""
    page = page.specific_deferred if type(page) is Page else page
    return is_health_page(page) and is_under_medical_review(page, parent)


def _page_being_created(request):
    """An unsaved instance of the page type the create view is adding, or None."""
    match = request.resolver_match
    try:
        model = apps.get_model(
            match.kwargs["content_type_app_name"], match.kwargs["content_type_model_name"]
        )
    except (AttributeError, KeyError, LookupError):
        return None
    return model() if issubclass(model, Page) else None


@hooks.register("construct_page_action_menu")
def hide_publish_under_review(menu_items, request, context):
    page = context.get("page") or _page_being_created(request)
    if page is None or not under_review_workflow(page, context.get("parent_page")):
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


class PublishBulkActionUnderReview(PublishBulkAction):
    """Wagtail's bulk Publish, which refuses at once (before its "Are you sure?" page, and
    again on the POST) when a selected page goes live only through its medical review."""

    def dispatch(self, request, *args, **kwargs):
        objects, _without_access = self.get_actionable_objects()
        refused = [page for page in objects if under_review_workflow(page)]
        if not refused:
            return super().dispatch(request, *args, **kwargs)
        titles = ", ".join(f"“{page.get_admin_display_title()}”" for page in refused)
        messages.error(
            request,
            ngettext(
                "Nothing was published: %(titles)s goes live only through its medical "
                "review workflow. Submit it for review instead.",
                "Nothing was published: %(titles)s go live only through their medical "
                "review workflow. Submit them for review instead.",
                len(refused),
            )
            % {"titles": titles},
        )
        # Back where the editor came from (the explorer), never to the confirmation page.
        if self.next_url != request.path:
            return redirect(self.next_url)
        return redirect("wagtailadmin_explore", refused[0].get_parent().pk)


# After Wagtail's own (order 0), so this one replaces it in the bulk action registry.
hooks.register("register_bulk_action", PublishBulkActionUnderReview, order=1)


@hooks.register("before_copy_page")
def refuse_published_copies_under_review(request, page):
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    parent = Page.objects.filter(pk=request.POST.get("new_parent_page") or 0).first()
    page = page.specific_deferred
    if not (is_health_page(page) and parent is not None):
        return None
    if not is_under_medical_review(type(page)(), parent.specific_deferred):
        return None
    messages.error(
        request,
        _(
            "Copies under this section go live only through its medical review workflow: "
            "copy without “Publish copies” and submit the copy for review."
        ),
    )
    return redirect("wagtailadmin_pages:copy", page.pk)


# --- API v3's actions ----------------------------------------------------------------
# Wagtail's v3 API takes each page action from ``wagtail.actions.action_registry`` (its
# admin does not): ours, registered for Page over Wagtail's, refuse what would put a
# health page live around its medical review. The workflow's own publish (``Page.publish``)
# does not go through the registry.

REFUSED_UNDER_REVIEW = gettext_lazy(
    "This page goes live only through its medical review workflow: submit it for review."
)


def _refuse(error_class, page, parent=None) -> None:
    if page is not None and under_review_workflow(page, parent):
        raise error_class(str(REFUSED_UNDER_REVIEW))


class ReviewedPublishPageRevisionAction(PublishPageRevisionAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        _refuse(PublishPagePermissionError, self.object)


class ReviewedCreatePageAction(CreatePageAction):
    def check_publish(self):
        super().check_publish()
        if self.publish:
            _refuse(CreatePermissionError, self.instance, self.parent)


class ReviewedEditPageAction(EditPageAction):
    def check_publish(self):
        super().check_publish()
        if self.publish:
            _refuse(EditPermissionError, self.instance)


class ReviewedCopyPageAction(CopyPageAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        if self.keep_live and self.page.live:
            destination = self.to or self.page.get_parent()
            _refuse(CopyPagePermissionError, type(self.page.specific)(), destination.specific)


class ReviewedCreatePageAliasAction(CreatePageAliasAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        # An alias is live whenever its original is, with the original's content.
        parent = self.parent or self.page.get_parent()
        _refuse(CreatePageAliasPermissionError, type(self.page.specific)(), parent.specific)


class ReviewedCopyPageForTranslationAction(CopyPageForTranslationAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        if self.alias:  # a live alias in the other language; a plain copy is a draft
            _refuse(CopyPageForTranslationPermissionError, self.page.specific)


@hooks.register("register_actions")
def register_reviewed_page_actions(registry):
    for action in (
        ReviewedPublishPageRevisionAction,
        ReviewedCreatePageAction,
        ReviewedEditPageAction,
        ReviewedCopyPageAction,
        ReviewedCreatePageAliasAction,
        ReviewedCopyPageForTranslationAction,
    ):
        registry.register(Page, action)
