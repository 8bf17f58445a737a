"""Which pages a change reaches, found in bulk: the tree around a page, and every page
whose content refers to an object through Wagtail's reference index."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex


def referencing_page_ids(model, object_ids) -> set[int]:
    """Pages whose content refers to any of ``object_ids`` of ``model``, in one query."""
    object_ids = [str(pk) for pk in object_ids]
    if not object_ids:
        return set()
    rows = ReferenceIndex.objects.filter(
        to_content_type_id=ReferenceIndex._get_base_content_type(model).pk,
        to_object_id__in=object_ids,
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in rows if str(pk).isdigit()}


def affected_by_pages(page_ids, *, subtree_roots=(), children_of=(), parents_of=()) -> set[int]:
    """``page_ids``, every descendant of ``subtree_roots`` (inclusive), the children of
    ``children_of``, the parents of ``parents_of`` (a section front lists its children),
    and every page referencing any of those."""
    affected = {int(pk) for pk in page_ids}
    parent_paths = [page.path[: -page.steplen] for page in parents_of if page.depth > 1]
    if parent_paths:
        affected |= set(Page.objects.filter(path__in=parent_paths).values_list("pk", flat=True))
    for root in subtree_roots:
        affected |= set(
            Page.objects.descendant_of(root, inclusive=True).values_list("pk", flat=True)
        )
    for parent in children_of:
        affected |= set(Page.objects.child_of(parent).values_list("pk", flat=True))
    return affected | referencing_page_ids(Page, affected)
