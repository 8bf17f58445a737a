"""Publish webhooks: build page events, sign them, deliver them in the background.

Requests follow Standard Webhooks (https://www.standardwebhooks.com/): ``webhook-id``
(the event id, the same on every retry and resend), ``webhook-timestamp`` and
``webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``, so receivers
verify with the official libraries. A ``whsec_<base64>`` secret is keyed with its decoded
bytes, as those libraries do; an older plain secret is keyed with its UTF-8 bytes
(``Webhook(secret.encode())`` in Python, ``new Webhook(secret, {format: "raw"})`` in
TypeScript). The old ``X-Kratom-Signature: t=<unix time>,v1=<hex>`` header is still sent,
deprecated, for one release.

Delivery runs as a django-tasks task after the transaction commits, through
``outbound`` (public addresses only, no redirects), with retries and exponential backoff,
at least once even when a worker dies midway (``durable``);
every attempt is logged on a ``WebhookDelivery`` row with its status, timing and a short
error class, never the receiver's body. Nothing here may raise into a publish.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from kratom_pages import conf
from kratom_pages.absolute_urls import page_url
from kratom_pages.models import WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing import durable, outbound

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"


def signing_key(secret: str) -> bytes:
    """The HMAC key for ``webhook-signature``; ``ValueError`` for a malformed whsec_ secret."""
    if not secret.startswith(SECRET_PREFIX):
        return secret.encode()  # a legacy secret, used as it stands
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError("A whsec_ secret must be base64 after the prefix.") from exc
    if not key:
        raise ValueError("A whsec_ secret must not be empty.")
    return key


def standard_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return f"v1,{base64.b64encode(digest).decode()}"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The deprecated ``X-Kratom-Signature`` value, keyed with the secret's UTF-8 bytes."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


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
            "url": page_url(page),
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
            due_at=timezone.now(),
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


def signed_headers(delivery: WebhookDelivery, secret: str, body: bytes) -> dict[str, str]:
    msg_id, timestamp = str(delivery.event_id), int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "kratom-pages-webhooks",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(secret, msg_id, timestamp, body),
        "X-Kratom-Event": delivery.action,
        "X-Kratom-Event-Id": msg_id,
    }
    if legacy_header := conf.get("WEBHOOK_SIGNATURE_HEADER"):
        headers[legacy_header] = sign(secret, body, timestamp)
    return headers


def _status_error(status: int) -> str:
    if 200 <= status < 300:
        return ""
    if 300 <= status < 400:
        return f"Redirect not followed (HTTP {status})"
    return f"HTTP {status}"


def _send(delivery: WebhookDelivery, secret: str | None) -> tuple[int | None, str, bool]:
    """(response status, short error or "", whether retrying is pointless)."""
    if secret is None:
        return None, "No such endpoint.", True
    body = encode(delivery.payload)
    try:
        headers = signed_headers(delivery, secret, body)
    except ValueError:
        return None, "InvalidSecret: not base64 after whsec_", True
    timeout = conf.get("WEBHOOK_TIMEOUT")
    try:
        status = outbound.post(delivery.endpoint_url, body, headers, timeout=timeout)
    except outbound.UnsafeURL as exc:
        # A refused URL stays refused; retrying would only probe the same address again.
        return None, f"UnsafeURL: {exc.reason}", True
    except outbound.TransportError as exc:
        return None, str(exc), False
    return status, _status_error(status), False


def attempt(delivery: WebhookDelivery) -> bool:
    """One POST; records the outcome on ``delivery``. True when the receiver said 2xx."""
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    started = time.monotonic()
    status, error, give_up = _send(delivery, _secret_for(delivery))
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
    delivery.response_status, delivery.last_error = status, error
    if not error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
    elif give_up or delivery.attempts >= conf.get("WEBHOOK_MAX_ATTEMPTS"):
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    return not error


@task()
def deliver_webhook(delivery_id: int) -> None:
    """Send one delivery, retrying with backoff: deferred retries where the task backend
    supports them, in-process (short) sleeps with the immediate backend. At least once:
    the delivery is leased to this worker, and a follow-up scheduled for when the lease
    ends sends it again if the worker dies midway (``durable``); receivers recognise a
    repeat by its ``webhook-id``, the same on every attempt."""
    claimed = durable.claim(WebhookDelivery, [delivery_id])
    if not claimed:
        return  # done, not due yet, or another worker holds it
    delivery = claimed[0]
    durable.schedule(deliver_webhook, [delivery.pk], delivery.leased_until)
    while True:
        if attempt(delivery) or delivery.status == WebhookDelivery.Status.FAILED:
            durable.release(delivery, due_at=None, fields=[])
            return
        delay = timedelta(seconds=conf.get("WEBHOOK_BACKOFF") * 2 ** (delivery.attempts - 1))
        if deliver_webhook.get_backend().supports_defer:
            durable.release(delivery, due_at=timezone.now() + delay, fields=[])
            enqueue_delivery(delivery.pk, run_after=delivery.due_at)
            return
        time.sleep(delay.total_seconds())


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """A fresh delivery of the same event to the same endpoint (from the admin or CLI)."""
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        endpoint_url=delivery.endpoint_url,
        event_id=delivery.event_id,
        action=delivery.action,
        payload=delivery.payload,
        due_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue_delivery(copy.pk))
    return copy
