"""The import report in words an editor reads: block and page type labels instead of
model names, WordPress states and reply states as the admin names them, translated."""

from functools import cache

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kratom_pages.blocks import ArticleBodyBlock


@cache
def _block_labels() -> dict:
    # Every body's blocks are among the article's; labels are lazy, so translated on use.
    return {name: block.label for name, block in ArticleBodyBlock().child_blocks.items()}


def counted(counts: dict) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "-"


def blocks(counts: dict[str, int]) -> str:
    """``{"numbered_sections": 1}`` -> "Numbered section list 1"."""
    labels = _block_labels()
    return counted({str(labels.get(name, name)): n for name, n in counts.items()})


def page_type(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def post_type(name: str) -> str:
    known = {"post": pgettext("WordPress", "post"), "page": pgettext("WordPress", "page")}
    return known.get(name, name)


def wp_status(status: str) -> str:
    known = {
        "publish": pgettext("WordPress", "published"),
        "draft": pgettext("WordPress", "draft"),
        "future": pgettext("WordPress", "scheduled"),
        "private": pgettext("WordPress", "private"),
        "pending": pgettext("WordPress", "pending review"),
    }
    return known.get(status, status)


def action(name: str, dry_run: bool = False) -> str:
    if dry_run:
        planned = {"created": _("would create"), "updated": _("would update")}
        if name in planned:
            return planned[name]
    known = {
        "created": _("created"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "skipped": _("skipped"),
        "failed": _("failed"),
    }
    return known.get(name, name)


def replies(counts: dict[str, int]) -> str:
    from kratom_pages.replies.models import ReaderReply

    labels = dict(ReaderReply.Status.choices)
    labels["skipped"] = _("not imported (trash, pingbacks and trackbacks)")
    return counted({str(labels.get(state, state)).lower(): n for state, n in counts.items()})


def not_imported(name: str) -> str:
    known = {
        "attachment": _("attachments (their images are imported with the posts)"),
        "nav_menu_item": _("menu items"),
        "trash": _("in the trash"),
        "auto-draft": _("automatic drafts"),
        "inherit": _("revisions"),
        "post": pgettext("WordPress", "post"),
        "page": pgettext("WordPress", "page"),
    }
    return str(known.get(name, name))


def note_kind(kind: str) -> str:
    known = {
        "fallback": _("fallback"),
        "check": _("check"),
        "warning": _("warning"),
        "missing_image": _("missing image"),
        "draft": _("left as draft"),
        "state": _("note"),
    }
    return str(known.get(kind, kind))
