"""Partners are told: signed webhook deliveries for every change they must hear about, on both queues.

Every test runs twice (``queue``: the database queue, and RQ on a Redis of its own) against a
receiver on loopback; the queue is drained in the test's process (``receivers.drain``).
"""

import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from newsroom.models import Article, ArticleEvent, Partner, PartnerAPIKey, WebhookDelivery
from newsroom.services import article_publish, article_schedule_unpublish, article_unpublish, outbox
from newsroom.webhooks.endpoints import EVENTS, create_endpoint
from newsroom.webhooks.relay import relay
from tests.factories import ArticleFactory, FAQItemFactory
from tests.webhooks.receivers import drain, receiver, run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hook():
    with receiver() as server:
        yield server


@pytest.fixture
def endpoint(hook):
    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    return create_endpoint(partner=partner, url=hook.url, events=EVENTS)


def delivered(hook, count):
    return lambda: len(hook.requests) >= count


def verify(endpoint, request):
    """The payload as the standardwebhooks library verifies it (raises if the signature is wrong)."""
    return Webhook(endpoint.secret).verify(request["body"].decode(), request["headers"])


def test_publishing_sends_one_signed_article_published(queue, hook, endpoint):
    article = ArticleFactory(draft=True, title="Was der Gipfel in Paris bringt")
    FAQItemFactory(article=article, question="Wer kommt?")
    article_publish(article=article, user=None)

    assert drain(queue, until=delivered(hook, 1))
    drain(queue)  # nothing more follows
    assert len(hook.requests) == 1
    request = hook.requests[0]
    payload = verify(endpoint, request)
    assert payload["type"] == "article.published"
    assert request["headers"]["webhook-id"] == payload["id"]
    data = payload["data"]
    assert data["article_id"] == article.pk
    assert data["url"] == "http://testserver" + article.get_absolute_url()
    assert data["version"] == 1
    assert data["ninjs"]["headlines"][0]["value"] == "Was der Gipfel in Paris bringt"
    assert data["ninjs_url"] == f"http://testserver/api/v1/articles/{article.pk}/ninjs/"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_a_tampered_delivery_does_not_verify(queue, hook, endpoint):
    article_publish(article=ArticleFactory(draft=True), user=None)
    assert drain(queue, until=delivered(hook, 1))
    request = dict(hook.requests[0])
    request["body"] = request["body"].replace(b"article.published", b"article.deleted")
    with pytest.raises(Exception, match="signature"):
        verify(endpoint, request)


def test_an_edit_of_a_live_article_is_article_updated_a_draft_edit_is_nothing(queue, hook, endpoint):
    live = ArticleFactory(draft=True)
    article_publish(article=live, user=None)
    assert drain(queue, until=delivered(hook, 1))

    draft = ArticleFactory(draft=True)
    draft.title = "Noch geheim"
    draft.save()
    FAQItemFactory(article=draft)
    live.title = "Neuer Titel"
    live.save()
    assert drain(queue, until=delivered(hook, 2))
    drain(queue)
    assert hook.types() == ["article.published", "article.updated"]
    updated = verify(endpoint, hook.requests[1])
    assert updated["data"]["article_id"] == live.pk
    assert updated["data"]["version"] == 2
    assert updated["data"]["ninjs"]["headlines"][0]["value"] == "Neuer Titel"
    assert "Noch geheim" not in json.dumps(hook.events())

    time.sleep(1.1)  # a later save moves versionCreated (whole seconds), which is no change to tell
    live.save()
    drain(queue)
    assert len(hook.requests) == 2


def test_a_take_down_is_article_unpublished_with_a_tombstone_and_a_delete_article_deleted(queue, hook, endpoint):
    article = ArticleFactory(draft=True)
    other = ArticleFactory(draft=True)
    article_publish(article=article, user=None)
    article_publish(article=other, user=None)
    assert drain(queue, until=delivered(hook, 2))

    article_unpublish(article=article, user=None, reason="Rechtliche Prüfung")
    assert drain(queue, until=delivered(hook, 3))
    taken_down = verify(endpoint, hook.requests[2])
    assert taken_down["type"] == "article.unpublished"
    assert taken_down["data"]["article_id"] == article.pk
    assert taken_down["data"]["tombstone"]["status"] == "withdrawn"
    assert "ninjs" not in taken_down["data"]

    Article.objects.get(pk=other.pk).delete()
    assert drain(queue, until=delivered(hook, 4))
    deleted = verify(endpoint, hook.requests[3])
    assert deleted["type"] == "article.deleted"
    assert deleted["data"]["article_id"] == other.pk
    assert deleted["data"]["tombstone"] == {
        "id": other.pk,
        "status": "deleted",
        "since": deleted["data"]["tombstone"]["since"],
        "detail": "Dieser Artikel wurde gelöscht. Bitte aus Ihrem Angebot entfernen.",
    }

    # Deleting a draft that was never public tells nobody anything.
    ArticleFactory(draft=True).delete()
    drain(queue)
    assert len(hook.requests) == 4


def test_a_receiver_failing_three_times_gets_the_same_event_after_retries(queue, hook, endpoint):
    hook.statuses = [500, 500, 500]
    article_publish(article=ArticleFactory(draft=True), user=None)

    assert drain(queue, until=delivered(hook, 4))
    drain(queue)
    assert len(hook.requests) == 4
    ids = {request["headers"]["webhook-id"] for request in hook.requests}
    assert len(ids) == 1
    assert {verify(endpoint, request)["id"] for request in hook.requests} == ids
    assert ArticleEvent.objects.count() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.last_error) == (
        "delivered",
        4,
        200,
        "",
    )


def test_an_endpoint_that_keeps_failing_is_switched_off_and_superusers_are_told(
    queue, hook, endpoint, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    hook.statuses = [503] * 10
    article_publish(article=ArticleFactory(draft=True), user=None)

    drain(queue, until=lambda: WebhookDelivery.objects.filter(status="failed").exists())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 5, 503)
    assert delivery.last_error == "Der Empfänger antwortete mit HTTP 503."
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "Nach 5 Versuchen" in endpoint.disabled_reason
    assert [message.to for message in mail.outbox] == [["admin@example.org"]]
    assert "Regionalsender Nord" in mail.outbox[0].subject
    assert endpoint.url in mail.outbox[0].body

    # Nothing more goes to a switched-off endpoint.
    article_publish(article=ArticleFactory(draft=True), user=None)
    drain(queue)
    assert len(hook.requests) == 5


def test_nothing_is_lost_when_the_queue_is_away_while_publishing(queue, hook, endpoint, request):
    """The event is written with the change; the queue being away only delays its delivery."""
    from django_tasks_db.models import DBTaskResult

    article = ArticleFactory(draft=True)
    if queue == "redis":
        server, port, folder = request.node.redis
        server.stop()
        article_publish(article=article, user=None)  # the editor's publish succeeds regardless
        relay()  # the worker's relay pass runs; the queue refuses the deliveries, which stay due
        assert WebhookDelivery.objects.get().queued_at is None
        assert hook.requests == []
        from tests.servers import redis_server

        request.node.redis = (redis_server(port, folder), port, folder)
    else:
        article_publish(article=article, user=None)
        # The queued relay pass is lost (as a crashed or wiped queue would lose it).
        DBTaskResult.objects.all().delete()
    assert Article.objects.published().filter(pk=article.pk).exists()

    assert drain(queue, until=delivered(hook, 1))
    assert verify(endpoint, hook.requests[0])["type"] == "article.published"


def test_a_planned_go_live_and_take_down_are_told_when_they_come(queue, hook, endpoint):
    article = ArticleFactory(draft=True)
    now = timezone.now()
    article_publish(article=article, user=None, at=now + dt.timedelta(seconds=2))
    article_schedule_unpublish(article=article, user=None, at=now + dt.timedelta(seconds=4))
    relay()
    run_tasks(queue)
    assert hook.requests == []  # scheduled: nothing to tell yet

    assert drain(queue, until=delivered(hook, 1), timeout=8)
    assert hook.types() == ["article.published"]
    assert drain(queue, until=delivered(hook, 2), timeout=8)
    assert hook.types() == ["article.published", "article.unpublished"]


def test_only_chosen_events_are_sent(queue, hook):
    partner = Partner.objects.create(name="Nur Rücknahmen", contact_email="x@example.org")
    create_endpoint(partner=partner, url=hook.url, events=["article.unpublished"])
    article = ArticleFactory(draft=True)
    article_publish(article=article, user=None)
    drain(queue)
    assert hook.requests == []
    article_unpublish(article=article, user=None)
    assert drain(queue, until=delivered(hook, 1))
    assert hook.types() == ["article.unpublished"]


def test_an_embargo_is_told_to_the_released_partner_alone_and_the_go_live_to_everyone(queue, hook, endpoint):
    with receiver() as other_hook:
        other = Partner.objects.create(name="Agentur Süd", contact_email="technik@sued.example")
        create_endpoint(partner=other, url=other_hook.url, events=EVENTS)
        article = ArticleFactory(draft=True, title="Sperrfrist bis zum Gipfel")
        go_live = timezone.now() + dt.timedelta(seconds=5)
        article_publish(article=article, user=None, at=go_live)
        article.embargo_partners.add(other)

        assert drain(queue, until=delivered(other_hook, 1))
        assert hook.requests == []
        embargo = other_hook.events()[0]
        assert embargo["type"] == "article.embargo"
        assert embargo["data"]["embargoed_until"] == embargo["data"]["ninjs"]["embargoedUntil"]
        assert embargo["data"]["ninjs"]["headlines"][0]["value"] == "Sperrfrist bis zum Gipfel"

        assert drain(queue, until=lambda: len(hook.requests) == 1 and len(other_hook.requests) == 2, timeout=15)
        assert hook.types() == ["article.published"]
        assert other_hook.types() == ["article.embargo", "article.published"]
        embargo_version, published_version = (event["data"]["version"] for event in other_hook.events())
        assert published_version > embargo_version  # one count per article: the go-live is the newer news
        assert "embargoedUntil" not in other_hook.events()[1]["data"]["ninjs"]


def test_an_embargo_that_no_longer_stands_is_withdrawn_for_the_partners_told_of_it(queue, hook, endpoint):
    """Partners hold an embargoed text to publish at the go-live: taken back, it must be withdrawn, to them alone."""
    with receiver() as south_hook, receiver() as west_hook:
        south = Partner.objects.create(name="Agentur Süd", contact_email="technik@sued.example")
        west = Partner.objects.create(name="Agentur West", contact_email="technik@west.example")
        create_endpoint(partner=south, url=south_hook.url, events=EVENTS)
        west_endpoint = create_endpoint(partner=west, url=west_hook.url, events=EVENTS)
        article = ArticleFactory(draft=True, title="Sperrfrist bis zum Gipfel")
        article_publish(article=article, user=None, at=timezone.now() + dt.timedelta(hours=2))
        article.embargo_partners.add(south, west)
        assert drain(queue, until=lambda: len(south_hook.requests) == 1 and len(west_hook.requests) == 1)

        article.embargo_partners.remove(west)  # West is taken off the embargo
        assert drain(queue, until=delivered(west_hook, 2))
        assert west_hook.types() == ["article.embargo", "article.unpublished"]
        withdrawn = verify(west_endpoint, west_hook.requests[1])
        assert withdrawn["data"]["tombstone"]["status"] == "withdrawn"
        assert "Bitte nicht veröffentlichen" in withdrawn["data"]["tombstone"]["detail"]
        assert "ninjs" not in withdrawn["data"]

        article_unpublish(article=article, user=None)  # the whole article is taken back before its go-live
        assert drain(queue, until=delivered(south_hook, 2))
        assert drain(queue)
        assert south_hook.types() == ["article.embargo", "article.unpublished"]
        assert west_hook.types() == ["article.embargo", "article.unpublished"]  # told once, not twice
        assert hook.requests == []  # a partner never told of it hears nothing of its withdrawal
        versions = [event["data"]["version"] for event in south_hook.events()]
        assert versions == sorted(set(versions))


def test_a_deleted_embargoed_article_is_deleted_for_the_released_partner_alone(queue, hook, endpoint, client):
    released = PartnerAPIKey.objects.create_key(partner=endpoint.partner, name="Produktion")[1]
    other = PartnerAPIKey.objects.create_key(
        partner=Partner.objects.create(name="Agentur Süd", contact_email="a@sued.example"), name="Produktion"
    )[1]
    article = ArticleFactory(draft=True)
    article_publish(article=article, user=None, at=timezone.now() + dt.timedelta(hours=2))
    article.embargo_partners.add(endpoint.partner)
    assert drain(queue, until=delivered(hook, 1))
    url = hook.events()[0]["data"]["url"]
    article_id = article.pk
    article.delete()
    assert drain(queue, until=delivered(hook, 2))
    assert hook.types() == ["article.embargo", "article.deleted"]
    deleted = hook.events()[1]["data"]
    assert deleted["tombstone"]["status"] == "deleted"
    assert deleted["url"] == url  # never told to everyone: the address the embargo gave

    for path in (f"/api/v1/articles/{article_id}/", f"/api/v1/articles/{article_id}/ninjs/"):
        gone = client.get(path, HTTP_AUTHORIZATION=f"Api-Key {released}")
        assert (gone.status_code, gone.json()) == (410, deleted["tombstone"])
        assert client.get(path, HTTP_AUTHORIZATION=f"Api-Key {other}").status_code == 404  # never public


def test_a_partner_released_again_after_a_withdrawal_is_told_again_and_a_go_live_settles_the_embargo(
    queue, hook, endpoint
):
    article = ArticleFactory(draft=True)
    article_publish(article=article, user=None, at=timezone.now() + dt.timedelta(hours=2))
    article.embargo_partners.add(endpoint.partner)
    assert drain(queue, until=delivered(hook, 1))
    article.embargo_partners.remove(endpoint.partner)
    assert drain(queue, until=delivered(hook, 2))
    article.embargo_partners.add(endpoint.partner)
    assert drain(queue, until=delivered(hook, 3))
    assert hook.types() == ["article.embargo", "article.unpublished", "article.embargo"]

    # The go-live comes (brought forward, as the clock would bring it).
    past = timezone.now() - dt.timedelta(seconds=1)
    Article.objects.filter(pk=article.pk).update(publish_at=past, first_published_at=past)
    outbox.note(article.pk)
    assert drain(queue, until=delivered(hook, 4))
    article_unpublish(article=article, user=None)
    assert drain(queue, until=delivered(hook, 5))
    assert drain(queue)
    # After the go-live the take-down is everyone's: one article.unpublished, not one more for the old embargo.
    assert hook.types() == [
        "article.embargo",
        "article.unpublished",
        "article.embargo",
        "article.published",
        "article.unpublished",
    ]


def test_a_deactivated_partner_is_sent_nothing(queue, hook, endpoint):
    article_publish(article=ArticleFactory(draft=True), user=None)
    relay()  # the delivery is written while the partner is still active
    Partner.objects.filter(pk=endpoint.partner_id).update(is_active=False)
    drain(queue)
    assert hook.requests == []
    assert WebhookDelivery.objects.get().status == "pending"  # kept: sent if the partner is switched on again
    Partner.objects.filter(pk=endpoint.partner_id).update(is_active=True)
    assert drain(queue, until=delivered(hook, 1))
