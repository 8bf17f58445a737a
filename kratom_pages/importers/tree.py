"""Where each imported page goes: posts under the import's parent, and WordPress's page
tree rebuilt beneath it.

Health pages hold no child pages here; section fronts do. So a WordPress page with child
pages becomes a section front (same title and address, its lede as the introduction)
holding its own content as a page, and its children. Exports list children before their
parents as often as not, so a child whose parent is not imported yet waits for it (only
such pages are held in memory; posts stream through).
"""

from django.utils.translation import gettext as _

from kratom_pages.importers.models import ImportedItem
from kratom_pages.importers.wxr import ExportSummary, Item

WAIT = object()


class PageTree:
    def __init__(self, summary: ExportSummary, options, importable: set[int]):
        self.summary = summary
        self.options = options
        self.importable = importable  # WordPress page ids this run imports
        # WordPress pages that have child pages among those imported.
        self.parents = {
            parent for child, parent in summary.page_parents.items() if child in importable
        }
        self.waiting: dict[int, list[Item]] = {}
        self.done: set[int] = set()  # WordPress ids imported in this run
        self.sections: dict[int, object] = {}  # WordPress id -> its section front

    def holds_children(self, item: Item) -> bool:
        return item.post_type == "page" and item.post_id in self.parents

    def parent_for(self, item: Item, entry) -> object:
        """The page to create ``item`` under, or ``WAIT`` until its parent is imported."""
        parent_id = item.parent_id if item.post_type == "page" else 0
        if not parent_id or parent_id not in self.importable:
            if parent_id:
                entry.note(
                    "warning",
                    _("Its parent page (WordPress %(id)d) is not imported: placed at the top.")
                    % {"id": parent_id},
                )
            return self.options.parent
        if parent_id in self.sections:
            return self.sections[parent_id]
        if self.options.dry_run:
            entry.note(
                "state",
                _("Goes inside the section made for WordPress page %(id)d.") % {"id": parent_id},
            )
            return self.options.parent
        if parent_id not in self.done:
            record = ImportedItem.objects.filter(
                source_site=self.summary.site_url, wp_id=parent_id, section__isnull=False
            ).first()
            if record is not None:  # imported by an earlier run
                self.sections[parent_id] = record.section.specific
                return self.sections[parent_id]
            return WAIT
        entry.note(
            "warning",
            _("Its parent page (WordPress %(id)d) was not imported: placed at the top.")
            % {"id": parent_id},
        )
        return self.options.parent

    def wait(self, item: Item) -> None:
        self.waiting.setdefault(item.parent_id, []).append(item)

    def imported(self, item: Item, section) -> list[Item]:
        """Record ``item`` as done (``section``: its section front, if it got one) and
        return the children that were waiting for it."""
        self.done.add(item.post_id)
        if section is not None:
            self.sections[item.post_id] = section
        return self.waiting.pop(item.post_id, [])

    def orphans(self) -> list[Item]:
        """Pages still waiting at the end: their parent was never imported."""
        left = [item for items in self.waiting.values() for item in items]
        self.waiting.clear()
        return left
