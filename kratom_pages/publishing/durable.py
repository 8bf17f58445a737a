"""Work done at least once, whatever happens to the worker doing it.

django-tasks' database backend leaves a task whose worker died (SIGKILL, out of memory, a
lost host) marked running for ever, and nothing runs it again (django-tasks-db#5). Our
work does not depend on that row: each piece of work is a row of ours (``LeasedWork``:
a CDN purge and prerendering owed by a ``ChangeRecord``, a ``WebhookDelivery``) which a
worker *claims* with one conditional UPDATE for ``WORK_LEASE_SECONDS``. Before working it
enqueues a follow-up of the same task, to run when the lease ends: a worker that finishes
leaves nothing due for it, and one that died is replaced by it. Work whose task could not
be enqueued at all is found by ``sweep``.
"""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from kratom_pages import conf

logger = logging.getLogger(__name__)

# Work due for longer than this with no worker on it is enqueued again by ``sweep``.
SWEEP_AFTER = timedelta(seconds=60)


def lease() -> timedelta:
    return timedelta(seconds=conf.get("WORK_LEASE_SECONDS"))


def claim(model, pks: list[int]) -> list:
    """The rows of ``pks`` that are due and held by no live worker, now leased to this
    one. A row whose lease ran out was held by a worker that died: it is taken over."""
    now = timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    due = model.objects.filter(free, pk__in=pks, due_at__lte=now)
    taken_over = list(due.filter(leased_until__isnull=False).values_list("pk", flat=True))
    if taken_over:
        logger.warning("Retrying %s %s: its worker stopped", model._meta.verbose_name, taken_over)
        fail_abandoned_task_results()
    until = now + lease()
    claimed = list(due.values_list("pk", flat=True))
    # Each row is claimed on its own condition, so two workers never both hold one.
    won = [
        pk
        for pk in claimed
        if model.objects.filter(free, pk=pk, due_at__lte=now).update(leased_until=until)
    ]
    return list(model.objects.filter(pk__in=won).order_by("pk"))


def schedule(task, args: list, at) -> bool:
    """Enqueue ``task(*args)`` to run at ``at``, where the backend can defer (a worker's
    queue); False where it cannot (the immediate backend, whose work runs in the request
    and is found again by ``sweep``)."""
    if not task.get_backend().supports_defer:
        return False
    try:
        task.using(run_after=at).enqueue(*args)
    except Exception:  # noqa: BLE001 - the work stays due: sweep finds it
        logger.exception("Could not schedule %s", task.name)
        return False
    return True


def release(row, *, due_at, fields: list[str]) -> None:
    """Give the row back: done (``due_at`` None) or due again at ``due_at``."""
    row.due_at, row.leased_until = due_at, None
    row.save(update_fields=[*fields, "due_at", "leased_until"])


def overdue(model) -> list[int]:
    """Rows due for a while that no worker holds: their task was lost before it ran."""
    now = timezone.now()
    return list(
        model.objects.filter(due_at__lt=now - SWEEP_AFTER)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )


def sweep(model, task, *, batch: int = 100) -> int:
    """Enqueue ``task`` again for every overdue row of ``model``; how many rows."""
    pks = overdue(model)
    for start in range(0, len(pks), batch):
        try:
            task.enqueue(pks[start : start + batch])
        except Exception:  # noqa: BLE001
            logger.exception("Could not enqueue %s", task.name)
            return start
    return len(pks)


# The tasks whose work is leased here: a run of one of these still shown running after a
# whole lease has been replaced by its follow-up.
LEASED_TASKS = (
    "kratom_pages.publishing.followups.run_followups",
    "kratom_pages.publishing.webhooks.deliver_webhook",
)


def fail_abandoned_task_results() -> int:
    """Mark runs of our leased tasks that django-tasks-db still shows running after a whole
    lease as failed (their worker died, and the follow-up took the work over), so its admin
    does not show them running for ever. Other tasks are left alone: an import, say, may
    rightly run longer than a lease."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return 0  # another task backend: nothing of ours to tidy
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.running().filter(
        task_path__in=LEASED_TASKS, started_at__lt=timezone.now() - lease()
    )
    count = 0
    for result in stale[:1000]:
        result.set_failed(WorkerLost(f"no worker finished it within {lease()}"))
        count += 1
    return count


class WorkerLost(Exception):
    """The worker running a task stopped before finishing it."""
