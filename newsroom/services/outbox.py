"""The outbox: every write that may change what partners were told leaves an ``ArticleChange``.

It is written by the models' signals, inside the writing transaction, so it follows every
write path (the admin, the workflow, corrections, restore, the importer, deletes, the shell)
and is committed or rolled back with the change itself: nothing a partner should hear about
is lost between the commit and the queue. The relay (``newsroom.webhooks.relay``) reads the
entries once they are due, compares the article with what partners were last told and writes
the events. Like ``newsroom.caching.purge`` it listens to signals because it must follow
every write; it only notes *that* an article changed, the relay decides *what* changed.

A draft's own edits leave nothing (partners never saw it); a transition, a published
article's edit, an embargo's release and a delete of a published article do.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.module_loading import import_string

from newsroom.caching.purge import is_public_write, listen
from newsroom.models import Article, ArticleChange

PUBLISHED = Article.Status.PUBLISHED


def note(*article_ids):
    """Note that the articles ``article_ids`` may have changed for partners; once per article and transaction."""
    ids = {int(pk) for pk in article_ids if pk is not None}
    pending, level = _pending()
    fresh = sorted(pk for pk in ids if (level, pk) not in pending.noted) if pending else sorted(ids)
    if not fresh:
        return
    now = timezone.now()
    ArticleChange.objects.bulk_create([ArticleChange(article_id=pk, due_at=now) for pk in fresh])
    if pending is None:
        pending = _RelaySoon()
        transaction.on_commit(pending)
    pending.noted |= {(level, pk) for pk in fresh}


class _RelaySoon:
    """Registered once per transaction: asks for a relay pass when it commits (nothing, if it rolls back).

    It remembers which articles the transaction has noted, so an admin save (the article and a
    dozen inlines) writes one entry, not thirteen. The memory goes with the transaction: Django
    drops the callback on a rollback, and an entry is remembered per savepoint level, so one
    written inside a savepoint that is rolled back is written again.
    """

    def __init__(self):
        self.noted = set()

    def __call__(self):
        # NEWSROOM_OUTBOX_RELAY (newsroom.webhooks.tasks.relay_soon): a relay pass now rather than at
        # the worker's next own pass. Named by a setting: the relay sits in a layer above.
        import_string(settings.NEWSROOM_OUTBOX_RELAY)()


def _pending():
    """This transaction's ``_RelaySoon`` (or ``None``) and the savepoint level we are at."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None, ()
    level = tuple(connection.savepoint_ids)
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _RelaySoon):
            return entry[1], level
    return None, level


def _noted(article_id):
    pending, level = _pending()
    return pending is not None and (level, article_id) in pending.noted


def _published_ids(queryset):
    return list(queryset.filter(status=PUBLISHED).values_list("pk", flat=True))


def article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw and is_public_write(instance, update_fields):
        note(instance.pk)


def article_deleted(sender, instance, **kwargs):
    if instance.status == PUBLISHED:
        note(instance.pk)


def part_changed(sender, instance, raw=False, **kwargs):
    """An FAQ item, broadcast mention or liveblog placement of a published article."""
    if raw or _noted(instance.article_id):
        return
    if _published_ids(Article.objects.filter(pk=instance.article_id)):
        note(instance.article_id)


def clip_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        uses = Q(hero_clip=instance.pk) | Q(intro_clip=instance.pk) | Q(faq_items__clip=instance.pk)
        note(*_published_ids(Article.objects.filter(uses)))


def liveblog_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        note(*_published_ids(Article.objects.filter(liveblog_placements__liveblog_link=instance.pk)))


def topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        note(*_published_ids(Article.objects.filter(topic=instance.pk)))


def embargo_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = _published_ids(Article.objects.filter(pk__in=pk_set or ())) if reverse else [instance.pk]
    ids = _published_ids(Article.objects.filter(pk__in=ids))
    # Who sees the article changed: the partner API's list validators move (newsroom.caching.stamps).
    Article.objects.filter(pk__in=ids).update(visibility_changed_at=timezone.now())
    note(*ids)


def connect():
    """Listen to every write partners may need to hear about (``NewsroomConfig.ready``)."""
    listen(
        "outbox",
        article=(article_saved, article_deleted),
        part=(part_changed, part_changed),
        topic=(topic_changed, topic_changed),
        clip=(clip_changed, clip_changed),
        liveblog=(liveblog_changed, liveblog_changed),
    )
    m2m_changed.connect(
        embargo_changed, sender=Article.embargo_partners.through, dispatch_uid="newsroom.outbox.embargo"
    )
