"""A webhook receiver on loopback for tests, and draining the task queue in the test's process."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import close_old_connections


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records every POST and answers with the next planned status."""

    def __init__(self):
        self.requests = []
        self.statuses = []  # answered in order; 200 once they are used up
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/newsroom-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def events(self):
        return [json.loads(request["body"]) for request in self.requests]

    def types(self):
        return [event["type"] for event in self.events()]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def receiver():
    server = Receiver()
    try:
        yield server
    finally:
        server.close()


def run_tasks(queue, *, scheduled=False):
    """Run what the queue holds now, in this process (the worker's job, without the worker process).

    ``scheduled``: on RQ, first move the deferred tasks that are due onto the queue (the worker's
    scheduler; the database queue runs due deferred tasks anyway).
    """
    if queue == "redis":
        import django_rq
        from django_tasks_rq.backend import Job
        from rq.worker import SimpleWorker

        worker = django_rq.get_worker("default", "webhooks", worker_class=SimpleWorker, job_class=Job)
        worker.work(burst=True, with_scheduler=scheduled, logging_level="WARNING")
        return
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
    close_old_connections()


def drain(queue, *, until=None, timeout=10, passes=500):
    """Relay and run tasks until ``until()`` is true (or, without it, nothing is left); bounded in passes and time."""
    from newsroom.models import ArticleChange, WebhookDelivery
    from newsroom.webhooks.relay import relay

    deadline = time.monotonic() + timeout
    for _ in range(passes):
        relay()
        run_tasks(queue)
        if until is not None and until():
            return True
        if until is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
            continue
        busy = WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, endpoint__is_active=True, endpoint__partner__is_active=True
        ).exists()
        from django.utils import timezone

        if not busy and not ArticleChange.objects.filter(due_at__lte=timezone.now()).exists():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return until() if until is not None else False
