"""What a committed change owes beyond the API cache: a CDN purge and prerendering.

Each ``ChangeRecord`` says what it owes (``cdn_due``, ``prerender_due``); this task works
it off at least once (``durable``: claimed with a lease, a follow-up scheduled for when
the lease ends, so a worker killed midway is replaced). Prerendering is done once: pages
it could not render are rendered by their first reader. A purge the CDN refused or never
answered is retried, waiting twice as long each time up to ``CDN_RETRY_MAX_SECONDS``,
until it is taken: no CDN entry stays stale once the CDN is back.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from kratom_pages import conf
from kratom_pages.publishing import cdn, durable, prerender
from kratom_pages.publishing.models import ChangeRecord

logger = logging.getLogger(__name__)


def enqueue(record_ids: list[int]) -> None:
    """Hand the work of ``record_ids`` to the worker, with any work whose task was lost."""
    try:
        run_followups.enqueue(record_ids)
        if not _in_request():
            durable.sweep(ChangeRecord, run_followups)
    except Exception:  # noqa: BLE001 - the records stay due; never fail a publish
        logger.exception("Could not enqueue the work of change records %s", record_ids)


def _in_request() -> bool:
    return isinstance(run_followups.get_backend(), ImmediateBackend)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(2.0 * 2 ** (attempts - 1), conf.get("CDN_RETRY_MAX_SECONDS")))


@task()
def run_followups(record_ids: list[int]) -> dict:
    """Purge and prerender what the records of ``record_ids`` owe, together."""
    records = durable.claim(ChangeRecord, record_ids)
    if not records:
        return {"claimed": 0}
    claimed = [rec.pk for rec in records]
    durable.schedule(run_followups, [claimed], max(rec.leased_until for rec in records))
    purged = ""
    purging = [rec for rec in records if rec.cdn_due]
    if purging:
        everything = any(rec.everything for rec in purging)
        pages = None if everything else {pk for rec in purging for pk in rec.page_ids}
        purged = cdn.purge(pages) if cdn.is_configured() else ""
    rendering = [rec for rec in records if rec.prerender_due and not rec.everything]
    if rendering:
        try:
            prerender.render_changed(
                sorted({pk for rec in rendering for pk in rec.page_ids}),
                rendering[0].changed_page_id,
                in_request=_in_request(),
            )
        except Exception:  # noqa: BLE001 - readers render what could not be prerendered
            logger.warning("Prerendering failed for change records %s", claimed, exc_info=True)
    retry_at = None
    for rec in records:
        rec.prerender_due = False
        rec.attempts += 1
        if rec.cdn_due and not purged:
            rec.cdn_due = False
        elif rec.cdn_due:
            rec.last_error = purged
            retry_at = timezone.now() + _retry_delay(rec.attempts)
        fields = ["prerender_due", "cdn_due", "attempts", "last_error"]
        durable.release(rec, due_at=retry_at if rec.cdn_due else None, fields=fields)
    if retry_at is not None:
        logger.warning("CDN purge failed (%s); retrying at %s", purged, retry_at.isoformat())
        durable.schedule(run_followups, [claimed], retry_at)
    return {"claimed": len(records), "purge_error": purged}
