"""WordPress comments as reader replies: same moderation states, one level of threading,
IP addresses hashed exactly as live replies are (never stored), emails kept private."""

import html
from collections import Counter
from datetime import UTC, datetime

from django.utils.html import strip_tags
from django.utils.text import Truncator

from kratom_pages import conf
from kratom_pages.importers.wxr import Comment
from kratom_pages.replies.models import ReaderReply, hash_client_ip

STATUSES = {
    "1": ReaderReply.Status.APPROVED,
    "approve": ReaderReply.Status.APPROVED,
    "0": ReaderReply.Status.PENDING,
    "hold": ReaderReply.Status.PENDING,
    "spam": ReaderReply.Status.SPAM,
}
SKIPPED_TYPES = {"pingback", "trackback"}


def status_for(comment: Comment) -> str | None:
    """The reply status, or None for comments that are not imported (trash, pingbacks)."""
    if comment.type in SKIPPED_TYPES:
        return None
    return STATUSES.get(comment.approved)


def parse_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None  # "0000-00-00 00:00:00" on drafts, or missing


def _top_level(comment: Comment, by_id: dict[int, Comment]) -> int:
    """The id of the comment's top-level ancestor (itself when it is top-level)."""
    seen = set()
    while comment.parent and comment.parent in by_id and comment.id not in seen:
        seen.add(comment.id)
        comment = by_id[comment.parent]
    return comment.id


def plan(comments: list[Comment], known: dict[str, int]) -> tuple[list[tuple], Counter]:
    """(comment, status, top-level ancestor id) for each comment still to import, top-level
    ones first, and the count by state of everything the export holds."""
    by_id = {c.id: c for c in comments if status_for(c)}
    counts: Counter = Counter()
    todo = []
    for comment in comments:
        status = status_for(comment)
        counts[status or "skipped"] += 1
        if status and str(comment.id) not in known:
            todo.append((comment, status, _top_level(comment, by_id)))
    todo.sort(key=lambda entry: entry[0].id != entry[2])
    return todo, counts


def plain(text: str) -> str:
    """A comment's text: tags dropped, then entities decoded once (WordPress stores
    "&lt;blockquote&gt;" for a reader who typed the tag). Stored as plain text, so every
    output escapes it: readers see what the commenter typed, never markup."""
    return html.unescape(strip_tags(text or "")).strip()


def import_comments(page, comments: list[Comment], known: dict[str, int]) -> int:
    """Store the comments not imported yet as replies on ``page``; ``known`` (WordPress id
    -> reply id) is updated in place. Returns how many replies were created."""
    todo, _counts = plan(comments, known)
    limit = conf.get("REPLY_MAX_LENGTH")
    created = 0
    for comment, status, top in todo:
        parent_id = known.get(str(top)) if top != comment.id else None
        reply = ReaderReply.objects.create(
            page=page,
            parent_id=parent_id,
            display_name=Truncator(plain(comment.author) or "Anonymous").chars(80),
            email=comment.email[:254],
            body=Truncator(plain(comment.content)).chars(limit),
            status=status,
            ip_hash=hash_client_ip(comment.ip or None),
            moderation_note=f"Imported from WordPress comment {comment.id}.",
        )
        # created_at is auto_now_add: the original date is written afterwards.
        if date := parse_date(comment.date_gmt):
            ReaderReply.objects.filter(pk=reply.pk).update(created_at=date)
        known[str(comment.id)] = reply.pk
        created += 1
    return created
