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
            wait_until(lambda: hook.requests, timeout=30, what="a delivery from the worker")
            event = json.loads(hook.requests[0]["body"])
            assert event["type"] == "article.updated"
            assert event["data"]["article_id"] == article_id
            assert event["data"]["ninjs"]["headlines"][0]["value"] == "Vom Worker zugestellt"
        log = (tmp_path / "worker.log").read_text()
        assert "Warteschlange: redis" in log
    finally:
        if worker is not None:
            worker.stop()
        redis.stop()
