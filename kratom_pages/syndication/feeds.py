"""Atom 1.0 and RSS 2.0 feeds per section and for the site, on Django's syndication
framework, from the entries ``feed_entries`` builds (the API serves the same ones).

Django's generators write no entry content and no contributor, so ours add them: Atom's
``<content type="html">`` and ``<contributor>`` (the medical reviewer), RSS's
``<content:encoded>`` and ``<dc:contributor>``. Every feed is served through ``serving``:
cached like an API listing and renewed by the one invalidation rule.
"""

from django.contrib.syndication.views import Feed
from django.utils import feedgenerator
from django.utils.http import parse_http_date_safe

from kratom_pages.syndication import entries, feed_entries, serving

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _reviewer_label(reviewer: feed_entries.Reviewer) -> str:
    return f"{reviewer.name}, {reviewer.credentials}" if reviewer.credentials else reviewer.name


class AtomFeedGenerator(feedgenerator.Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("reviewer") is not None:
            handler.startElement("contributor", {})
            handler.addQuickElement("name", _reviewer_label(item["reviewer"]))
            if item["reviewer"].profile_url:
                handler.addQuickElement("uri", item["reviewer"].profile_url)
            handler.endElement("contributor")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class RSSFeedGenerator(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        # Declared on the root once (Django declares dc: on each dc:creator).
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("reviewer") is not None:
            handler.addQuickElement("dc:contributor", _reviewer_label(item["reviewer"]))
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class HealthPagesFeed(Feed):
    """The newest health pages of a section (``section_id``), or of the site."""

    feed_type = AtomFeedGenerator
    language = None

    def get_object(self, request, section_id=None):
        section = feed_entries.section_for(request, section_id) if section_id else None
        feed = feed_entries.feed_for(request, section)
        # The feed's own language (a French section's is "fr"); an instance per request.
        self.language = feed.language or None
        return feed

    def title(self, feed):
        return feed.title

    def link(self, feed):
        return feed.url

    def description(self, feed):
        return feed.description

    def subtitle(self, feed):
        return feed.description or None

    def author_name(self, feed):
        # Atom needs an author for entries that name none (RFC 4287, 4.1.1).
        return feed.author or None

    def items(self, feed):
        return feed.entries

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.url

    def item_description(self, entry):
        return entry.summary

    def item_author_name(self, entry):
        return entry.author or None

    def item_author_link(self, entry):
        return entry.author_url or None

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_guid(self, entry):
        return entry.url

    def item_extra_kwargs(self, entry):
        return {"reviewer": entry.reviewer, "content": entry.content}


class HealthPagesRSSFeed(HealthPagesFeed):
    feed_type = RSSFeedGenerator


def _served(feed_class):
    def view(request, section_id=None):
        def render():
            response = feed_class()(request, section_id=section_id)
            updated = response.get("Last-Modified")
            return response.content, parse_http_date_safe(updated) if updated else None

        content_type = feed_class.feed_type.content_type
        return serving.cached_response(
            request, content_type, render, recognised=entries.SCOPE_PARAMETERS
        )

    return view


atom_feed = _served(HealthPagesFeed)
rss_feed = _served(HealthPagesRSSFeed)
