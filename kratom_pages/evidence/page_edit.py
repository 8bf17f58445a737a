"""The edit view of health pages: a Publish (or a submission to medical review) refused by
the publish checks still keeps the editor's work as a draft (as autosave would have), and
the banner says what happened: saved, not published or not submitted.

Wagtail's own edit view saves nothing when Publish fails validation and says "could not be
saved", beside an autosave indicator that says "Saved". Here, when the submission would pass
as a draft (only publish-time problems: required fields, publish checks), the draft is saved
and the banner says the page could not be *published*."""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page


class HealthPageEditView(EditView):
    def get(self, request, *args, **kwargs):
        # The reviewer's note, where the editor makes the changes it asks for.
        from kratom_pages.evidence.loop import changes_requested_message, latest_request_for_changes

        if record := latest_request_for_changes(self.page.pk):
            messages.warning(request, changes_requested_message(record))
        return super().get(request, *args, **kwargs)

    def publish_action(self):
        response = super().publish_action()
        self.warn_of_repeated_faq()
        return response

    def submit_action(self):
        response = super().submit_action()
        self.warn_of_repeated_faq()
        return response

    def warn_of_repeated_faq(self) -> None:
        """An FAQ copied from the site's FAQ page is shown, but marked up for search engines
        once, on the FAQ page (``api.jsonld_faq``): say so, without refusing."""
        from kratom_pages.api.jsonld_faq import repeated_questions

        repeated = repeated_questions(self.page)
        if repeated:
            messages.warning(
                self.request,
                ngettext(
                    "The FAQ repeats a question the site's FAQ page answers (%(questions)s): "
                    "search engines are shown it there, once.",
                    "The FAQ repeats %(count)d questions the site's FAQ page answers "
                    "(%(questions)s): search engines are shown them there, once.",
                    len(repeated),
                )
                % {"count": len(repeated), "questions": "; ".join(f"“{q}”" for q in repeated)},
            )

    def perform_workflow_action(self):
        from kratom_pages.evidence.workflow import MedicalReviewTask

        # Known before the action moves the workflow on.
        task = self.page.current_workflow_task
        self.medical_decision = isinstance(getattr(task, "specific", None), MedicalReviewTask)
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        from kratom_pages.evidence.loop import decision_message

        if getattr(self, "medical_decision", False):
            live = Page.objects.filter(pk=self.page.pk, live=True).exists()
            if message := decision_message(self.workflow_action, self.page, live):
                messages.success(self.request, message)
                return
        super().add_save_confirmation_message()

    def form_invalid(self, form):
        if not self.may_keep_draft():
            return super().form_invalid(form)
        revision = self.save_draft()
        if revision is None:
            return super().form_invalid(form)
        if self.action_name == "publish":
            banner = _(
                "The page could not be published due to validation errors. "
                "Your changes are saved as a draft."
            )
        else:
            banner = _(
                "The page was not submitted for medical review: fix the problems marked "
                "below, then submit again. Your changes are saved as a draft."
            )
        messages.validation_error(self.request, banner, form)
        self.errors_debug = repr(form.errors)
        self.has_unsaved_changes = False
        return self.render_to_response(self.get_context_data())

    def may_keep_draft(self) -> bool:
        # New comments would be saved by the draft and then posted again from the
        # re-rendered form; leave that case to Wagtail's usual behaviour.
        comments = self.form.formsets.get("comments")
        return (
            self.action_name in ("publish", "submit", "restart_workflow")
            and not self.locked_for_user
            and not self.is_cancelling_workflow
            and not self.expects_json_response
            and not (comments is not None and comments.has_changed())
        )

    def save_draft(self):
        """Save the submission as a draft revision if it validates as one; the revision,
        or ``None`` when even a draft would be refused."""
        data = self.request.POST.copy()
        for action in ("action-publish", "action-submit", "action-restart-workflow"):
            data.pop(action, None)
        draft_form = self.form_class(
            data,
            self.request.FILES,
            instance=self.real_page_record.get_latest_revision_as_object(),
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=self.request.user,
        )
        draft_form.defer_required_fields()
        if not draft_form.is_valid():
            return None
        live = self.page.live
        with transaction.atomic():
            page = draft_form.save(commit=not live)
            revision = page.save_revision(
                user=self.request.user,
                log_action=True,
                previous_revision=self.previous_revision,
                clean=False,
            )
        # The re-rendered form continues from this revision (autosave and conflict checks).
        self.page.latest_revision_id = page.latest_revision_id
        self.page.has_unpublished_changes = True
        self.latest_revision = revision
        self.__dict__.pop("latest_revision_created_at", None)
        return revision


def health_page_viewsets() -> list[PageViewSet]:
    """One viewset per concrete health page type, so only their edit view changes (the
    explorer and every other page type keep Wagtail's)."""
    from kratom_pages.models.pages import HealthContentPage

    viewsets = []
    for model in apps.get_app_config("kratom_pages").get_models():
        if issubclass(model, HealthContentPage):
            viewset_class = type(
                f"{model.__name__}ViewSet",
                (PageViewSet,),
                {"model": model, "parent_models": [], "edit_view_class": HealthPageEditView},
            )
            viewsets.append(viewset_class(name=f"kratom_pages_{model._meta.model_name}"))
    return viewsets
