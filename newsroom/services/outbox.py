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
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.module_loading import import_string

from newsroom.caching.purge import is_public_write
from newsroom.models import Article, ArticleChange

PUBLISHED = Article.Status.PUBLISHED


def note(*article_ids, due_at=None):
    """Note that the articles ``article_ids`` may have changed for partners (now, or at ``due_at``)."""
    due_at = due_at or timezone.now()
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    if ids:
        ArticleChange.objects.bulk_create([ArticleChange(article_id=pk, due_at=due_at) for pk in ids])
        _after_commit()


def _relay_soon():
    # NEWSROOM_OUTBOX_RELAY (newsroom.webhooks.tasks.relay_soon): queue a relay pass now rather
    # than at the worker's next own pass. Named by a setting: the relay sits in a layer above.
    import_string(settings.NEWSROOM_OUTBOX_RELAY)()


def _after_commit():
    """Once per transaction: ask for a relay pass when it commits (nothing, if it rolls back)."""
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _relay_soon for entry in pending):
        transaction.on_commit(_relay_soon)


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
    if not raw and _published_ids(Article.objects.filter(pk=instance.article_id)):
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
    from faq.models import FAQItem
    from media_clips.models import VideoClip
    from newsroom.models import ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic

    handlers = [
        (Article, article_saved, article_deleted),
        (FAQItem, part_changed, part_changed),
        (BroadcastMention, part_changed, part_changed),
        (ArticleLiveblogLink, part_changed, part_changed),
        (VideoClip, clip_changed, clip_changed),
        (LiveblogLink, liveblog_changed, liveblog_changed),
        (Topic, topic_changed, topic_changed),
    ]
    for model, saved, deleted in handlers:
        post_save.connect(saved, sender=model, dispatch_uid=f"newsroom.outbox.save.{model._meta.label}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"newsroom.outbox.delete.{model._meta.label}")
    m2m_changed.connect(
        embargo_changed, sender=Article.embargo_partners.through, dispatch_uid="newsroom.outbox.embargo"
    )
