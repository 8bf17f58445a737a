"""Old WordPress addresses: a permanent redirect to the imported page, made only while the
page serves. A redirect to a draft would lead readers to a 404, so the address is kept
with the import record and redirected when the page is first published."""

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published

from kratom_pages.importers.report import ItemReport
from kratom_pages.importers.wxr import Item

_SLASHES = re.compile(r"/{2,}")


def old_path(item: Item) -> str:
    """The item's permalink path, normalised as Wagtail's redirects store it (Unicode
    decoded, doubled slashes folded: "//greek/" would otherwise read as a host name);
    "" for "/?p=12" links (never published, so no reader has the address, and "/" itself
    is a live page the redirect could never replace)."""
    path = _SLASHES.sub("/", urlsplit(item.link).path or "/")
    return "" if path == "/" else Redirect.normalise_path(path)


def redirect_now(path: str, page) -> str:
    """Redirect ``path`` to ``page`` on its site; returns why not, or ""."""
    site = page.get_site()
    if site is None:
        return _("the page is not on a site")
    if path == Redirect.normalise_path(page.get_url_parts()[2]):
        return _("not needed: same address")
    Redirect.objects.update_or_create(
        old_path=path,
        site=site,
        defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
    )
    return ""


def keep(record, item: Item, target, entry: ItemReport) -> None:
    """Remember the old address on ``record`` and redirect it now if ``target`` is live."""
    path = old_path(item)
    record.permalink = path[:255]
    if not path:
        return
    # Publishing loads the page afresh: ask the database, not this instance.
    if not type(target).objects.filter(pk=target.pk, live=True).exists():
        entry.redirect = path
        entry.note(
            "state",
            _("%(path)s will redirect here once the page is published.") % {"path": path},
        )
        return
    why_not = redirect_now(path, target)
    entry.redirect = why_not or path


def _on_published(sender, instance, **kwargs) -> None:
    from django.db.models import Q

    if not instance.live:
        return  # Wagtail sends this for a scheduled publication too, before it goes live

    from kratom_pages.importers.models import ImportedItem

    records = ImportedItem.objects.filter(
        Q(page_id=instance.pk) | Q(section_id=instance.pk)
    ).exclude(permalink="")
    for record in records:
        target_id = record.section_id or record.page_id
        if target_id == instance.pk:
            redirect_now(record.permalink, instance)


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="kratom_pages_import_permalinks")
