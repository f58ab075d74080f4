"""The cache's background task: a purge Varnish did not take at once, tried again (``newsroom.caching.purge``)."""

import logging

from django.conf import settings
from django_tasks import task

logger = logging.getLogger("newsroom.caching.purge")

# Nobody waits for it on the queue, but the worker does, and deliveries queue behind it.
RETRY_TIMEOUT = 2


@task()
def purge_again(url, keys, attempt):
    """Attempt ``attempt`` of the purge of ``keys`` at ``url``; the next one is queued if it fails."""
    from newsroom.caching.purge import PURGE_ERRORS, purge_later, send_purge

    if url not in settings.NEWSROOM_VARNISH_URLS:
        return "nicht mehr konfiguriert"  # that Varnish is gone from the settings: nothing to tell
    try:
        send_purge(url, keys, timeout=RETRY_TIMEOUT)
    except PURGE_ERRORS as exc:
        logger.warning("Varnish %s did not take the purge of %s (attempt %d): %s", url, " ".join(keys), attempt, exc)
        purge_later(url, keys, attempt)
        return "fehlgeschlagen"
    return "gelöscht"
