"""The record of every change, committed with the change itself: no invalidation is lost.

The API cache's versions live in the cache, and a write to a cache can be lost: the cache
was down when the change committed, came back from an older snapshot, or failed over to a
replica that had not received the last writes. Only the database cannot lose a committed
change, so every change announced by ``publishing.invalidation`` leaves a ``ChangeRecord``
in the same transaction (one per transaction, however many changes it carries), and:

- after commit, the process that made the change renews the versions of its pages,
  marks the record applied (``applied_at``, by the database's clock) and advances the
  cache's *stamp* to that time;
- before any process trusts the cache (``ensure_current``: on its first request, after any
  failure it saw, and at least every ``API_CACHE_VERIFY_SECONDS``), it compares the stamp
  with the newest ``applied_at`` and the count of unapplied records. A cache that is
  behind is caught up first: the pages of every record applied since its stamp, or never
  applied, get new versions (the whole site does, when the stamp is gone or too much
  changed). A cache that lost writes lost the stamp's advance with them, so it is always
  found behind.

Records older than any entry could be (``API_CACHE_TIMEOUT``) are pruned.
"""

import logging
import threading
import time
from datetime import timedelta

from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Now
from django.dispatch import receiver
from django.utils import timezone

from kratom_pages import conf
from kratom_pages.publishing import breaker, versions
from kratom_pages.publishing.models import ChangeRecord

logger = logging.getLogger(__name__)

STAMP_KEY = "kratom_pages:api:applied-through"
# More records than this behind: renew the whole site rather than page by page.
CATCH_UP_LIMIT = 500
PRUNE_EVERY = 100  # records; pruning runs when a record id is a multiple of this

# Pages (and whether the whole site) this thread's records name, not yet renewed after
# their commit.
_open = threading.local()
_verify_lock = threading.Lock()
_verified_at = 0.0  # when this process last checked the cache against the records
_trusted_until = 0.0  # and until when that check holds


def record(change, *, cdn_due: bool, prerender_due: bool) -> ChangeRecord:
    """Write the record of ``change`` in the open transaction; once it commits, its pages
    get new versions and the record is marked applied, and its work (``cdn_due``,
    ``prerender_due``) is handed to the task worker."""
    created = ChangeRecord.objects.create(
        action=change.action,
        changed_page_id=getattr(change.page, "pk", None),
        page_ids=sorted(change.page_ids),
        everything=change.everything,
        cdn_due=cdn_due,
        prerender_due=prerender_due,
        due_at=timezone.now() if cdn_due or prerender_due else None,
    )
    pending = _open.__dict__.setdefault("pages", set())
    pending |= change.page_ids
    _open.everything = getattr(_open, "everything", False) or change.everything
    transaction.on_commit(lambda: _committed(created), robust=True)
    return created


def _committed(created: ChangeRecord) -> None:
    """After commit. One commit often carries several records (a publish is a save, then
    ``page_published``) naming the same pages: each page gets one new version after the
    commit, by the first record's callback, so what is rendered between the callbacks
    stays valid; a later record finds its pages renewed already."""
    pending = _open.__dict__.setdefault("pages", set())
    due = pending & set(created.page_ids)
    pending -= due
    everything = created.everything and getattr(_open, "everything", False)
    renewed = True
    if (due or everything) and versions.enabled():
        try:
            versions.renew(due, everything=everything)
        except breaker.CacheDown:
            renewed = False
            pending |= due  # the next record of this commit must not count as applied
    if renewed:
        _open.everything = getattr(_open, "everything", False) and not everything
        _mark_applied([created.pk])
    if created.cdn_due or created.prerender_due:
        from kratom_pages.publishing import followups

        followups.enqueue([created.pk])


def apply(records: list[ChangeRecord]) -> bool:
    """Renew the versions ``records`` name, then mark them applied and advance the stamp.
    False when the cache could not take it: the records stay unapplied, and the next
    ``ensure_current`` of any process applies them."""
    page_ids = {pk for rec in records for pk in rec.page_ids}
    everything = any(rec.everything for rec in records)
    if versions.enabled():
        try:
            versions.renew(page_ids, everything=everything)
        except breaker.CacheDown:
            return False
    _mark_applied([rec.pk for rec in records])
    return True


def _mark_applied(ids: list[int]) -> None:
    """Date the records applied (by the database's clock) and advance the stamp to it."""
    ChangeRecord.objects.filter(pk__in=ids, applied_at__isnull=True).update(applied_at=Now())
    applied = ChangeRecord.objects.filter(pk__in=ids).aggregate(last=Max("applied_at"))["last"]
    if versions.enabled() and applied is not None:
        _advance_stamp(applied)
    if any(pk % PRUNE_EVERY == 0 for pk in ids):
        prune()


def _advance_stamp(applied) -> None:
    """Read, compare, write: two processes racing may set an older stamp, which only makes
    the next check catch up again (a false alarm, never a missed one)."""
    try:
        stamp = breaker.call("get", STAMP_KEY)
        if stamp is None or applied > stamp:
            breaker.call("set", STAMP_KEY, applied, timeout=None)
    except breaker.CacheDown:
        pass  # the stamp stays behind: the next check catches up


def verify_interval() -> float:
    """Seconds between checks: none for a per-process cache (development), where another
    process's change is otherwise never seen."""
    if not versions.is_shared(conf.get("API_CACHE")):
        return 0.0
    return float(conf.get("API_CACHE_VERIFY_SECONDS"))


def ensure_current() -> bool:
    """Whether this request may read the API cache: it answers, and it is known to hold
    every committed change (caught up here first when it does not). On a hit path this is
    two comparisons; the check itself runs at most every ``verify_interval()``."""
    global _verified_at, _trusted_until
    if breaker.is_open():
        return False
    if not breaker.is_suspect() and time.monotonic() < _trusted_until:
        return True
    with _verify_lock:
        if not breaker.is_suspect() and time.monotonic() < _trusted_until:
            return True  # another thread checked while this one waited
        checked_at = time.monotonic()
        try:
            catch_up()
        except breaker.CacheDown:
            return False
        except DatabaseError:
            logger.warning("Could not read change records; serving uncached", exc_info=True)
            return False
        _verified_at = checked_at
        _trusted_until = checked_at + verify_interval()
        breaker.cleared()
    return True


@receiver(setting_changed)
def _interval_changed(setting, **kwargs) -> None:
    """A project (or a test) that changes the interval or the cache is held to it from the
    last check, not from the next one."""
    global _trusted_until
    if setting in ("KRATOM_PAGES", "CACHES"):
        _trusted_until = min(_trusted_until, _verified_at + verify_interval())


def catch_up() -> int:
    """Bring the cache up to the database's records; the number of records applied."""
    state = ChangeRecord.objects.aggregate(
        last=Max("applied_at"), pending=Count("pk", filter=Q(applied_at__isnull=True))
    )
    if state["last"] is None and not state["pending"]:
        return 0  # nothing ever changed
    stamp = breaker.call("get", STAMP_KEY)
    if stamp is not None and not state["pending"] and state["last"] <= stamp:
        return 0  # current
    behind = Q(applied_at__isnull=True)
    if stamp is not None:
        behind |= Q(applied_at__gt=stamp)
    records = list(ChangeRecord.objects.filter(behind).order_by("pk")[: CATCH_UP_LIMIT + 1])
    # No stamp: the cache was flushed, or came back from before stamps were kept; what it
    # holds cannot be dated, so the whole site is renewed. Too many records: likewise.
    everything = stamp is None or len(records) > CATCH_UP_LIMIT
    logger.warning(
        "API cache was behind the database (%s); renewing %s",
        "no stamp" if stamp is None else f"stamp {stamp.isoformat()}",
        "every page" if everything else f"the pages of {len(records)} change(s)",
    )
    if everything:
        _apply_everything()
    elif not apply(records):
        raise breaker.CacheDown("catch-up failed")
    return len(records)


def _apply_everything() -> None:
    """A new generation for the whole site; every record counts as applied."""
    if versions.enabled():
        versions.renew(everything=True)
    ChangeRecord.objects.filter(applied_at__isnull=True).update(applied_at=Now())
    last = ChangeRecord.objects.aggregate(last=Max("applied_at"))["last"]
    if versions.enabled() and last is not None:
        _advance_stamp(last)


def mark_current() -> None:
    """Trust the cache as it is (tests that count queries; a freshly cleared cache)."""
    global _verified_at, _trusted_until
    _verified_at = time.monotonic()
    _trusted_until = _verified_at + verify_interval()
    breaker.cleared()


def prune() -> int:
    """Delete applied records older than any cache entry can be, with no work owed."""
    horizon = timezone.now() - timedelta(seconds=conf.get("API_CACHE_TIMEOUT") + 60)
    deleted, _ = ChangeRecord.objects.filter(applied_at__lt=horizon, due_at__isnull=True).delete()
    return deleted
