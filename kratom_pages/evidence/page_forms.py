"""The admin form for health pages: publish checks that drafts do not have to pass.

A problem is reported where the editor fixes it, like Wagtail's own required fields: an
unsourced claim on that claim's sources (so Wagtail marks it and offers "Go to the first
error"), a missing disclaimer on the disclaimer field, both in the same round as any
required-field errors."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import (
    ListBlockValidationError,
    StreamBlockValidationError,
    StructBlockValidationError,
)

from kratom_pages import conf

DISCLAIMER_MISSING = gettext_noop(
    "Add a medical disclaimer: set one on this page, add a disclaimer callout, "
    "or set the site default in Settings → Health content."
)


def unsourced_claims(body) -> Iterator[tuple[int, int, str]]:
    """``(block index in body, item index in its list, message)`` for each numbered section
    that cites no source."""
    lists = (
        (index, child)
        for index, child in enumerate(body)
        if child.block_type == "numbered_sections"
    )
    for list_number, (block_index, child) in enumerate(lists, start=1):
        for item_index, item in enumerate(child.value["items"]):
            if not [s for s in item["citations"] if s is not None]:
                message = _(
                    'Numbered section %(number)d ("%(heading)s") in list %(list)d '
                    "has no source. Cite at least one from the sources library."
                ) % {"number": item_index + 1, "heading": item["heading"], "list": list_number}
                yield block_index, item_index, message


def problems_for_reviewer(page) -> list[tuple[str, str | None]]:
    """The publish checks' findings, said to a reviewer (who may not be the one to fix
    them): ``(message, id of the body block at fault or None)``."""
    found = []
    if not page.has_disclaimer():
        found.append((_("The page shows no medical disclaimer."), None))
    lists = [child for child in page.body if child.block_type == "numbered_sections"]
    for block_index, item_index, _message in unsourced_claims(page.body):
        child = page.body[block_index]
        found.append(
            (
                _("Numbered section %(number)d (“%(heading)s”) cites no source.")
                % {
                    "number": item_index + 1,
                    "heading": child.value["items"][item_index]["heading"],
                }
                + (f" ({lists.index(child) + 1})" if len(lists) > 1 else ""),
                child.id,
            )
        )
    return found


def publish_problems(page) -> list[str]:
    """What stops ``page`` from being published responsibly; empty when it is fine."""
    problems = [] if page.has_disclaimer() else [_(DISCLAIMER_MISSING)]
    return problems + [message for _block, _item, message in unsourced_claims(page.body)]


def claim_errors(body) -> StreamBlockValidationError | None:
    """The unsourced claims of ``body`` as block errors on each claim's sources field."""
    by_block: dict[int, dict[int, ValidationError]] = {}
    for block_index, item_index, _message in unsourced_claims(body):
        error = ListBlockValidationError(
            non_block_errors=[ValidationError(_("Cite at least one source for this claim."))]
        )
        by_block.setdefault(block_index, {})[item_index] = StructBlockValidationError(
            block_errors={"citations": error}
        )
    if not by_block:
        return None
    return StreamBlockValidationError(
        block_errors={
            index: StructBlockValidationError(
                block_errors={"items": ListBlockValidationError(block_errors=items)}
            )
            for index, items in by_block.items()
        }
    )


def merge_block_errors(existing: ValidationError | None, new: ValidationError) -> ValidationError:
    """``new`` added into ``existing`` (errors the blocks raised themselves), so each block
    carries both; where both name the same leaf, the block's own error wins."""
    if existing is None:
        return new
    if type(existing) is not type(new) or not hasattr(existing, "block_errors"):
        return existing
    for key, error in new.block_errors.items():
        existing.block_errors[key] = merge_block_errors(existing.block_errors.get(key), error)
    existing.non_block_errors.extend(new.non_block_errors.as_data())
    return existing


REVIEW_FIELDS = ("reviewed_by", "last_reviewed")


class HealthPageForm(WagtailAdminPageForm):
    """Runs the publish checks when the editor presses Publish, or submits the page to a
    medical review (whose sign-off runs them again). Under a workflow with a medical
    review task the review fields are the task's to set, and publishing goes through the
    workflow."""

    class Media:
        # Draws a claim's unsourced error like a field error (the script says why). Form
        # media comes after the widgets', so after Wagtail's blocks.js which it extends.
        js = ["kratom_pages/js/list-field-errors.js", "kratom_pages/js/cite-in-one-click.js"]

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
        # Submitting to the medical review runs the checks its sign-off will run, so a
        # reviewer never receives a page they could not approve.
        submitting = self.under_medical_review and (
            "action-submit" in self.data or "action-restart-workflow" in self.data
        )
        if submitting and conf.get("PUBLISH_CHECKS"):
            self.add_publish_check_errors(cleaned_data)
            return cleaned_data
        if publishing and self.under_medical_review:
            self.add_error(
                None,
                _(
                    "This page goes live only through its medical review workflow: "
                    "submit it for review instead of publishing it."
                ),
            )
            return cleaned_data
        if publishing and conf.get("PUBLISH_CHECKS"):
            self.add_publish_check_errors(cleaned_data)
        return cleaned_data

    def submitted_body(self):
        """The body as submitted, even when it did not validate (a claim can lack a source
        and a required field at once; both are reported together)."""
        field = self.fields["body"]
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix("body"))

    def add_publish_check_errors(self, cleaned_data) -> None:
        page = self.instance
        if "body" in self.fields:
            page.body = cleaned_data["body"] if "body" in cleaned_data else self.submitted_body()
            if errors := claim_errors(page.body):
                self.add_body_errors(errors)
        if "disclaimer_override" in self.errors:
            return  # the field's own error comes first
        if "disclaimer_override" in cleaned_data:
            page.disclaimer_override = cleaned_data["disclaimer_override"]
        if not page.has_disclaimer():
            field = "disclaimer_override" if "disclaimer_override" in self.fields else None
            self.add_error(field, _(DISCLAIMER_MISSING))

    def add_body_errors(self, errors: StreamBlockValidationError) -> None:
        """Wagtail's StreamField shows one error tree per field: merge into the one the
        blocks raised, if any."""
        if "body" not in self.errors:
            self.add_error("body", errors)
            return
        existing = self._errors["body"].data[0]
        self._errors["body"] = self.error_class(
            [merge_block_errors(existing, errors)], renderer=self.renderer
        )
