"""Publish webhooks: build page events, sign them, deliver them in the background.

Each request carries ``X-Kratom-Signature: t=<unix time>,v1=<hex>`` where ``v1`` is
HMAC-SHA256 of ``"<t>." + body`` keyed with the endpoint's secret; receivers reject old
timestamps to stop replays. Delivery runs as a django-tasks task after the transaction
commits, with a timeout per attempt and retries with exponential backoff; every attempt
is logged on a ``WebhookDelivery`` row. Nothing here may raise into a publish.
"""

import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import requests
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from kratom_pages import conf
from kratom_pages.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """What a Python receiver does with our header (also in the README)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def encode(payload: dict) -> bytes:
    """The exact bytes we sign and send; resending the same payload sends the same body."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class Target:
    url: str
    secret: str
    page_types: set[str] = field(default_factory=set)
    endpoint: WebhookEndpoint | None = None

    def wants(self, page_types: set[str]) -> bool:
        return not self.page_types or bool(self.page_types & page_types)


def targets() -> list[Target]:
    found = [
        Target(e.url, e.secret, e.page_type_labels, e)
        for e in WebhookEndpoint.objects.filter(is_active=True)
    ]
    for spec in conf.get("WEBHOOKS"):
        if spec.get("active", True):
            found.append(Target(spec["url"], spec["secret"], set(spec.get("page_types") or [])))
    return found


def _page_type(page: Page) -> str:
    model = page.specific_class
    return model._meta.label if model else "wagtailcore.Page"


def page_event(action: str, page: Page, *, url_path: str | None = None) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "action": action,
        "page": {
            "id": page.pk,
            "type": _page_type(page),
            "locale": page.locale.language_code if page.locale_id else None,
            "url_path": url_path or page.url_path,
            "url": page.get_url(),
        },
        "affected_page_ids": [page.pk],
        "timestamp": timezone.now().isoformat(),
    }


def reference_event(obj, pages: list[Page]) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "action": "references_changed",
        "page": None,
        "object": {"type": obj._meta.label, "id": obj.pk},
        "affected_page_ids": sorted(page.pk for page in pages),
        "timestamp": timezone.now().isoformat(),
    }


def dispatch(event: dict, page_types: set[str]) -> list[WebhookDelivery]:
    """Log a delivery per interested endpoint and send each once the transaction commits."""
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=target.endpoint,
            endpoint_url=target.url,
            event_id=event["event_id"],
            action=event["action"],
            payload=event,
        )
        for target in targets()
        if target.wants(page_types)
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries


def enqueue_delivery(delivery_id: int, run_after=None) -> None:
    try:
        if run_after is not None:
            deliver_webhook.using(run_after=run_after).enqueue(delivery_id)
        else:
            deliver_webhook.enqueue(delivery_id)
    except Exception:  # noqa: BLE001 - a queue outage must not break publishing
        logger.exception("Could not queue webhook delivery %s", delivery_id)


def _secret_for(delivery: WebhookDelivery) -> str | None:
    if delivery.endpoint is not None:
        return delivery.endpoint.secret
    for spec in conf.get("WEBHOOKS"):
        if spec["url"] == delivery.endpoint_url:
            return spec["secret"]
    return None


def attempt(delivery: WebhookDelivery) -> bool:
    """One POST; records the outcome on ``delivery``. True when the receiver said 2xx."""
    secret = _secret_for(delivery)
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    if secret is None:
        delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, "No such endpoint."
        delivery.save()
        return False
    body = encode(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "kratom-pages-webhooks",
        conf.get("WEBHOOK_SIGNATURE_HEADER"): sign(secret, body),
        "X-Kratom-Event": delivery.action,
        "X-Kratom-Event-Id": str(delivery.event_id),
    }
    try:
        response = requests.post(
            delivery.endpoint_url, data=body, headers=headers, timeout=conf.get("WEBHOOK_TIMEOUT")
        )
    except requests.RequestException as exc:
        delivery.response_status, delivery.last_error = None, f"{type(exc).__name__}: {exc}"[:2000]
        ok = False
    else:
        delivery.response_status = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else f"HTTP {response.status_code}: {response.text[:500]}"
    if ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
    elif delivery.attempts >= conf.get("WEBHOOK_MAX_ATTEMPTS"):
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    return ok


@task()
def deliver_webhook(delivery_id: int) -> None:
    """Send one delivery, retrying with backoff. Deferred retries where the task backend
    supports them; in-process (short) sleeps with the immediate backend."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).select_related("endpoint").first()
    if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
        return
    while True:
        if attempt(delivery) or delivery.status == WebhookDelivery.Status.FAILED:
            return
        delay = conf.get("WEBHOOK_BACKOFF") * 2 ** (delivery.attempts - 1)
        if deliver_webhook.get_backend().supports_defer:
            enqueue_delivery(delivery.pk, run_after=timezone.now() + timedelta(seconds=delay))
            return
        time.sleep(delay)


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """A fresh delivery of the same event to the same endpoint (from the admin or CLI)."""
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        endpoint_url=delivery.endpoint_url,
        event_id=delivery.event_id,
        action=delivery.action,
        payload=delivery.payload,
    )
    transaction.on_commit(lambda: enqueue_delivery(copy.pk))
    return copy
