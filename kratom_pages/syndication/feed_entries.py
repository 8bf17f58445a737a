"""What a feed holds, built once for Atom, RSS 2.0 and the API: the newest visible health
pages of a section (and the sections inside it) or of the whole site, ``FEED_ITEMS`` of
them, newest first, each with its title, summary (the lede), author, medical reviewer,
publish and ``lastmod`` dates and, with ``FEED_CONTENT = "full"``, its sanitised body.

The queries do not depend on how many pages the site has: the newest pages with their
``lastmod`` in one query, then one per page type and one per kind of object they show
(``api.page_prefetch``), as an API listing of the same pages would.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from kratom_pages import conf, prefetch, rich_text
from kratom_pages.absolute_urls import page_url
from kratom_pages.api.page_prefetch import prefetch_pages
from kratom_pages.api.structured_data import publisher_name
from kratom_pages.evidence.review import claimed_review, prefetch_reviews
from kratom_pages.models.pages import KratomIndexPage, health_page_models
from kratom_pages.publishing import visibility
from kratom_pages.syndication import feed_content
from kratom_pages.syndication.lastmod import lastmod_of, with_last_sign_off


@dataclass(frozen=True)
class Reviewer:
    name: str
    credentials: str = ""
    profile_url: str = ""


@dataclass(frozen=True)
class FeedEntry:
    page_id: int
    title: str
    url: str
    summary: str  # HTML: the lede, else the search description
    author: str
    author_url: str
    reviewer: Reviewer | None
    reviewed_on: object  # a date, when the page claims a review
    published: datetime
    updated: datetime
    language: str
    content: str | None = None  # HTML: the sanitised body, with FEED_CONTENT = "full"


@dataclass(frozen=True)
class Feed:
    title: str
    url: str  # the section's (or the site's home) page
    description: str
    language: str
    author: str
    entries: list[FeedEntry] = field(default_factory=list)

    @property
    def updated(self) -> datetime | None:
        return max((entry.updated for entry in self.entries), default=None)


def section_for(request, section_id) -> KratomIndexPage:
    """The visible section front ``section_id`` in the site answering ``request``."""
    try:
        section_id = int(section_id)
    except (TypeError, ValueError):
        raise Http404(_("No section has that id.")) from None
    section = visibility.api_pages(request, KratomIndexPage).filter(pk=section_id).first()
    if section is None:
        raise Http404(_("No published section has that id."))
    return section


def feed_for(request, section: KratomIndexPage | None = None) -> Feed:
    """The feed of ``section`` (its descendants), or of the site answering ``request``."""
    pages = visibility.api_pages(request).type(*health_page_models())
    if section is not None:
        pages = pages.descendant_of(section)
    newest = list(
        with_last_sign_off(pages).order_by("-first_published_at", "-pk")[: conf.get("FEED_ITEMS")]
    )
    specific = Page.objects.filter(pk__in=[page.pk for page in newest]).specific().in_bulk()
    entries = _entries(request, [(specific[page.pk], page) for page in newest])
    if section is not None:
        title, home, description = section.title, section, strip_tags(section.intro)
    else:
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        home = site.root_page if site else None
        title, description = (site.site_name if site else "") or publisher_name(), ""
    title = title or publisher_name()
    return Feed(
        title=title,
        url=(page_url(home, request) if home else "") or "",
        # RSS 2.0 requires a description: the section's intro, else the title.
        description=" ".join(description.split()) or title,
        language=home.locale.language_code if home else "",
        author=publisher_name(),
        entries=entries,
    )


def _entries(request, pairs: list) -> list[FeedEntry]:
    """``pairs``: each page as its specific instance and as annotated with its lastmod."""
    pages = [page for page, _annotated in pairs]
    full = conf.get("FEED_CONTENT") == "full"
    objects = prefetch.PrefetchedObjects()
    if full:
        prefetch_pages(pages, objects)  # what the bodies show, one query per kind
    else:
        prefetch_related_objects(pages, "locale", "reviewed_by")
        prefetch_reviews(pages)
    ledes = rich_text.render_many(page.intro for page in pages)
    contents = feed_content.render_bodies(pages, objects, request) if full else {}
    entries = []
    for page, annotated in pairs:
        url = page_url(page, request)
        if not url:
            continue  # not routable
        reviewed_on, reviewer = claimed_review(page)
        summary = ledes.get(page.intro) or page.search_description
        entries.append(
            FeedEntry(
                page_id=page.pk,
                title=page.seo_title or page.title,
                url=url,
                summary=feed_content.absolute_links(summary, request),
                author=page.author_name,
                author_url=page.author_url,
                reviewer=Reviewer(reviewer.name, reviewer.credentials, reviewer.profile_url)
                if reviewer
                else None,
                reviewed_on=reviewed_on,
                published=page.first_published_at,
                updated=lastmod_of(annotated),
                language=page.locale.language_code,
                content=contents.get(page.pk),
            )
        )
    return entries
