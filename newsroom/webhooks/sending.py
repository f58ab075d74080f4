"""One attempt of one delivery: the signed POST, its outcome in the log, and the plan for the next try.

Signed per Standard Webhooks (the ``standardwebhooks`` package): headers ``webhook-id`` (the
event's id, the same on every retry, so a receiver can ignore a repeat), ``webhook-timestamp``
and ``webhook-signature``. A 2xx answer is a delivery. Anything else (another status, a
timeout, a refused connection or a refused target) is tried again after the next of
``NEWSROOM_WEBHOOK_RETRY_DELAYS`` (with jitter); when they are used up the delivery has
failed, its endpoint is switched off and superusers get a mail.
"""

import datetime as dt
import http.client
import json
import logging
import random
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from newsroom.models import WebhookDelivery, WebhookEndpoint
from newsroom.security.origin import absolute_url
from newsroom.webhooks.targets import resolve

logger = logging.getLogger(__name__)
USER_AGENT = "Newsroom-Webhooks/1"
_ERROR_CHARS = 500


def body(event):
    """The delivery's bytes: the event's payload as compact JSON, the same for every attempt."""
    return json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(endpoint, event, payload, *, now=None):
    moment = now or timezone.now()
    signature = Webhook(endpoint.secret).sign(str(event.id), moment, payload.decode())
    return {
        "webhook-id": str(event.id),
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header keeps the name."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, payload, headers, *, timeout):
    """``status`` of a POST of ``payload`` to ``url`` (checked by ``targets``); raises on a network error."""
    scheme, host, port, ip = resolve(url)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, ip, timeout)
    try:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=payload, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # the answer's body is not kept; enough to finish the exchange
        return response.status
    finally:
        connection.close()


def retry_delay(attempts):
    """Seconds until the next attempt after ``attempts`` failed ones, or ``None`` when there is none left."""
    delays = settings.NEWSROOM_WEBHOOK_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return delays[attempts - 1] * random.uniform(0.9, 1.1)  # noqa: S311 (jitter, not a secret)


def attempt(delivery_id):
    """Try ``delivery_id`` once if it is due; returns the delivery (or ``None`` if it is not to be tried now)."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        endpoint__is_active=True,
        endpoint__partner__is_active=True,
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + dt.timedelta(seconds=settings.NEWSROOM_WEBHOOK_TIMEOUT * 4 + 60))
    if not claimed:  # delivered meanwhile, switched off (or its partner), or another worker has it
        # Switched off: no task holds it any more, so it is handed over again once switched on.
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ).update(queued_at=None)
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    payload = body(delivery.event)
    started = time.monotonic()
    status, error = None, ""
    try:
        status = post(
            delivery.endpoint.url,
            payload,
            signed_headers(delivery.endpoint, delivery.event, payload),
            timeout=settings.NEWSROOM_WEBHOOK_TIMEOUT,
        )
        if not 200 <= status < 300:
            error = f"Der Empfänger antwortete mit HTTP {status}."
    except ValidationError as exc:
        error = "Empfänger abgelehnt: " + " ".join(exc.messages)
    except (OSError, http.client.HTTPException) as exc:
        error = f"Keine Antwort: {exc.__class__.__name__}: {exc}"
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.response_code = status
    delivery.last_error = error[:_ERROR_CHARS]
    delivery.queued_at = None
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
        delivery.next_attempt_at = None
    elif (delay := retry_delay(delivery.attempts)) is not None:
        delivery.next_attempt_at = delivery.last_attempt_at + dt.timedelta(seconds=delay)
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save()
    if delivery.status == WebhookDelivery.Status.FAILED:
        switch_off(delivery.endpoint, delivery)
    return delivery


# What a switched-off endpoint means for the partner (the superusers' mail, the admin start page).
AFTER_SWITCH_OFF = (
    "Zustellungen, die schon ausstanden, warten, bis er wieder aktiv ist; was bis dahin geschieht, "
    "wird ihm nicht zugestellt und steht für den Partner im Änderungs-Feed (/api/v1/articles/changes/)."
)


def switch_off(endpoint, delivery):
    """Stop sending to an endpoint that failed for about a day, and tell the superusers."""
    reason = (
        f"Nach {delivery.attempts} Versuchen seit {timezone.localtime(delivery.event.occurred_at):%d.%m.%Y %H:%M} "
        f"nicht erreichbar. Letzter Fehler: {delivery.last_error}"
    )
    with transaction.atomic():
        switched = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
            is_active=False, disabled_at=timezone.now(), disabled_reason=reason
        )
    if not switched:
        return
    logger.warning("Webhook %s of %s switched off: %s", endpoint.url, endpoint.partner, reason)
    recipients = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    link = absolute_url(f"/admin/newsroom/webhookendpoint/{endpoint.pk}/change/")
    text = (
        f"Der Webhook {endpoint.url} von {endpoint.partner} wurde abgeschaltet.\n\n{reason}\n\n"
        f"{AFTER_SWITCH_OFF}\n\nZum Webhook: {link}\n"
    )
    try:
        send_mail(f"Webhook abgeschaltet: {endpoint.partner}", text, None, recipients)
    except OSError as exc:
        logger.warning("The notice about webhook %s could not be mailed: %s", endpoint.url, exc)
