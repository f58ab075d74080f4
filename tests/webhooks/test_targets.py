"""No SSRF through a partner's endpoint URL: which receivers Newsroom may send to."""

import pytest
from django.core.exceptions import ValidationError

from newsroom.models import Partner, WebhookDelivery
from newsroom.services import article_publish
from newsroom.webhooks.endpoints import EVENTS, create_endpoint
from newsroom.webhooks.relay import relay
from newsroom.webhooks.sending import attempt
from newsroom.webhooks.targets import validate_target
from tests.factories import ArticleFactory
from tests.webhooks.receivers import receiver

pytestmark = pytest.mark.django_db

PRIVATE = [
    "http://10.0.0.5/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.10:8080/hook",
    "http://127.0.0.1:9000/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
    "http://100.64.0.1/hook",  # carrier-grade NAT
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = []
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize("url", PRIVATE)
def test_in_production_a_target_in_a_private_range_is_refused(production, url):
    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    with pytest.raises(ValidationError) as refused:
        create_endpoint(partner=partner, url=url, events=EVENTS)
    assert "privaten oder reservierten Netz" in " ".join(refused.value.message_dict["url"])
    assert not partner.webhooks.exists()


def test_in_production_a_public_address_is_allowed_and_private_ones_only_by_setting(production, settings):
    validate_target("https://93.184.216.34/hook")
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = True
    validate_target("http://10.0.0.5/hook")
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = False
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["10.0.0.5"]
    validate_target("http://10.0.0.5/hook")
    with pytest.raises(ValidationError):
        validate_target("http://10.0.0.6/hook")


def test_in_development_only_loopback_and_configured_hosts(settings):
    settings.DEBUG = True
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["partner.test"]
    validate_target("http://127.0.0.1:9000/hook")
    validate_target("http://[::1]:9000/hook")
    with pytest.raises(ValidationError, match="nur Empfänger auf diesem Rechner"):
        validate_target("https://93.184.216.34/hook")
    with pytest.raises(ValidationError, match="nur Empfänger auf diesem Rechner"):
        validate_target("http://10.0.0.5/hook")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/hook", "http- oder https-Adresse"),
        ("/relativ", "http- oder https-Adresse"),
        ("http://nutzer:geheim@127.0.0.1/hook", "keine Zugangsdaten"),
        ("http://127.0.0.1:99999/hook", "Port"),
        ("http://gibt-es-nicht.invalid/hook", "lässt sich nicht auflösen"),
    ],
)
def test_a_malformed_target_is_refused_with_what_is_wrong(settings, url, message):
    settings.DEBUG = True
    with pytest.raises(ValidationError, match=message):
        validate_target(url)


@pytest.mark.django_db(transaction=True)
def test_the_target_is_checked_again_before_every_attempt(settings, production):
    """An endpoint saved while its name pointed elsewhere (or a setting since tightened) is not contacted."""
    with receiver() as hook:
        settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
        partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
        create_endpoint(partner=partner, url=hook.url, events=EVENTS)
        article_publish(article=ArticleFactory(draft=True), user=None)
        relay()
        settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = []
        delivery = attempt(WebhookDelivery.objects.get().pk)
        assert hook.requests == []
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.last_error.startswith("Empfänger abgelehnt: Die Adresse 127.0.0.1 liegt in einem privaten")
