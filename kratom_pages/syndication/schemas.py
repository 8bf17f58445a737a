"""The API shapes of the sitemap and the feeds, each defined once: v2 sends ``represent``
of them, v3 documents them in its OpenAPI document (and the frontend's types come from
it). Kept beside the feature rather than in ``api/schemas.py``; like that module, this one
imports nothing of the app but the shapes."""

from datetime import date

from pydantic import Field

from kratom_pages.api.schemas import ReviewerSchema
from kratom_pages.api.shapes import Timestamp, _Schema


class SitemapAlternateSchema(_Schema):
    language: str = Field(description="The translation's language (an hreflang value).")
    url: str


class SitemapItemSchema(_Schema):
    url: str = Field(description="The page's address, on its site (a headless site's frontend).")
    lastmod: Timestamp | None = Field(
        description="The later of the page's last publish and its last medical sign-off."
    )
    language: str
    alternates: list[SitemapAlternateSchema] = Field(
        description="The page in every language it is published in, itself included; "
        "empty when it has no translation."
    )
    images: list[str] = Field(description="Absolute URLs of the page's hero image.")


class SitemapMetaSchema(_Schema):
    total_count: int
    page: int = Field(description="This file's number, from 1 (?page=).")
    pages: int = Field(description="How many files the sitemap needs (an index when over 1).")
    page_size: int


class SitemapSchema(_Schema):
    meta: SitemapMetaSchema
    items: list[SitemapItemSchema]


class FeedItemSchema(_Schema):
    id: int
    title: str
    url: str
    summary: str = Field(description="The lede as sanitised HTML (else the search description).")
    content: str | None = Field(
        description='The sanitised body as HTML with FEED_CONTENT = "full", else null.'
    )
    author: str
    author_url: str
    reviewer: ReviewerSchema | None = Field(
        description="The medical reviewer the page names to readers, if any."
    )
    reviewed_at: date | None
    published: Timestamp
    updated: Timestamp = Field(description="The entry's lastmod, as in the sitemap.")
    language: str


class FeedMetaSchema(_Schema):
    title: str
    url: str = Field(description="The section's (or the site's home) page.")
    description: str
    language: str
    author: str
    updated: Timestamp | None
    section: int | None = Field(description="The section front's page id; null for the site.")


class FeedSchema(_Schema):
    meta: FeedMetaSchema
    items: list[FeedItemSchema]
