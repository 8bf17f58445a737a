"""The admin form for health pages: publish checks that drafts do not have to pass."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from kratom_pages import conf


def publish_problems(page) -> list[str]:
    """What stops ``page`` from being published responsibly; empty when it is fine."""
    problems = []
    if not page.has_disclaimer():
        problems.append(
            _(
                "Add a medical disclaimer: set one on this page, add a disclaimer callout, "
                "or set the site default in Settings → Health content."
            )
        )
    for list_number, child in enumerate(
        (c for c in page.body if c.block_type == "numbered_sections"), start=1
    ):
        for number, item in enumerate(child.value["items"], start=1):
            if not [s for s in item["citations"] if s is not None]:
                problems.append(
                    _(
                        'Numbered section %(number)d ("%(heading)s") in list %(list)d '
                        "has no source. Cite at least one from the sources library."
                    )
                    % {"number": number, "heading": item["heading"], "list": list_number}
                )
    return problems


REVIEW_FIELDS = ("reviewed_by", "last_reviewed")


class HealthPageForm(WagtailAdminPageForm):
    """Runs ``publish_problems`` only when the editor presses Publish. Under a workflow
    with a medical review task the review fields are the task's to set, and publishing
    goes through the workflow."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kratom_pages.evidence.workflow import is_under_medical_review

        self.under_medical_review = is_under_medical_review(self.instance, self.parent_page)
        if self.under_medical_review:
            for name in REVIEW_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Set by the medical review workflow when a reviewer approves."
                    )

    def clean(self):
        cleaned_data = super().clean()
        publishing = "action-publish" in self.data
        if publishing and self.under_medical_review:
            self.add_error(
                None,
                _(
                    "This page goes live only through its medical review workflow: "
                    "submit it for review instead of publishing it."
                ),
            )
            return cleaned_data
        if not publishing or not conf.get("PUBLISH_CHECKS") or self.errors:
            return cleaned_data
        page = self.instance
        for name in ("body", "disclaimer_override"):
            if name in cleaned_data:
                setattr(page, name, cleaned_data[name])
        for problem in publish_problems(page):
            self.add_error(None, problem)
        return cleaned_data
