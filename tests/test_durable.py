"""Leased work: a worker claims a row for a lease; a dead worker's row is taken over once
its lease ends; a live worker's row is never claimed twice; work whose task was lost is
found by the sweep. (tests/faults/ kills a real db_worker.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kratom_pages.models import ChangeRecord, WebhookDelivery
from kratom_pages.publishing import durable


def _delivery(**fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint_url="https://hooks.example.com/x", action="publish", payload={}, **fields
    )


@pytest.mark.django_db
def test_due_work_is_claimed_once():
    now = timezone.now()
    delivery = _delivery(due_at=now)
    assert durable.claim(WebhookDelivery, [delivery.pk]) == [delivery]
    assert durable.claim(WebhookDelivery, [delivery.pk]) == []  # held: a live worker has it


@pytest.mark.django_db
def test_work_held_by_a_dead_worker_is_taken_over_when_its_lease_ends():
    now = timezone.now()
    delivery = _delivery(
        due_at=now - timedelta(minutes=10), leased_until=now - timedelta(seconds=1)
    )
    [claimed] = durable.claim(WebhookDelivery, [delivery.pk])
    assert claimed.leased_until > now


@pytest.mark.django_db
def test_work_not_due_yet_or_done_is_left_alone():
    now = timezone.now()
    later = _delivery(due_at=now + timedelta(minutes=1))
    done = _delivery(due_at=None)
    assert durable.claim(WebhookDelivery, [later.pk, done.pk]) == []


@pytest.mark.django_db
def test_work_whose_task_was_lost_is_swept_back_into_the_queue():
    from kratom_pages.publishing.followups import run_followups

    now = timezone.now()
    lost = ChangeRecord.objects.create(
        action="publish", cdn_due=True, due_at=now - timedelta(hours=1)
    )
    fresh = ChangeRecord.objects.create(action="publish", cdn_due=True, due_at=now)
    held = ChangeRecord.objects.create(
        action="publish",
        cdn_due=True,
        due_at=now - timedelta(hours=1),
        leased_until=now + timedelta(minutes=1),
    )
    assert durable.overdue(ChangeRecord) == [lost.pk]
    assert fresh.pk not in durable.overdue(ChangeRecord) and held.pk not in durable.overdue(
        ChangeRecord
    )
    # The immediate backend runs it at once: the owed purge (no CDN configured) is done.
    assert durable.sweep(ChangeRecord, run_followups) == 1
    lost.refresh_from_db()
    assert lost.due_at is None and not lost.cdn_due
