"""Revisions of articles: what is versioned together, how a revision is recorded, read back and restored.

An article is versioned together with its FAQ items, liveblog placements and broadcast
mentions (django-reversion), so one save of the article form, one import or one status
change is one revision with author, time and comment. Restoring writes an earlier
revision's content as a *new* revision; nothing is ever deleted from the history.
"""

import functools
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from faq.models import FAQItem
from newsroom.dates import format_timestamp
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention

# The article's children, in page order; each is versioned with the article.
CHILD_RELATIONS = ("faq_items", "liveblog_placements", "broadcast_mentions")
CHILD_MODELS = {
    "faq_items": FAQItem,
    "liveblog_placements": ArticleLiveblogLink,
    "broadcast_mentions": BroadcastMention,
}

BASELINE_COMMENT = "Ausgangsfassung (vor der ersten erfassten Änderung)"


def register_models():
    """Register the article and its children with django-reversion (idempotent).

    Called from ``NewsroomConfig.ready()`` and before the admin's ``VersionAdmin`` would
    otherwise register the models itself with options of its own.
    """
    if not reversion.is_registered(Article):
        # An embargo is a release decision like the workflow's, not content: revisions neither keep nor restore it.
        reversion.register(Article, follow=CHILD_RELATIONS, exclude=("embargo_partners",))
    for model in CHILD_MODELS.values():
        if not reversion.is_registered(model):
            # A child saved on its own still records the whole article with all its children.
            reversion.register(model, follow=("article",))


def versions_for(article):
    """The article's versions, newest first, one per revision that contains it."""
    return (
        Version.objects.get_for_object_reference(Article, article.pk)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def has_revisions(article):
    return Version.objects.get_for_object_reference(Article, article.pk).exists()


def revision_label(revision):
    """``Fassung vom 06.01.2026, 09:15 Uhr`` in Europe/Berlin."""
    return f"Fassung vom {format_timestamp(revision.date_created)}"


def add_article_to_revision(article):
    """Put the article and all its children, as stored in the database now, into the open revision.

    Explicitly, child by child: rows written with ``bulk_create`` or ``update()`` send no
    signal, and a child the revision picked up earlier in the request may have changed since.
    """
    # Read back: services write through a locked copy, a form through update_fields, so the
    # instance in hand need not hold what is stored.
    stored = Article.objects.get(pk=article.pk)
    reversion.add_to_revision(stored)
    for model in CHILD_MODELS.values():
        for child in model._default_manager.filter(article_id=stored.pk):
            child.article = stored  # saves each child's follow("article") a query
            reversion.add_to_revision(child)


@contextmanager
def record_revision(*, user=None, comment=""):
    """Everything saved inside the block becomes one revision by ``user`` with ``comment``.

    Nested inside another revision (an admin save that publishes), it joins the outer one.
    User and comment are set when the block ends, so the outermost block has the last word.
    """
    with reversion.create_revision():
        yield
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)


def revision_recorded(comment):
    """Decorate a service function so that each call records one revision of the article it returns.

    ``comment`` is a string or a function of the article. The function's ``user`` keyword
    is the revision's author; its ``reason`` keyword, where it has one, ends the comment. An
    article that has no revision yet first gets its current state recorded
    (``BASELINE_COMMENT``), so the change can be compared and undone.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            article = kwargs.get("article")
            # One transaction: a refused call (no permission, wrong state) leaves no baseline either.
            with transaction.atomic():
                if isinstance(article, Article) and article.pk and not reversion.is_active():
                    record_baseline(article)
                with record_revision(user=kwargs.get("user")):
                    result = func(*args, **kwargs)
                    article = getattr(result, "article", result)
                    if isinstance(article, Article):
                        add_article_to_revision(article)
                        text = comment(article) if callable(comment) else comment
                        reason = (kwargs.get("reason") or "").strip()
                        reversion.set_comment(f"{text} – Grund: {reason}" if reason else text)
            return result

        return wrapper

    return decorate


# The comments of the service functions' revisions (``newsroom.services``).
SUBMIT_COMMENT = "Zur Prüfung gegeben"
UNPUBLISH_COMMENT = "Zurückgezogen"
RETURN_COMMENT = "An die Redaktion zurückgegeben"


def publish_comment(article):
    if article.publish_at and article.publish_at > timezone.now():
        return f"Veröffentlichung geplant für {format_timestamp(article.publish_at)}"
    return "Veröffentlicht"


def schedule_unpublish_comment(article):
    if article.unpublish_at:
        return f"Offline ab {format_timestamp(article.unpublish_at)} geplant"
    return "Offline-Termin aufgehoben"


def import_comment(article):
    if article.status == Article.Status.PUBLISHED:
        return "Aus Text importiert und veröffentlicht"
    return "Aus Text importiert"


def record_baseline(article):
    """Record the article as stored now, if it has no revision yet (e.g. it predates revisions)."""
    if has_revisions(article):
        return
    with record_revision(comment=BASELINE_COMMENT):
        add_article_to_revision(article)


# Reading revisions back


@dataclass
class ArticleSnapshot:
    """One state of an article with its children: a revision's, or the current one.

    The objects are unsaved model instances built from the stored versions (or the live
    rows), so their display helpers work; foreign keys are ids only.
    """

    label: str
    article: Article
    revision: object = None
    version: object = None
    faq_items: list = field(default_factory=list)
    liveblog_placements: list = field(default_factory=list)
    broadcast_mentions: list = field(default_factory=list)

    @property
    def is_current(self):
        return self.revision is None


def _ordered(objects):
    return sorted(objects, key=lambda obj: (obj.position, obj.pk or 0))


def snapshot_of_version(version):
    """The article state stored in ``version`` (an Article version) and its revision's children."""
    children = revision_children(version.revision, version.object_id)
    snapshot = ArticleSnapshot(
        label=revision_label(version.revision),
        article=Article(**version.field_dict),
        revision=version.revision,
        version=version,
    )
    for relation, model in CHILD_MODELS.items():
        objects = [model(**child.field_dict) for child in children[relation]]
        setattr(snapshot, relation, _ordered(objects))
    return snapshot


def snapshot_of_database(article):
    snapshot = ArticleSnapshot(label="Aktuelle Fassung", article=article)
    for relation, model in CHILD_MODELS.items():
        setattr(
            snapshot, relation, list(model._default_manager.filter(article_id=article.pk).order_by("position", "pk"))
        )
    return snapshot


def revision_children(revision, article_id):
    """The versions of ``revision`` that belong to one article: {"article": version, relation: [versions]}."""
    content_types = {
        relation: ContentType.objects.db_manager(revision._state.db).get_for_model(model)
        for relation, model in CHILD_MODELS.items()
    }
    by_content_type = {content_type.pk: relation for relation, content_type in content_types.items()}
    found = {relation: [] for relation in CHILD_MODELS}
    article_pk = int(article_id)
    for version in revision.version_set.filter(content_type__in=content_types.values()):
        # A revision may hold children of another article when a block saved several.
        if version.field_dict["article_id"] == article_pk:
            found[by_content_type[version.content_type_id]].append(version)
    return found
