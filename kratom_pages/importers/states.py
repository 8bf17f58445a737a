"""What WordPress said about who may read an item and when, kept on the page, and how an
imported page goes live.

- A password-protected item gets a Wagtail password view restriction with the same
  password, before it could ever be published: readers who had the password keep access,
  nobody else reads it, and the editor sees it under Privacy. Skipping such posts would
  lose them; a new password would lock out readers who had the old one.
- A private item gets a login view restriction and stays a draft.
- A scheduled item keeps its date as ``go_live_at``; closed comments close replies; a
  sticky post is reported (pages have no pinning here).
- "Publish" never goes around the medical review workflow: a page under it is submitted
  to the workflow instead, and the report says so per page.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from kratom_pages.evidence.page_forms import publish_problems
from kratom_pages.evidence.workflow import is_under_medical_review
from kratom_pages.importers.report import ItemReport
from kratom_pages.importers.wxr import Item

PUBLISHED_STATES = {"publish", "future"}


def go_live_at(item: Item) -> datetime | None:
    """A scheduled item's publication time (UTC), if still in the future."""
    if item.status != "future":
        return None
    try:
        when = datetime.strptime(item.post_date_gmt.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    when = when.replace(tzinfo=UTC)
    return when if when > timezone.now() else None


def page_fields(item: Item) -> dict:
    """Page fields that come from the item's state rather than its content."""
    fields: dict = {"allow_replies": item.comment_status != "closed"}
    if when := go_live_at(item):
        fields["go_live_at"] = when
    return fields


def describe(item: Item, entry: ItemReport) -> None:
    """Notes on the state the page keeps, so nothing is kept silently."""
    if item.password:
        entry.note("state", _("Password-protected in WordPress: readers need the same password."))
    if item.status == "private":
        entry.note("state", _("Private in WordPress: only signed-in users may read it."))
    if when := go_live_at(item):
        entry.note(
            "state",
            _("Scheduled in WordPress: goes live on %(when)s (UTC) once published.")
            % {"when": when.strftime("%Y-%m-%d %H:%M")},
        )
    if item.comment_status == "closed":
        entry.note("state", _("Comments were closed: replies are closed too."))
    if item.sticky:
        entry.note(
            "state",
            _("It was a sticky post: pages here have no pinning, so feature it by hand."),
        )


def restrict(page, item: Item) -> None:
    """The view restriction the item's WordPress state asks for (kept up to date)."""
    if item.password:
        kind, password = PageViewRestriction.PASSWORD, item.password
    elif item.status == "private":
        kind, password = PageViewRestriction.LOGIN, ""
    else:
        return
    restriction = PageViewRestriction.objects.filter(page=page, restriction_type=kind).first()
    if restriction is None:
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password=password)
    elif restriction.password != password:
        restriction.password = password
        restriction.save(update_fields=["password"])


def publish(item: Item, latest, page, options, entry: ItemReport, parent=None) -> None:
    """Publish what WordPress had published (or scheduled) and the publish checks pass;
    submit it to the medical review workflow instead where one applies; otherwise the
    page stays a draft and the report says why. ``page`` is None in a dry run."""
    if not options.publish:
        return
    reasons = []
    if item.status not in PUBLISHED_STATES:
        reasons.append(
            _("it was %(status)s in WordPress")
            % {"status": _("private") if item.status == "private" else item.status}
        )
    reasons += [str(problem) for problem in publish_problems(latest)]
    placeholders = [n for n in entry.notes if n["kind"] == "missing_image" and n["block"]]
    if placeholders:
        reasons.append(
            _("%(n)d block(s) wait for missing images: choose them or delete the blocks")
            % {"n": len(placeholders)}
        )
    if not (latest.intro or latest.body):
        reasons.append(_("it has no content"))
    for reason in reasons:
        entry.left_as_draft(reason)
    if reasons:
        return
    subject = page if page is not None else latest
    if is_under_medical_review(subject, parent):
        _submit(subject, page, options, entry, parent)
        return
    entry.published = True
    if page is not None and (not page.live or page.has_unpublished_changes):
        page.refresh_from_db()
        revision = page.get_latest_revision()
        if revision.approved_go_live_at is None:  # not already scheduled by a former run
            revision.publish(user=options.user)


def _submit(subject, page, options, entry: ItemReport, parent) -> None:
    workflow = subject.get_workflow() if page is not None else parent.get_workflow()
    if page is not None and page.workflow_in_progress:
        entry.note("state", _("Already in medical review: its new revision waits there."))
        return
    entry.submitted = workflow.name
    if page is not None:  # a dry run only says it would be submitted
        workflow.start(page, options.user)
