"""The background tasks (Django's Tasks API; the django-tasks backport until Newsroom runs on Django 6)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="webhooks")
def deliver(delivery_id):
    """One attempt of one webhook delivery (``newsroom.webhooks.sending``)."""
    from newsroom.webhooks.sending import attempt

    delivery = attempt(delivery_id)
    return None if delivery is None else delivery.status


@task()
def relay_outbox():
    """One relay pass (``newsroom.webhooks.relay``), queued after each commit that noted a change."""
    from newsroom.webhooks.relay import relay

    articles, deliveries = relay()
    return {"articles": articles, "deliveries": deliveries}


def relay_soon():
    """Queue a relay pass (after a commit that noted a change); a queue that is down only delays it."""
    try:
        relay_outbox.enqueue()
    except Exception as exc:  # noqa: BLE001 (any backend's connection error)
        logger.warning("The task queue did not take the relay pass (the worker's own pass follows): %s", exc)
