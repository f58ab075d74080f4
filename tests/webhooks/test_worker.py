"""The worker as it runs beside the web server: ``manage.py run_worker`` on RQ with a Redis of its own."""

import json
import sys

import pytest

from tests.servers import Server, Site, free_port, redis_server, wait_until
from tests.webhooks.receivers import receiver

pytestmark = pytest.mark.django_db  # the test's own database stays empty; the site has its own

PUBLISH = """
from newsroom.models import Article, Partner
from newsroom.services import article_publish
from newsroom.webhooks.endpoints import EVENTS, create_endpoint
create_endpoint(partner=Partner.objects.create(name="Regionalsender Nord", contact_email="t@example.org"),
                url="{url}", events=EVENTS)
article = Article.objects.get()
article_publish(article=article, user=None) if article.status != "published" else None
article.title = "Vom Worker zugestellt"
article.save()
print(article.pk)
"""


def test_run_worker_on_redis_delivers_what_the_site_publishes(tmp_path):
    redis_port = free_port()
    redis = redis_server(redis_port, tmp_path)
    site = Site(
        tmp_path / "site",
        NEWSROOM_TASK_QUEUE="redis",
        NEWSROOM_TASK_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        NEWSROOM_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        NEWSROOM_RELAY_INTERVAL="0.5",
    )
    worker = None
    try:
        with receiver() as hook:
            site.manage("migrate", "--noinput")
            site.manage("load_demo", "--base-url", "http://127.0.0.1:8000")
            worker = Server([sys.executable, "manage.py", "run_worker"], env=site.env, log=tmp_path / "worker.log")
            article_id = int(site.python(PUBLISH.format(url=hook.url)).splitlines()[-1])

            def told():
                events = [json.loads(request["body"]) for request in hook.requests]
                titles = [event["data"]["ninjs"]["headlines"][0]["value"] for event in events]
                return events if "Vom Worker zugestellt" in titles else None

            # The demo went live before the endpoint existed: if the worker's relay had not told that yet,
            # the endpoint hears the go-live too (alone, when one pass tells both), and then the edit.
            events = wait_until(told, timeout=30, what="a delivery of the edit from the worker")
            assert [event["data"]["article_id"] for event in events] == [article_id] * len(events)
            assert [event["type"] for event in events] in (
                ["article.updated"],
                ["article.published"],
                ["article.published", "article.updated"],
            )
        log = (tmp_path / "worker.log").read_text()
        assert "Warteschlange: redis" in log
    finally:
        if worker is not None:
            worker.stop()
        redis.stop()


ENDPOINT = """
from newsroom.models import Partner
from newsroom.webhooks.endpoints import EVENTS, create_endpoint
partner = Partner.objects.create(name="Regionalsender Nord", contact_email="t@example.org")
print(create_endpoint(partner=partner, url="{url}", events=EVENTS).secret)
"""


def test_publishing_the_demo_in_the_embedded_default_delivers_to_a_receiver(tmp_path):
    """SQLite, the database queue, ``run_worker`` as ``make run`` starts it: load_demo publishes, partners hear it."""
    from standardwebhooks.webhooks import Webhook

    site = Site(tmp_path / "site", DJANGO_DEBUG="1", NEWSROOM_RELAY_INTERVAL="0.5")
    worker = None
    try:
        with receiver() as hook:
            site.manage("migrate", "--noinput")
            secret = site.python(ENDPOINT.format(url=hook.url)).splitlines()[-1]
            worker = Server([sys.executable, "manage.py", "run_worker"], env=site.env, log=tmp_path / "worker.log")
            site.manage("load_demo", "--base-url", "http://127.0.0.1:8000")
            wait_until(lambda: hook.requests, timeout=30, what="a delivery from the worker")
            request = hook.requests[0]
            event = Webhook(secret).verify(request["body"].decode(), request["headers"])
            assert event["type"] == "article.published"
            assert event["data"]["ninjs"]["headlines"][0]["value"].startswith("Wie die")
        assert "Warteschlange: database" in (tmp_path / "worker.log").read_text()
    finally:
        if worker is not None:
            worker.stop()
