"""Taking in reader replies: rate limit, validate, store as pending (or spam), notify.

The JSON endpoint and the server-rendered form both go through ``submit_reply`` so they
enforce the same rules.
"""

import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kratom_pages import conf
from kratom_pages.replies.forms import ReaderReplyForm
from kratom_pages.replies.models import ReaderReply, hash_client_ip

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


class ReplyRefused(Exception):
    """A reply refused before validation; ``status`` and ``message`` are what both the
    JSON endpoint and the server-rendered form answer (one mapping for both)."""

    status = 400
    message = ""
    headers: dict[str, str] = {}


class RepliesClosed(ReplyRefused):
    status = 403
    message = gettext_lazy("Replies are closed for this page.")


class RateLimited(ReplyRefused):
    status = 429
    message = gettext_lazy("You have replied a lot recently; try again later.")

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/10m"`` -> (5 requests, 600 seconds)."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"Bad rate {rate!r}; use N/<count><s|m|h>, e.g. 5/10m")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNIT_SECONDS[unit]


def check_rate_limit(ip_hash: str) -> None:
    """Fixed-window counter in Django's cache when every process shares it; otherwise (a
    per-process cache in production) the replies stored in the window are counted, which
    every worker sees alike. A cache outage lets replies through: moderation still stands
    between them and readers."""
    from django.conf import settings

    from kratom_pages.publishing.versions import is_shared

    limit, period = parse_rate(conf.get("REPLY_RATE_LIMIT"))
    now = time.time()
    if not settings.DEBUG and not is_shared("default"):
        count = _stored_replies_since(ip_hash, period) + 1
    else:
        window = int(now // period)
        key = f"kratom_pages:reply-rate:{ip_hash}:{window}"
        try:
            cache.add(key, 0, timeout=period + 1)
            count = cache.incr(key)
        except Exception:  # noqa: BLE001 - any cache failure degrades to no rate limit
            logger.warning("Reply rate limit skipped: cache unavailable", exc_info=True)
            return
        if count is None:  # a cache that hides its failures (django-redis IGNORE_EXCEPTIONS)
            logger.warning("Reply rate limit skipped: cache unavailable")
            return
    if count > limit:
        raise RateLimited(retry_after=max(1, int(period - (now % period)) + 1))


def _stored_replies_since(ip_hash: str, period: int) -> int:
    since = timezone.now() - timedelta(seconds=period)
    return ReaderReply.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()


@dataclass
class Submission:
    form: ReaderReplyForm
    reply: ReaderReply | None = None

    @property
    def accepted(self) -> bool:
        return self.reply is not None


def submit_reply(page, data: dict, client_ip: str | None) -> Submission:
    """Validate and store a reply for ``page`` (which the caller found live and public).

    Raises ``RepliesClosed`` or ``RateLimited``; returns the bound form with its errors
    when the data is invalid, and nothing is stored.
    """
    if not page.allow_replies:
        raise RepliesClosed
    ip_hash = hash_client_ip(client_ip)
    check_rate_limit(ip_hash)
    form = ReaderReplyForm(data, page=page)
    if not form.is_valid():
        return Submission(form=form)
    with transaction.atomic():
        reply = form.save(ip_hash=ip_hash)
        if reply.status == ReaderReply.Status.PENDING:
            transaction.on_commit(lambda: notify_moderators(reply))
    return Submission(form=form, reply=reply)


def notify_moderators(reply: ReaderReply) -> None:
    recipients = list(conf.get("REPLY_NOTIFY_EMAILS"))
    if not recipients:
        return
    subject = _("New reply awaiting moderation on %(page)s") % {"page": reply.page.title}
    # Only what a moderator needs to decide; the reader's email stays in the admin.
    message = _("%(name)s wrote:\n\n%(body)s\n\nModerate it in the Wagtail admin.") % {
        "name": reply.display_name,
        "body": reply.body,
    }
    try:
        send_mail(subject, message, None, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not lose the reply
        logger.exception("Could not send the reply notification for reply %s", reply.pk)
