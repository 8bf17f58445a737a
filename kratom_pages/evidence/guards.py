"""Every admin route that publishes respects the medical review workflow.

The edit form refuses Publish for a page under a medical review task
(``HealthPageForm.clean``); these hooks close the other doors Wagtail offers: the Publish
item of the action menu, the bulk Publish action and copying with "Publish copies". Scripts
and management commands that call ``revision.publish()`` are not the admin's to police.
"""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
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


@hooks.register("before_bulk_action")
def refuse_bulk_publish_under_review(request, action_type, objects, action_class_instance):
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    refused = [page for page in objects if under_review_workflow(page)]
    if not refused:
        return None
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
    next_url = action_class_instance.next_url
    # Without a ``next`` Wagtail falls back to the action's own path: keep its ids.
    return redirect(request.get_full_path() if next_url == request.path else next_url)


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
