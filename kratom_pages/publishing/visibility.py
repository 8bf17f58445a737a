"""The one rule for what readers may see, used by every output of the app.

A page is visible when it is live, not past its ``expire_at``, and neither it nor an
ancestor has a view restriction (password, login or groups). The API additionally scopes
pages to the site answering the request. The rule is the same for everyone who asks:
a signed-in editor gets exactly what an anonymous reader gets, so no response depends on
the requester and every response may be cached and shared.

Images in a collection with a view restriction are treated like private pages: they are
left out of public output (the block or field reads ``null``), because their renditions
would otherwise be served from public URLs.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

# Restrictions read once per serialization (``remembering``) rather than once per query.
_memo: ContextVar[dict | None] = ContextVar("kratom_visibility_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Within the block, view restrictions are read from the database at most once."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remembered(name: str, load):
    memo = _memo.get()
    if memo is None:
        return load()
    if name not in memo:
        memo[name] = load()
    return memo[name]


def _restricted_page_paths() -> list[str]:
    return _remembered(
        "page_paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def restricted_q() -> Q:
    """Pages under a view restriction (on themselves or an ancestor)."""
    query = Q()
    for path in _restricted_page_paths():
        query |= Q(path__startswith=path)
    return query


def visible_pages(queryset=None):
    """``queryset`` (default: every page) narrowed to pages anonymous readers may see."""
    queryset = Page.objects.all() if queryset is None else queryset
    queryset = queryset.live()
    restricted = restricted_q()
    if restricted:
        queryset = queryset.exclude(restricted)
    # By id rather than by `expire_at`, which search backends cannot filter on.
    expired = _expired_live_ids()
    return queryset.exclude(pk__in=expired) if expired else queryset


def _expired_live_ids() -> list[int]:
    return _remembered(
        "expired",
        lambda: list(
            Page.objects.live().filter(expire_at__lte=timezone.now()).values_list("pk", flat=True)
        ),
    )


def visible_page_ids(ids: Iterable[int]) -> set[int]:
    """The subset of ``ids`` that are visible, in one query (none when ``remembering``
    already knows every one of them)."""
    ids = {int(pk) for pk in ids if pk is not None}
    if not ids:
        return set()
    known = _known_pages()
    if known is not None and ids.issubset(known):
        return {pk for pk in ids if known[pk]}
    visible = set(visible_pages().filter(pk__in=ids).values_list("pk", flat=True))
    remember_visible(ids, visible)
    return visible


def _known_pages() -> dict[int, bool] | None:
    memo = _memo.get()
    return None if memo is None else memo.setdefault("pages", {})


def remember_visible(ids: Iterable[int], visible: Iterable[int]) -> None:
    """Within ``remembering``: which of ``ids`` are visible, as the caller just read them
    with ``visible_pages``, so that ``visible_page_ids`` need not ask again."""
    known = _known_pages()
    if known is not None:
        visible = set(visible)
        known.update((pk, pk in visible) for pk in ids)


def is_visible(page) -> bool:
    if page is None or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return bool(visible_page_ids([page.pk]))


def api_pages(request, model=Page):
    """Pages the API serves: visible ones in the site answering ``request`` (or the
    ``?site=`` it names), including its root's translations, as Wagtail core scopes them.
    Raises ``ValueError`` when ``?site=`` matches several sites."""
    from django.conf import settings
    from wagtail.api.validators import SiteFilterValidator

    queryset = visible_pages(model._default_manager.all())
    site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    if site is None:  # no Site records
        return queryset.none()
    scoped = queryset.descendant_of(site.root_page, inclusive=True)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for translation in site.root_page.get_translations():
            scoped |= queryset.descendant_of(translation, inclusive=True)
    return scoped


def restricted_collection_ids() -> set[int]:
    """Collections under a view restriction, with every collection nested in them."""
    return _remembered("collections", _load_restricted_collection_ids)


def _load_restricted_collection_ids() -> set[int]:
    restricted = list(
        Collection.objects.filter(pk__in=CollectionViewRestriction.objects.values("collection_id"))
    )
    if not restricted:
        return set()
    query = Q()
    for collection in restricted:
        query |= Q(path__startswith=collection.path)
    return set(Collection.objects.filter(query).values_list("pk", flat=True))


def public_images(queryset=None):
    """Images outside restricted collections."""
    queryset = get_image_model().objects.all() if queryset is None else queryset
    restricted = restricted_collection_ids()
    return queryset.exclude(collection_id__in=restricted) if restricted else queryset


def is_public_image(image) -> bool:
    return image is not None and image.collection_id not in restricted_collection_ids()
