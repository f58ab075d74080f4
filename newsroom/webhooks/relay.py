"""The relay: due outbox entries become events and deliveries; due deliveries go to the queue.

For each article with a due ``ArticleChange`` the relay compares what partners were last told
(the article's latest event) with what the one visibility rule says now:

- not told, now live: ``article.published``; told, still live, its ninjs changed: ``article.updated``;
- told, no longer live: ``article.unpublished`` with a tombstone, or ``article.deleted``;
- scheduled with an embargo: ``article.embargo`` for each released partner not yet told of this version;
- an embargo that no longer stands before the go-live (the article taken back or deleted, the partner
  taken off it): ``article.unpublished`` or ``article.deleted`` with a tombstone for each partner that
  was told of it, and for that partner alone (it holds the text and would publish it at the go-live).

A planned go-live or take-down leaves an entry due at that moment, so it is told when it comes
without anyone saving. Each event's payload is written once and every delivery of it sends the
same bytes. The relay runs as a task after each commit and every few seconds in the worker
(``manage.py run_worker``), so entries whose task was lost (a queue outage) are picked up too.
"""

import datetime as dt
import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from newsroom.api.ninjs import article_ninjs, embargoed_ninjs
from newsroom.api.views import tombstone
from newsroom.dates import iso_datetime
from newsroom.models import (
    Article,
    ArticleChange,
    ArticleEvent,
    Partner,
    WebhookDelivery,
    WebhookEndpoint,
    load_page,
)
from newsroom.security.origin import absolute_url, base_url

logger = logging.getLogger(__name__)
Type = ArticleEvent.Type
TOLD_LIVE = (Type.PUBLISHED, Type.UPDATED)
BATCH = 200
# The relay's per-article advisory locks: this plus the article id (room for 2**40 ids below other keys).
RELAY_LOCK = 0x6E72 << 40


def _fingerprint(document):
    """What partners see of the article: its ninjs, but for the time of the save (a save without a change moves it)."""
    seen = {name: value for name, value in document.items() if name != "versionCreated"}
    return hashlib.sha256(json.dumps(seen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _payload(event_id, kind, occurred_at, article_id, url, version, **data):
    return {
        "id": str(event_id),
        "type": kind,
        "timestamp": iso_datetime(occurred_at),
        "data": {"article_id": article_id, "url": url, "version": version, **data},
    }


def _event(kind, article_id, *, url, version, occurred_at, partner=None, fingerprint="", **data):
    event_id = uuid.uuid4()
    event = ArticleEvent.objects.create(
        id=event_id,
        type=kind,
        article_id=article_id,
        partner=partner,
        occurred_at=occurred_at,
        version=version,
        fingerprint=fingerprint,
        payload=_payload(event_id, kind, occurred_at, article_id, url, version, **data),
    )
    endpoints = WebhookEndpoint.objects.filter(is_active=True, partner__is_active=True)
    if partner is not None:
        endpoints = endpoints.filter(partner=partner)
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=occurred_at)
        for endpoint in endpoints
        if kind in endpoint.events
    ]
    WebhookDelivery.objects.bulk_create(deliveries)
    return event


def _ninjs_url(article_id):
    return absolute_url(reverse("api:article-ninjs", args=[article_id]))


def _latest_version(article_id):
    # One count per article over all its events (an embargo's included): a later event has a higher version.
    return ArticleEvent.objects.filter(article_id=article_id).aggregate(latest=Max("version"))["latest"] or 0


def _tell(article_id, now):
    """The events for one article's due changes (in the caller's transaction)."""
    told = ArticleEvent.objects.filter(article_id=article_id, partner=None).order_by("-seq").first()
    version = _latest_version(article_id)
    article = load_page(article_id, published=False)
    state = article.state if article is not None else None
    url = (
        absolute_url(article.get_absolute_url())
        if article is not None
        else (told.payload["data"]["url"] if told else "")
    )
    told_live = told is not None and told.type in TOLD_LIVE
    if state == Article.State.LIVE:
        document = article_ninjs(article, base_url=base_url())
        fingerprint = _fingerprint(document)
        if not told_live or told.fingerprint != fingerprint:
            kind = Type.UPDATED if told_live else Type.PUBLISHED
            _event(
                kind,
                article_id,
                url=url,
                version=version + 1,
                occurred_at=now,
                fingerprint=fingerprint,
                ninjs_url=_ninjs_url(article_id),
                ninjs=document,
            )
    elif told_live:
        kind = Type.DELETED if article is None else Type.UNPUBLISHED
        gone = tombstone(article_id) or {
            "id": article_id,
            "status": "deleted" if article is None else "withdrawn",
            "since": iso_datetime(now),
            "detail": "Dieser Artikel ist nicht mehr veröffentlicht. Bitte aus Ihrem Angebot entfernen.",
        }
        _event(kind, article_id, url=url, version=version + 1, occurred_at=now, tombstone=gone)
    if state != Article.State.LIVE:
        _withdraw_embargoes(article_id, article, told, url=url, now=now)
    if article is None or article.status != Article.Status.PUBLISHED:
        return
    if state == Article.State.SCHEDULED:
        _tell_embargo(article, url=url, now=now)
    for moment in (article.publish_at, article.unpublish_at):
        if (
            moment is not None
            and moment > now
            and not ArticleChange.objects.filter(article_id=article_id, due_at=moment).exists()
        ):
            ArticleChange.objects.create(article_id=article_id, due_at=moment)


def _told_partners(article_id, told):
    """Each partner's latest event of its own about the article since partners were last told together."""
    events = ArticleEvent.objects.filter(article_id=article_id, partner__isnull=False)
    if told is not None:
        events = events.filter(seq__gt=told.seq)  # a go-live since settled every embargo before it
    return {event.partner_id: event for event in events.select_related("partner").order_by("seq")}


def _withdraw_embargoes(article_id, article, told, *, url, now):
    """Tell each partner told of an embargo that no longer stands that it is withdrawn (or deleted)."""
    embargoes = [event for event in _told_partners(article_id, told).values() if event.type == Type.EMBARGO]
    if not embargoes:
        return
    standing = set()
    if article is not None and article.state == Article.State.SCHEDULED:
        standing = set(article.embargo_partners.filter(is_active=True).values_list("pk", flat=True))
    kind, status, what = (
        (Type.DELETED, "deleted", "gelöscht") if article is None else (Type.UNPUBLISHED, "withdrawn", "zurückgezogen")
    )
    version = _latest_version(article_id)
    for embargo in embargoes:
        if embargo.partner_id in standing:
            continue
        version += 1
        _event(
            kind,
            article_id,
            partner=embargo.partner,
            url=url or embargo.payload["data"]["url"],  # deleted, and never told to everyone: the embargo's
            version=version,
            occurred_at=now,
            tombstone={
                "id": article_id,
                "status": status,
                "since": iso_datetime(now),
                "detail": f"Die Vorabmeldung unter Sperrfrist wurde {what}. Bitte nicht veröffentlichen.",
            },
        )


def _tell_embargo(article, *, url, now):
    partners = Partner.objects.filter(is_active=True, embargoed_articles=article)
    if not partners:
        return
    document = embargoed_ninjs(article, base_url=base_url())
    fingerprint = _fingerprint(document)
    told = ArticleEvent.objects.filter(article_id=article.pk, partner=None).order_by("-seq").first()
    latest = _told_partners(article.pk, told)
    version = _latest_version(article.pk)
    for partner in partners:
        event = latest.get(partner.pk)
        if event is not None and event.type == Type.EMBARGO and event.fingerprint == fingerprint:
            continue  # told of this very version already (a withdrawal since asks for it to be told again)
        version += 1
        _event(
            Type.EMBARGO,
            article.pk,
            partner=partner,
            url=url,
            version=version,
            occurred_at=now,
            fingerprint=fingerprint,
            embargoed_until=iso_datetime(article.publish_at),
            ninjs_url=_ninjs_url(article.pk),
            ninjs=document,
        )


def _lock(article_id):
    """One relay at a time per article, until the transaction ends.

    Taking the entries claims them, but a relay that starts after the next commit could take a
    newer entry while the first is still telling the older one: both would read the same events
    and tell twice. On PostgreSQL a transaction-level advisory lock per article keeps them in turn;
    SQLite lets one writer in at a time anyway.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELAY_LOCK + article_id])


def relay_changes(*, now=None, limit=BATCH):
    """Turn the due outbox entries of up to ``limit`` articles into events; returns how many articles."""
    now = now or timezone.now()
    due = ArticleChange.objects.filter(due_at__lte=now).order_by("due_at", "article_id")
    article_ids = list(dict.fromkeys(due.values_list("article_id", flat=True)[: limit * 4]))[:limit]
    done = 0
    for article_id in article_ids:
        with transaction.atomic():
            _lock(article_id)
            # Taking the entries is the claim: a second relay at the same moment finds none and moves on.
            taken, _ = ArticleChange.objects.filter(article_id=article_id, due_at__lte=now).delete()
            if taken:
                _tell(article_id, now)
                done += 1
    return done


def due_deliveries(*, now=None, limit=BATCH):
    """Pending deliveries whose attempt is due and that no queued task holds (or whose task was lost)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NEWSROOM_WEBHOOK_REQUEUE_AFTER)
    return list(
        WebhookDelivery.objects.filter(
            Q(queued_at__isnull=True) | Q(queued_at__lt=stale),
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
            endpoint__is_active=True,
            endpoint__partner__is_active=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def hand_over(*, now=None, limit=BATCH):
    """Put the due deliveries on the queue; one the queue does not take stays due for the next pass."""
    from newsroom.webhooks.tasks import deliver

    now = now or timezone.now()
    handed = 0
    for delivery_id in due_deliveries(now=now, limit=limit):
        WebhookDelivery.objects.filter(pk=delivery_id).update(queued_at=now)
        try:
            deliver.enqueue(delivery_id)
        except Exception as exc:  # noqa: BLE001 (any backend's connection error: the delivery waits)
            WebhookDelivery.objects.filter(pk=delivery_id, queued_at=now).update(queued_at=None)
            logger.warning("The task queue did not take delivery %s (it stays due): %s", delivery_id, exc)
            break
        handed += 1
    return handed


def relay(*, now=None):
    """One pass: events from due changes, then due deliveries to the queue. Returns ``(articles, deliveries)``."""
    return relay_changes(now=now), hand_over(now=now)
