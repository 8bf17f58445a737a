"""What a WordPress export holds, as ``wxr`` reads it: items (posts, pages, attachments)
with their comments, and the summary of the whole file its first pass collects."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Comment:
    id: int
    parent: int
    approved: str  # "1", "0", "spam", "trash", ...
    author: str
    email: str
    ip: str
    date_gmt: str
    content: str
    type: str


@dataclass
class Item:
    """One ``<item>``: a post, page or attachment, with its comments."""

    index: int  # position among the export's items, for messages
    title: str = ""
    link: str = ""
    post_id: int = 0
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    creator: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    content: str = ""
    excerpt: str = ""
    attachment_url: str = ""
    password: str = ""  # wp:post_password: readers must enter it
    comment_status: str = ""  # "open" or "closed"
    sticky: bool = False
    parent_id: int = 0  # wp:post_parent: a page's parent page
    categories: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    unrecognised: set = field(default_factory=set)  # namespaces of fields not understood

    def content_hash(self) -> str:
        """Changes when anything the page is built from changes (comments excluded: they
        are matched one by one)."""
        relevant = [
            self.title,
            self.post_name,
            self.creator,
            self.post_date,
            self.content,
            self.excerpt,
            self.meta.get("_thumbnail_id", ""),
            self.meta.get("_yoast_wpseo_metadesc", ""),
            self.password,
            self.comment_status,
            self.post_date_gmt,
        ]
        return hashlib.sha256(json.dumps(relevant).encode()).hexdigest()


@dataclass
class Attachment:
    url: str
    title: str
    alt: str
    path: str  # relative to wp-content/uploads, from _wp_attached_file
    caption: str = ""  # WordPress keeps an attachment's caption as its excerpt
    parent_id: int = 0  # the post it was uploaded to: a bare [gallery] shows these


@dataclass
class ExportSummary:
    """What the first pass learned: the site, its authors and attachments, item counts."""

    site_url: str = ""
    title: str = ""
    version: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login -> display name
    attachments: dict[int, Attachment] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)  # (post_type, status) -> n
    items: int = 0  # every <item>, recognised or not
    recognised: int = 0  # items with WordPress fields we could read
    namespaces: set = field(default_factory=set)  # of items' unrecognised fields
    # WordPress page id -> its parent page id, for pages that have one.
    page_parents: dict[int, int] = field(default_factory=dict)
    page_statuses: dict[int, str] = field(default_factory=dict)
    # Category slugs (wp:category_nicename), whose old feeds are redirected.
    category_slugs: set = field(default_factory=set)
