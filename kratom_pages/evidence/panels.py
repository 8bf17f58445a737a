"""The page editor's review history: every medical review decision on the page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ReviewHistoryPanel(Panel):
    """Read-only list of the page's review records, newest first, with the current state."""

    def __init__(self, limit: int = 20, **kwargs):
        kwargs.setdefault("heading", _("Medical review history"))
        super().__init__(**kwargs)
        self.limit = limit

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "limit": self.limit}

    @property
    def clean_name(self):
        return super().clean_name or "medical_review_history"

    class BoundPanel(Panel.BoundPanel):
        template_name = "kratom_pages/admin/review_history_panel.html"

        def get_context_data(self, parent_context=None):
            from kratom_pages.evidence.records import ReviewRecord
            from kratom_pages.evidence.review import ReviewState, review_states

            context = super().get_context_data(parent_context)
            page = self.instance
            if page is None or page.pk is None:
                context.update(records=[], state=None)
                return context
            context["records"] = list(
                ReviewRecord.objects.filter(page_id=page.pk).select_related("reviewer", "user")[
                    : self.panel.limit
                ]
            )
            live = page.specific_class.objects.filter(pk=page.pk, live=True).first()
            state = review_states([live or page]).get(page.pk)
            context["state"] = ReviewState(state).label if state else None
            return context
