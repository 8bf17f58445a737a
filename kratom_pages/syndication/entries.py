"""The sitemap's entries, built once for the XML sitemap and the API: every visible page of
the site's sections (section fronts and health pages) with its ``lastmod``, the URLs of its
translations and its hero image.

Pages are the API's (``visibility.api_pages``: the one visibility rule, the site answering
the request and its root's translations); URLs follow the one base-URL rule
(``absolute_urls``), so a headless site's sitemap names its frontend's addresses. The
queries are the same in number for ten pages or ten thousand: the pages with their
``lastmod`` in one, their hero images and those images' renditions in one each.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import OuterRef, Subquery
from wagtail.images import get_image_model
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError

from kratom_pages.absolute_urls import absolute_url, page_url
from kratom_pages.images import formats
from kratom_pages.models.pages import ArticlePage, KratomIndexPage, health_page_models
from kratom_pages.publishing import visibility
from kratom_pages.syndication.lastmod import lastmod_of, with_last_sign_off

logger = logging.getLogger(__name__)

# Query parameters the pages depend on (``visibility.api_pages`` reads ``?site=``).
SCOPE_PARAMETERS = ("site",)


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (``xhtml:link rel="alternate" hreflang``)."""

    language: str
    url: str


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None
    language: str
    alternates: tuple[Alternate, ...] = ()
    images: tuple[str, ...] = ()


def sitemap_pages(request):
    """The pages a sitemap lists: the site's visible section fronts and health pages."""
    return visibility.api_pages(request).type(KratomIndexPage, *health_page_models())


def _with_hero_image(pages):
    # The hero is an ArticlePage column: a subquery keeps this one query, with no per-type
    # loading (``specific()`` would ask once per page type).
    heroes = ArticlePage.objects.filter(pk=OuterRef("pk")).values("hero_image_id")[:1]
    return pages.annotate(hero_id=Subquery(heroes))


def sitemap_entries(request) -> list[SitemapEntry]:
    """Every entry of the site's sitemap, in tree order."""
    with visibility.remembering():
        scoped = sitemap_pages(request)
        pages = list(
            _with_hero_image(with_last_sign_off(scoped)).select_related("locale").order_by("path")
        )
        images = hero_image_urls(scoped, request) if any(p.hero_id for p in pages) else {}
    urls, seen = {}, set()
    for page in pages:
        url = page_url(page, request)
        # Not routable (no site serves it), or an address listed already: without
        # i18n_patterns Wagtail gives a page and its translation the same address.
        if url and url not in seen:
            urls[page.pk] = url
            seen.add(url)
    translations: dict = defaultdict(list)
    for page in pages:
        if page.pk in urls:
            translations[page.translation_key].append(page)
    entries = []
    for page in pages:
        if page.pk not in urls:
            continue
        group = translations[page.translation_key]
        alternates = ()
        if len(group) > 1:
            alternates = tuple(
                Alternate(other.locale.language_code, urls[other.pk])
                for other in sorted(group, key=lambda each: each.locale.language_code)
            )
        image = images.get(page.hero_id)
        entries.append(
            SitemapEntry(
                url=urls[page.pk],
                lastmod=_utc(lastmod_of(page)),
                language=page.locale.language_code,
                alternates=alternates,
                images=(image,) if image else (),
            )
        )
    return entries


def hero_image_urls(pages, request) -> dict[int, str]:
    """The social-image rendition URL (``SOCIAL_IMAGE_SPEC``, the one Open Graph and
    JSON-LD name) of the hero of each of ``pages``, by image id: public images only (a
    restricted collection's renditions are never listed)."""
    spec = formats.social_spec()
    if not spec:
        return {}
    heroes = ArticlePage.objects.filter(pk__in=pages.values("pk")).values("hero_image_id")
    images = visibility.public_images(get_image_model().objects.filter(pk__in=heroes))
    found = {}
    for image in images.prefetch_renditions(spec):
        try:
            rendition = image.get_rendition(spec)
        except (SourceImageIOError, OSError, InvalidFilterSpecError) as exc:
            # As the API does: a missing file leaves the image out, never the sitemap.
            logger.warning("Could not make a rendition of image %s: %s", image.pk, exc)
            continue
        found[image.pk] = absolute_url(rendition.url, request)
    return found


def _utc(value: datetime | None) -> datetime | None:
    # Whole seconds: W3C datetimes in the sitemap, HTTP dates in Last-Modified.
    return value.astimezone(UTC).replace(microsecond=0) if value else None
