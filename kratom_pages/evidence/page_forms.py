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


class HealthPageForm(WagtailAdminPageForm):
    """Runs ``publish_problems`` only when the editor presses Publish."""

    def clean(self):
        cleaned_data = super().clean()
        publishing = "action-publish" in self.data
        if not publishing or not conf.get("PUBLISH_CHECKS") or self.errors:
            return cleaned_data
        page = self.instance
        for name in ("body", "disclaimer_override"):
            if name in cleaned_data:
                setattr(page, name, cleaned_data[name])
        for problem in publish_problems(page):
            self.add_error(None, problem)
        return cleaned_data
