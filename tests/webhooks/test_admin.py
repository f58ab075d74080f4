"""Webhooks in the admin: a new endpoint's secret shown once, a refused target, the log's "Erneut senden"."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from newsroom.models import Partner, WebhookDelivery, WebhookEndpoint
from newsroom.roles import REDAKTION
from newsroom.services import article_publish
from newsroom.webhooks.endpoints import EVENTS, create_endpoint
from tests.factories import ArticleFactory
from tests.webhooks.receivers import drain, receiver

ADD = "/admin/newsroom/webhookendpoint/add/"
DELIVERIES = "/admin/newsroom/webhookdelivery/"


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_a_new_endpoints_secret_is_shown_once(admin_client, partner, settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    response = admin_client.post(
        ADD,
        {
            "partner": partner.pk,
            "url": "http://127.0.0.1:9000/hook",
            "events": ["article.published"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published"]
    assert endpoint.secret.startswith("whsec_")
    Webhook(endpoint.secret)  # a secret the library takes
    shown = admin_client.get(response["Location"]).content.decode()  # the page after saving, with its message
    assert shown.count(endpoint.secret) == 1 and "nicht noch einmal angezeigt" in shown
    page = admin_client.get(f"/admin/newsroom/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret not in page
    assert endpoint.secret not in admin_client.get(f"/admin/newsroom/partner/{partner.pk}/change/").content.decode()


@pytest.mark.django_db
def test_a_target_in_a_private_network_is_refused_in_the_form(admin_client, partner):
    response = admin_client.post(
        ADD, {"partner": partner.pk, "url": "http://10.1.2.3/hook", "events": EVENTS, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "privaten oder reservierten Netz" in response.content.decode()
    response = admin_client.post(ADD, {"partner": partner.pk, "url": "https://93.184.216.34/hook", "is_active": "on"})
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_delivery_log_shows_each_attempt_and_sends_again(admin_client, partner, settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_WEBHOOK_RETRY_DELAYS = [0.05]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}}
    with receiver() as hook:
        hook.statuses = [500, 502]
        endpoint = create_endpoint(partner=partner, url=hook.url, events=EVENTS)
        article_publish(article=ArticleFactory(draft=True), user=None)
        drain("database", until=lambda: WebhookDelivery.objects.filter(status="failed").exists())
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 2, 502)

        log = admin_client.get(DELIVERIES).content.decode()
        assert "article.published" in log and "Fehlgeschlagen" in log and "502" in log
        detail = admin_client.get(f"{DELIVERIES}{delivery.pk}/change/").content.decode()
        assert "Der Empfänger antwortete mit HTTP 502." in detail
        assert str(delivery.event.id) in detail

        # Switched off after its failure: sending again waits until it is switched on.
        response = admin_client.post(DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]})
        assert any("abgeschalteten Webhook" in text for text in messages_of(response))
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True)
        response = admin_client.post(DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]})
        assert any("erneut gesendet" in text for text in messages_of(response))
        assert drain("database", until=lambda: len(hook.requests) == 3)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_code) == ("delivered", 200)
        assert len({request["headers"]["webhook-id"] for request in hook.requests}) == 1


@pytest.mark.django_db
def test_the_start_page_names_switched_off_webhooks_to_those_who_can_switch_them_on(
    admin_client, client, partner, django_user_model, settings
):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    endpoint = create_endpoint(partner=partner, url="http://127.0.0.1:9/hook", events=EVENTS)
    section = "Abgeschaltete Webhooks"
    assert "Kein Webhook eines Partners ist abgeschaltet." in admin_client.get("/admin/").text

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason="Nach 8 Versuchen nicht erreichbar."
    )
    page = admin_client.get("/admin/").text
    listed = page[page.index(section) :]
    assert f'href="/admin/newsroom/webhookendpoint/{endpoint.pk}/change/"' in listed
    assert "Regionalsender Nord: http://127.0.0.1:9/hook" in listed
    assert "Nach 8 Versuchen nicht erreichbar. Zustellungen, die schon ausstanden, warten" in listed
    assert "Änderungs-Feed" in listed  # what happens meanwhile is not delivered later: where the partner finds it

    editor = django_user_model.objects.create_user("redakteurin", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name=REDAKTION))
    client.force_login(editor)
    assert section not in client.get("/admin/").text  # an editor cannot switch it on: not her list
