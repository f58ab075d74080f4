"""A purge Varnish does not take at once is not lost: the save stands, and the task queue tries it again.

A small HTTP server on loopback stands in for Varnish and records every ``PURGE`` with its
``xkey-purge`` header. Every test runs on the database queue and on RQ (``queue``), drained in
the test's process.
"""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks.signals import task_enqueued

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


PURGE_AGAIN = "newsroom.caching.tasks.purge_again"


@pytest.fixture
def varnish_port(settings, queue):
    port = free_port()
    settings.NEWSROOM_PURGER = "newsroom.caching.purge.VarnishPurger"
    settings.NEWSROOM_VARNISH_URLS = [f"http://127.0.0.1:{port}"]
    settings.NEWSROOM_VARNISH_PURGE_TIMEOUT = 0.5
    settings.NEWSROOM_PURGE_RETRY_DELAYS = [0, 0, 0]
    purge.reset_purger()
    yield port
    purge.reset_purger()


@pytest.fixture
def enqueued():
    """The purges handed to the queue during the test, as task results."""
    results = []

    def note(sender, task_result, **kwargs):
        if task_result.task.module_path == PURGE_AGAIN:
            results.append(task_result)

    task_enqueued.connect(note, dispatch_uid="test-purge-enqueued")
    yield results
    task_enqueued.disconnect(dispatch_uid="test-purge-enqueued")


def waiting(results):
    """The args of the purges still waiting on the queue."""
    for result in results:
        result.refresh()
    return [list(result.args) for result in results if result.status == "READY"]


def run_purges(queue, until, passes=20):
    """Run the queue (its due deferred tasks too) until ``until()``; bounded in passes."""
    for _ in range(passes):
        run_tasks(queue, scheduled=True)
        if until():
            return True
    return False


def test_a_purge_varnish_missed_is_sent_again_from_the_queue_and_the_save_stands(queue, varnish_port, enqueued):
    varnish = FakeVarnish(varnish_port)
    article = ArticleFactory(title="Gipfel in Paris")
    varnish.close()  # Varnish goes away (a restart)

    article.teaser = "Die Staats- und Regierungschefs beraten."
    article.save()

    assert Article.objects.get(pk=article.pk).teaser == "Die Staats- und Regierungschefs beraten."
    [(url, keys, attempt)] = waiting(enqueued)
    assert (url, attempt) == (f"http://127.0.0.1:{varnish_port}", 1)
    assert f"article-{article.pk}" in keys

    varnish = FakeVarnish(varnish_port)  # Varnish is back
    try:
        assert run_purges(queue, until=lambda: len(varnish.purged) == 1)
    finally:
        varnish.close()
    assert {f"article-{article.pk}", "listing"} <= varnish.purged[0]
    assert waiting(enqueued) == []


def test_a_varnish_that_keeps_refusing_is_tried_a_bounded_number_of_times_then_logged(
    queue, varnish_port, enqueued, caplog
):
    varnish = FakeVarnish(varnish_port)
    try:
        article = ArticleFactory(title="Gipfel in Paris")
        varnish.purged.clear()
        varnish.statuses = [503] * 10

        with caplog.at_level(logging.WARNING, logger="newsroom.caching.purge"):
            article.teaser = "Neu."
            article.save()

            def given_up():
                return [record for record in caplog.records if record.levelno == logging.ERROR]

            assert run_purges(queue, until=given_up)
    finally:
        varnish.close()

    # At once, then once after each of the three delays; then it is given up and said so.
    assert len(varnish.purged) == 4
    assert all(f"article-{article.pk}" in keys for keys in varnish.purged)
    assert [attempt for _, _, attempt in (result.args for result in enqueued)] == [1, 2, 3]
    assert waiting(enqueued) == []
    [message] = [record.getMessage() for record in given_up()]
    assert "in 4 attempts" in message and f"article-{article.pk}" in message


def answering_garbage(port):
    """A Varnish half-way through a restart: takes the connection, answers no HTTP, hangs up."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(8)

    def serve():
        for _ in range(4):  # the two saves' purges, bounded
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(b"garbage\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return server


@pytest.mark.parametrize("varnish", ["silent", "garbage"])
def test_a_varnish_that_does_not_answer_properly_leaves_the_save_standing_and_the_purge_to_the_queue(
    queue, varnish_port, enqueued, settings, varnish
):
    """Silent: it takes the connection and never answers (the save goes on after the timeout); or garbage."""
    settings.NEWSROOM_VARNISH_PURGE_TIMEOUT = 0.2
    if varnish == "silent":
        silent = socket.socket()
        silent.bind(("127.0.0.1", varnish_port))
        silent.listen(8)
    else:
        silent = answering_garbage(varnish_port)
    try:
        article = ArticleFactory(title="Gipfel in Paris")
        article.teaser = "Neu."
        article.save()
        assert Article.objects.get(pk=article.pk).teaser == "Neu."
        queued = waiting(enqueued)
        assert len(queued) == 2  # the first save's purge and the edit's
        assert all(f"article-{article.pk}" in keys and attempt == 1 for _, keys, attempt in queued)
    finally:
        silent.close()


def test_a_purge_for_a_varnish_no_longer_configured_is_dropped(queue, varnish_port, enqueued, settings):
    ArticleFactory(title="Gipfel in Paris")  # nothing answers: one purge queued
    assert len(waiting(enqueued)) == 1
    settings.NEWSROOM_VARNISH_URLS = []
    assert run_purges(queue, until=lambda: not waiting(enqueued))
    [result] = enqueued
    assert result.return_value == "nicht mehr konfiguriert"
