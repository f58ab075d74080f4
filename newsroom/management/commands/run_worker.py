"""``manage.py run_worker``: the background worker beside the web server (``make run`` starts it).

It runs the queue's own worker for the configured backend (``NEWSROOM_TASK_QUEUE``: the
database queue's, or RQ's on Redis) and, beside it, the outbox relay every
``NEWSROOM_RELAY_INTERVAL`` seconds, so changes are told even when the task queued after their
commit was lost.
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger("newsroom.webhooks")


def relay_loop(stop, interval):
    from newsroom.webhooks.relay import relay

    while not stop.is_set():
        close_old_connections()
        try:
            relay()
        except Exception:  # a database or queue that is away: the next pass tries again
            logger.exception("Relay pass failed; trying again in %s s", interval)
        stop.wait(interval)
    connection.close()


class Command(BaseCommand):
    help = "Startet den Hintergrund-Worker: Webhook-Zustellungen und die Weitergabe von Änderungen an Partner."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=None, help="Sekunden zwischen zwei Durchläufen.")

    def handle(self, *args, interval=None, verbosity=1, **options):
        interval = interval or settings.NEWSROOM_RELAY_INTERVAL
        stop = threading.Event()
        relay = threading.Thread(target=relay_loop, args=(stop, interval), name="newsroom-relay", daemon=True)
        relay.start()
        backend = settings.NEWSROOM_TASK_QUEUE
        self.stdout.write(f"Worker läuft (Warteschlange: {backend}, Weitergabe alle {interval:g} s).")
        try:
            if backend == "redis":
                call_command(
                    "rqworker",
                    "default",
                    "webhooks",
                    worker_class="rq.worker.SimpleWorker",
                    job_class="django_tasks_rq.backend.Job",
                    with_scheduler=True,
                )
            else:
                call_command("db_worker", queue_name="*", interval=min(interval, 1), reload=False, verbosity=verbosity)
        finally:
            stop.set()
            relay.join(timeout=interval + 5)
