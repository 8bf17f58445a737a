"""Bulk loading for API serialization: one query per kind of object, however many blocks.

Serializing a StreamField naively costs a query per image rendition, per linked page and
per rich text block with links. Before serializing, we walk the *raw* JSON of every stream
about to be served, collect the ids it references, and load them in bulk into a
``PrefetchedObjects`` that is made active for the duration (a context variable, so it is
per request and per thread). Chooser blocks and representation helpers consult it first.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from kratom_pages import rich_text
from kratom_pages.publishing import visibility


@dataclass
class References:
    """Ids and sources a set of streams refers to. ``source_ids`` keeps document order
    (first citation first), which is what citation numbers follow."""

    image_ids: set[int] = field(default_factory=set)
    page_ids: set[int] = field(default_factory=set)
    rich_text: set[str] = field(default_factory=set)
    source_ids: list[int] = field(default_factory=list)

    def update(self, other: "References") -> None:
        self.image_ids |= other.image_ids
        self.page_ids |= other.page_ids
        self.rich_text |= other.rich_text
        self.source_ids += [s for s in other.source_ids if s not in self.source_ids]

    def numbering(self) -> dict[int, int]:
        """Citation number of each source: the order sources are first cited in."""
        return {source_id: number for number, source_id in enumerate(self.source_ids, 1)}


@dataclass
class PrefetchedObjects:
    """Objects loaded in bulk; ids that were looked up but not found map to ``None``."""

    images: dict[int, Any] = field(default_factory=dict)
    pages: dict[int, Any] = field(default_factory=dict)
    rich_text: dict[str, str] = field(default_factory=dict)
    sources: dict[int, Any] = field(default_factory=dict)
    # Reference walks of the streams being served, by id(stream value).
    references: dict[int, tuple[Any, References]] = field(default_factory=dict)

    def update(self, other: "PrefetchedObjects") -> None:
        self.images.update(other.images)
        self.pages.update(other.pages)
        self.rich_text.update(other.rich_text)
        self.sources.update(other.sources)


_active: ContextVar[PrefetchedObjects | None] = ContextVar("kratom_prefetch", default=None)
# Citation numbers of the stream being serialized (numbering is per page).
_numbers: ContextVar[dict[int, int] | None] = ContextVar("kratom_citation_numbers", default=None)


def citation_numbers() -> dict[int, int]:
    return _numbers.get() or {}


def active() -> PrefetchedObjects | None:
    """The bulk-loaded objects for the serialization under way, if any."""
    return _active.get()


@contextmanager
def activate(objects: PrefetchedObjects) -> Iterator[PrefetchedObjects]:
    token = _active.set(objects)
    try:
        with visibility.remembering():
            yield objects
    finally:
        _active.reset(token)


def _child_raw_values(block: blocks.Block, raw: Any) -> Iterator[tuple[blocks.Block, Any]]:
    if isinstance(block, blocks.StreamBlock):
        for item in raw or []:
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                yield block.child_blocks[item["type"]], item.get("value")
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                if name in raw:
                    yield child, raw[name]
    elif isinstance(block, blocks.ListBlock):
        for item in raw or []:
            is_block_format = isinstance(item, dict) and "value" in item and "type" in item
            yield block.child_block, item["value"] if is_block_format else item


def stream_references(stream_value) -> References:
    """``collect_references`` for a StreamValue, remembered for the serialization under way:
    the body, the reference list and the JSON-LD of one page all ask."""
    objects = active()
    if objects is None:
        return collect_references(stream_value.stream_block, stream_value.raw_data)
    key = id(stream_value)
    if key not in objects.references:
        # The value itself is kept, so that its id cannot be reused while remembered.
        found = collect_references(stream_value.stream_block, stream_value.raw_data)
        objects.references[key] = (stream_value, found)
    return objects.references[key][1]


def collect_references(block: blocks.Block, raw: Any) -> References:
    """Walk raw stream JSON, in document order, and collect what it refers to."""
    refs = References()
    stack = [(block, raw)]
    while stack:
        current, value = stack.pop()
        if isinstance(current, ImageChooserBlock):
            if isinstance(value, int):
                refs.image_ids.add(value)
        elif isinstance(current, blocks.PageChooserBlock):
            if isinstance(value, int):
                refs.page_ids.add(value)
        elif getattr(current, "is_source_chooser", False):
            if isinstance(value, int) and value not in refs.source_ids:
                refs.source_ids.append(value)
        elif isinstance(current, blocks.RichTextBlock):
            if isinstance(value, str) and value:
                refs.rich_text.add(value)
        else:
            # Reversed, so that popping visits children in document order.
            stack.extend(reversed(list(_child_raw_values(current, value))))
    return refs


def load_images(ids: Iterable[int]) -> dict[int, Any]:
    """Public images by id with their placeholders and every rendition they are served in
    (two queries, however many images); images in restricted collections (and missing
    ones) map to None."""
    from kratom_pages.images import pictures

    ids = set(ids)
    if not ids:
        return {}
    queryset = get_image_model().objects.filter(pk__in=ids).select_related("kratom_placeholder")
    found = {image.pk: image for image in visibility.public_images(queryset)}
    pictures.prefetch(found.values())
    return {image_id: found.get(image_id) for image_id in ids}


def load_pages(ids: Iterable[int]) -> dict[int, Any]:
    """Visible pages by id; anything else (draft, expired, private, deleted) maps to None."""
    ids = set(ids)
    if not ids:
        return {}
    found = visibility.visible_pages().filter(pk__in=ids).in_bulk()
    visibility.remember_visible(ids, found)
    return {page_id: found.get(page_id) for page_id in ids}


def expand_rich_text(sources: Iterable[str]) -> dict[str, str]:
    """Reader HTML for many rich text sources (see ``kratom_pages.rich_text``)."""
    return rich_text.render_many(sources)


def load_sources(ids: Iterable[int]) -> dict[int, Any]:
    from django.apps import apps

    ids = set(ids)
    if not ids:
        return {}
    found = apps.get_model("kratom_pages", "Source").objects.in_bulk(ids)
    return {source_id: found.get(source_id) for source_id in ids}


def load(references: References) -> PrefetchedObjects:
    """Everything ``references`` names. The pages rich text links to are loaded with the
    pages blocks choose, so the rich text's own visibility check of its links asks no
    query (``visibility.remembering``); restrictions are read once for all of it."""
    with visibility.remembering():
        # The same reading of links as rich_text's visibility check, which it answers.
        linked = set().union(*map(rich_text.page_link_ids, references.rich_text))
        return PrefetchedObjects(
            images=load_images(references.image_ids),
            pages=load_pages(references.page_ids | linked),
            rich_text=expand_rich_text(references.rich_text),
            sources=load_sources(references.source_ids),
        )


def sources_cited_in(stream_value) -> list[tuple[int, Any]]:
    """``[(number, source)]`` in citation order; sources deleted since are skipped."""
    refs = stream_references(stream_value)
    objects = active()
    if objects is not None and all(s in objects.sources for s in refs.source_ids):
        sources = objects.sources
    else:
        sources = load_sources(refs.source_ids)
    numbers = refs.numbering()
    return [(numbers[s], sources[s]) for s in refs.source_ids if sources.get(s) is not None]


@contextmanager
def for_stream(stream_value) -> Iterator[PrefetchedObjects]:
    """Activate bulk-loaded objects for one stream, unless a wider set is already active,
    and number its citations."""
    refs = stream_references(stream_value)
    numbers_token = _numbers.set(refs.numbering())
    try:
        current = active()
        if current is not None:
            yield current
        else:
            with activate(load(refs)) as objects:
                yield objects
    finally:
        _numbers.reset(numbers_token)
