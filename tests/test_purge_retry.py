"""A purge Varnish does not take at once is not lost: the save stands, and the task queue tries it again.

A small HTTP server on loopback stands in for Varnish and records every ``PURGE`` with its
``xkey-purge`` header; the database queue is drained in the test's process.
"""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from newsroom.caching import purge
from newsroom.models import Article
from tests.factories import ArticleFactory
from tests.servers import free_port
from tests.webhooks.receivers import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


class FakeVarnish:
    """Answers ``PURGE`` on ``port`` with the next planned status (200 once they are used up)."""

    def __init__(self, port, statuses=()):
        self.purged = []
        self.statuses = list(statuses)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                fake.purged.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(fake.statuses.pop(0) if fake.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def varnish_port(settings):
    port = free_port()
    settings.NEWSROOM_PURGER = "newsroom.caching.purge.VarnishPurger"
    settings.NEWSROOM_VARNISH_URLS = [f"http://127.0.0.1:{port}"]
    settings.NEWSROOM_VARNISH_PURGE_TIMEOUT = 0.5
    settings.NEWSROOM_PURGE_RETRY_DELAYS = [0, 0, 0]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}}
    purge.reset_purger()
    yield port
    purge.reset_purger()


def queued_purges():
    return list(
        DBTaskResult.objects.filter(task_path="newsroom.caching.tasks.purge_again", status="READY").values_list(
            "args_kwargs", flat=True
        )
    )


def test_a_purge_varnish_missed_is_sent_again_from_the_queue_and_the_save_stands(varnish_port):
    article = ArticleFactory(title="Gipfel in Paris")  # Varnish is away: nothing answers on its port
    DBTaskResult.objects.all().delete()

    article.teaser = "Die Staats- und Regierungschefs beraten."
    article.save()

    assert Article.objects.get(pk=article.pk).teaser == "Die Staats- und Regierungschefs beraten."
    [queued] = queued_purges()
    assert f"article-{article.pk}" in queued["args"][1]

    varnish = FakeVarnish(varnish_port)  # Varnish is back
    try:
        run_tasks("database")
    finally:
        varnish.close()
    assert len(varnish.purged) == 1
    assert {f"article-{article.pk}", "listing"} <= varnish.purged[0]
    assert queued_purges() == []


def test_a_varnish_that_keeps_refusing_is_tried_a_bounded_number_of_times_then_logged(varnish_port, caplog):
    varnish = FakeVarnish(varnish_port)
    try:
        article = ArticleFactory(title="Gipfel in Paris")
        varnish.purged.clear()
        varnish.statuses = [503] * 10

        with caplog.at_level(logging.WARNING, logger="newsroom.caching.purge"):
            article.teaser = "Neu."
            article.save()
            run_tasks("database")
    finally:
        varnish.close()

    # At once, then once after each of the three delays; then it is given up and said so.
    assert len(varnish.purged) == 4
    assert all(f"article-{article.pk}" in keys for keys in varnish.purged)
    assert queued_purges() == []
    [given_up] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "in 4 attempts" in given_up.getMessage()
    assert f"article-{article.pk}" in given_up.getMessage()


def test_a_varnish_that_does_not_answer_holds_the_save_only_for_the_timeout(varnish_port, settings):
    """It takes the connection and never answers: the save goes on after the timeout, the purge goes to the queue."""
    settings.NEWSROOM_VARNISH_PURGE_TIMEOUT = 0.2
    silent = socket.socket()
    silent.bind(("127.0.0.1", varnish_port))
    silent.listen(8)
    try:
        article = ArticleFactory(title="Gipfel in Paris")
        DBTaskResult.objects.all().delete()
        article.teaser = "Neu."
        article.save()
        assert Article.objects.get(pk=article.pk).teaser == "Neu."
        [queued] = queued_purges()
        assert f"article-{article.pk}" in queued["args"][1]
        assert queued["args"][2] == 1
    finally:
        silent.close()


def test_a_purge_for_a_varnish_no_longer_configured_is_dropped(varnish_port, settings):
    ArticleFactory(title="Gipfel in Paris")  # nothing answers: one purge queued
    assert len(queued_purges()) == 1
    settings.NEWSROOM_VARNISH_URLS = []
    run_tasks("database")
    assert queued_purges() == []
    assert DBTaskResult.objects.get(task_path="newsroom.caching.tasks.purge_again").return_value == (
        "nicht mehr konfiguriert"
    )
