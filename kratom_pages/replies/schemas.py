"""The public shapes of reader replies (API v2 and v3): what a reader wrote and when, never
the email, IP hash or moderation note."""

from pydantic import AliasChoices, Field

from kratom_pages.api.shapes import Timestamp, _Schema


class ReplySchema(_Schema):
    """A reader reply as the public sees it: never the email, IP hash or moderation note."""

    id: int
    parent: int | None = Field(validation_alias=AliasChoices("parent_id", "parent"))
    display_name: str
    body: str
    created_at: Timestamp


class RepliesMetaSchema(_Schema):
    total_count: int
    page: int


class RepliesListSchema(_Schema):
    meta: RepliesMetaSchema
    items: list[ReplySchema]
