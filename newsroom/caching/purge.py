"""Telling the cache in front that something readers see has changed: purges by surrogate key.

Pages and API responses carry an ``xkey`` header (``newsroom.caching.responses``): the article
page ``article-12 topic-3 clip-5 liveblog-2``, every listing ``listing`` and the clips of its
teasers. When a write changes what one of them shows, its keys are purged once the
transaction commits, through ``NEWSROOM_PURGER``:

- ``newsroom.caching.purge.Purger`` (the default): does nothing; without a cache in front there
  is nothing to tell, and Django's own response cache is keyed by the stamp anyway.
- ``newsroom.caching.purge.VarnishPurger``: a ``PURGE`` request with an ``xkey-purge`` header to
  each of ``NEWSROOM_VARNISH_URLS`` (see ``deploy/varnish/newsroom.vcl``, xkey from
  varnish-modules). It is tried at once, with a short timeout (``NEWSROOM_VARNISH_PURGE_TIMEOUT``),
  so a Varnish that is slow or away holds an editor's save no longer than that; a purge it did
  not take goes to the task queue (``newsroom.caching.tasks.purge_again``), which tries again
  after each of ``NEWSROOM_PURGE_RETRY_DELAYS``: a taken-down article does not stay in the cache
  for its whole max-age because Varnish was restarting when it went.

Which writes purge is decided here, and here only, from the models' ``post_save`` and
``post_delete`` signals, because a purge must follow *every* write path (admin, services,
importer, restore, shell). A purge changes nothing that is stored, it only tells a cache; the
outbox (``newsroom.services.outbox``) is the one other listener, for the same reason. A draft's save purges nothing. A
scheduled go-live or take-down needs no purge: responses around it expire at it.
"""

import datetime as dt
import http.client
import logging
import threading
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
LISTING = "listing"


class Purger:
    """No cache in front: nothing to purge."""

    def purge(self, keys):
        pass


class VarnishPurger(Purger):
    """``PURGE`` with ``xkey-purge: <keys>`` to every Varnish in ``NEWSROOM_VARNISH_URLS``."""

    def __init__(self, urls=None):
        self.urls = list(urls if urls is not None else settings.NEWSROOM_VARNISH_URLS)

    def purge(self, keys):
        for url in self.urls:
            try:
                send_purge(url, keys, timeout=settings.NEWSROOM_VARNISH_PURGE_TIMEOUT)
            except PURGE_ERRORS as exc:
                logger.warning("Varnish %s did not take the purge of %s: %s", url, " ".join(sorted(keys)), exc)
                purge_later(url, keys)


# A Varnish that is away, slow, answers with an error or with garbage (a restart half-way).
PURGE_ERRORS = (OSError, http.client.HTTPException)


def send_purge(url, keys, *, timeout):
    """One ``PURGE`` of ``keys`` to the Varnish at ``url``; raises one of ``PURGE_ERRORS`` unless it answers 2xx."""
    request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(sorted(keys))})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (a configured http URL)
        response.read()


def purge_later(url, keys, attempt=0):
    """Hand the purge of ``keys`` at ``url`` to the task queue for attempt ``attempt + 1``; ``False`` if none is left.

    After the last delay the cache's copies end with their max-age anyway; a queue that is away
    leaves it at that, as a purge Varnish missed did before there was a queue.
    """
    delays = settings.NEWSROOM_PURGE_RETRY_DELAYS
    if attempt >= len(delays):
        logger.error(
            "Varnish %s took no purge of %s in %d attempts; its copies end with their max-age.",
            url,
            " ".join(sorted(keys)),
            attempt + 1,
        )
        return False
    from newsroom.caching.tasks import purge_again

    run_after = timezone.now() + dt.timedelta(seconds=delays[attempt])
    try:
        purge_again.using(run_after=run_after).enqueue(url, sorted(keys), attempt + 1)
    except Exception as exc:  # noqa: BLE001 (any backend's connection error)
        logger.warning("The task queue did not take the purge of %s at %s: %s", " ".join(sorted(keys)), url, exc)
        return False
    return True


_purger = None
_pending = threading.local()


def purger():
    global _purger
    if _purger is None:
        _purger = import_string(settings.NEWSROOM_PURGER)()
    return _purger


def reset_purger():
    """Forget the configured purger and any keys still waiting for a commit (tests, settings changes)."""
    global _purger
    _purger = None
    _pending.keys = set()


def _flush():
    keys = getattr(_pending, "keys", set())
    _pending.keys = set()
    if keys:
        purger().purge(keys)


def purge(*keys):
    """Purge ``keys`` when the current transaction commits (at once outside one); duplicates go once."""
    keys = {key for key in keys if key}
    if not keys:
        return
    if not hasattr(_pending, "keys"):
        _pending.keys = set()
    _pending.keys |= keys
    transaction.on_commit(_flush)


# What each write purges ------------------------------------------------------------------------


def _article_keys(article):
    keys = {f"article-{article.pk}", LISTING}
    if article.topic_id:
        keys.add(f"topic-{article.topic_id}")
    return keys


def is_public_write(article, update_fields):
    # Published (live, planned or past its take-down) or a workflow transition (a take-down
    # leaves it a draft). A draft or review save changes nothing readers see.
    return article.status == "published" or (update_fields is not None and "status" in update_fields)


def article_saved(sender, instance, update_fields=None, **kwargs):
    if is_public_write(instance, update_fields):
        purge(*_article_keys(instance))


def article_deleted(sender, instance, **kwargs):
    if instance.status == "published":
        purge(*_article_keys(instance))


def part_changed(sender, instance, **kwargs):
    """An FAQ item, broadcast mention or liveblog placement of an article."""
    from newsroom.models import Article

    status = Article.objects.filter(pk=instance.article_id).values_list("status", flat=True).first()
    if status == "published":
        purge(f"article-{instance.article_id}", LISTING)


def topic_changed(sender, instance, **kwargs):
    from newsroom.models import Article

    # A topic readers see: one with a published article (a new one made for a draft is not).
    if Article.objects.filter(topic_id=instance.pk, status="published").exists():
        purge(f"topic-{instance.pk}", LISTING)


def clip_changed(sender, instance, **kwargs):
    purge(f"clip-{instance.pk}")


def liveblog_changed(sender, instance, **kwargs):
    purge(f"liveblog-{instance.pk}")


def listen(name, *, article, part, topic, clip, liveblog):
    """Connect ``(saved, deleted)`` handlers to the writes of everything readers see, one pair per kind.

    ``article``: the article; ``part``: its FAQ items, broadcast mentions and liveblog placements;
    ``topic``, ``clip``, ``liveblog`` (a card). The purge and the outbox (``newsroom.services.outbox``)
    both listen to all of them; dispatch uids read ``newsroom.<name>.save.<model label>``.
    """
    from faq.models import FAQItem
    from media_clips.models import VideoClip
    from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic

    kinds = {
        Article: article,
        FAQItem: part,
        BroadcastMention: part,
        ArticleLiveblogLink: part,
        Topic: topic,
        VideoClip: clip,
        LiveblogLink: liveblog,
    }
    for model, (saved, deleted) in kinds.items():
        post_save.connect(saved, sender=model, dispatch_uid=f"newsroom.{name}.save.{model._meta.label}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"newsroom.{name}.delete.{model._meta.label}")


def connect():
    """Listen to the writes that change what readers see (``NewsroomConfig.ready``)."""
    listen(
        "purge",
        article=(article_saved, article_deleted),
        part=(part_changed, part_changed),
        topic=(topic_changed, topic_changed),
        clip=(clip_changed, clip_changed),
        liveblog=(liveblog_changed, liveblog_changed),
    )
