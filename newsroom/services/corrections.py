"""Corrections to live articles: proposed by Redaktion, applied or rejected by the duty editor.

A live article goes to readers with every save, so whoever may not publish cannot save it;
they propose instead (``correction_propose``): the form's state, validated as a save would
be, is kept beside the article and the page stays as it is. ``correction_apply`` writes it as
one revision (it is live at once, the status stays), ``correction_reject`` keeps it out with a
reason the author sees on the dashboard.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.models import Article, Correction, ItemCorrection, LiveblogLink, clips_in_published_articles
from newsroom.revisions import CHILD_MODELS, ArticleSnapshot
from newsroom.roles import CHANGE_ARTICLE, PUBLISH_ARTICLE
from newsroom.services.restore import content_write

_RELATION_OF = {model: relation for relation, model in CHILD_MODELS.items()}


def may_propose(user, article):
    """Whether ``user`` proposes corrections to ``article`` rather than saving it: live, and no publishing."""
    return (
        article.status == Article.Status.PUBLISHED
        and user.has_perm(CHANGE_ARTICLE)
        and not user.has_perm(PUBLISH_ARTICLE)
    )


def correction_propose(*, article, user, objects, summary=""):
    """Keep ``objects`` (the article with its changes, and every child row it is to have) as a proposal."""
    if not may_propose(user, article):
        raise PermissionDenied("Korrekturen schlagen nur Redaktionsmitglieder zu veröffentlichten Artikeln vor.")
    return Correction.objects.create(
        article=article,
        author=user,
        based_on=article.updated_at,
        content=json.loads(serializers.serialize("json", objects)),
        summary=summary,
    )


def _objects(correction):
    return [found.object for found in serializers.deserialize("json", json.dumps(correction.content))]


def correction_snapshot(correction):
    """The proposed state as an ``ArticleSnapshot``, for the revision comparison."""
    snapshot = ArticleSnapshot(label=f"Vorschlag von {correction.author.get_username()}", article=None)
    for obj in _objects(correction):
        if isinstance(obj, Article):
            snapshot.article = obj
        else:
            getattr(snapshot, _RELATION_OF[type(obj)]).append(obj)
    for relation in CHILD_MODELS:
        getattr(snapshot, relation).sort(key=lambda child: (child.position, child.pk or 0))
    return snapshot


def _fields(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _decidable(correction, user):  # any Proposal
    if not user.has_perm(PUBLISH_ARTICLE):
        raise PermissionDenied("Über Korrekturvorschläge entscheidet der Chef vom Dienst.")
    if correction.status != Correction.Status.OPEN:
        raise ValidationError(f"Über diesen Vorschlag ist schon entschieden: {correction.get_status_display()}.")


@transaction.atomic
def correction_apply(*, correction, user):
    """Write the proposal over the live article as one revision; it is on the page at once."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    _decidable(correction, user)
    current = Article.objects.select_for_update().get(pk=correction.article_id)
    snapshot = correction_snapshot(correction)
    content_write(
        current=current,
        article_fields=_fields(snapshot.article),
        children={relation: [_fields(child) for child in getattr(snapshot, relation)] for relation in CHILD_MODELS},
        user=user,
        comment=f"Korrekturvorschlag von {correction.author.get_username()} übernommen",
    )
    correction.status = Correction.Status.APPLIED
    correction.decided_by, correction.decided_at = user, timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at"])
    return correction


@transaction.atomic
def correction_reject(*, correction, user, reason):
    """Keep a proposal (of either kind) out, with a reason its author reads on the dashboard."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Bitte einen Grund angeben: Er wird der Autorin oder dem Autor angezeigt.")
    correction = type(correction).objects.select_for_update().get(pk=correction.pk)
    _decidable(correction, user)
    correction.status = Correction.Status.REJECTED
    correction.decided_by, correction.decided_at, correction.reason = user, timezone.now(), reason
    correction.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return correction


# Clips and liveblog cards that live articles show -------------------------------------------

# What a proposal may change: the text, never the files (an upload is the duty editor's).
ITEM_FIELDS = {
    "media_clips.videoclip": ("title", "description", "poster_alt", "duration", "published_at", "credit", "video_url"),
    "newsroom.livebloglink": ("topline", "title", "teaser", "url", "image_alt", "label"),
}


def item_fields(obj):
    return ITEM_FIELDS[obj._meta.label_lower]


def shown_live(obj):
    """Whether a reader sees ``obj`` (a clip or a liveblog card) in a live article now."""
    if isinstance(obj, LiveblogLink):
        return Article.objects.published().filter(liveblog_placements__liveblog_link=obj).exists()
    return clips_in_published_articles().filter(pk=obj.pk).exists()


def may_propose_item(user, obj):
    """Whether ``user`` proposes changes to ``obj`` rather than saving it: live articles show it, no publishing."""
    opts = obj._meta
    return (
        not user.has_perm(PUBLISH_ARTICLE)
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        and shown_live(obj)
    )


def item_correction_propose(*, obj, user, summary=""):
    """Keep the text fields of ``obj`` (changed in memory, not saved) as a proposal."""
    if not may_propose_item(user, obj):
        raise PermissionDenied("Korrekturen schlagen nur Redaktionsmitglieder vor, und nur zu Gezeigtem.")
    stored = type(obj)._default_manager.get(pk=obj.pk)
    return ItemCorrection.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        author=user,
        based_on=stored.updated_at,
        content=json.loads(serializers.serialize("json", [obj], fields=item_fields(obj))),
        summary=summary,
    )


def item_correction_proposed(correction):
    """The corrected object as proposed: the stored one with the proposal's fields (unsaved)."""
    (found,) = serializers.deserialize("json", json.dumps(correction.content))
    current = correction.target
    for name in item_fields(current):
        setattr(current, name, getattr(found.object, name))
    return current


@transaction.atomic
def item_correction_apply(*, correction, user):
    """Write the proposal's fields; the pages showing the clip or card change at once (their keys are purged)."""
    correction = ItemCorrection.objects.select_for_update().get(pk=correction.pk)
    _decidable(correction, user)
    proposed = item_correction_proposed(correction)
    proposed.full_clean()
    proposed.save(update_fields=[*item_fields(proposed), "updated_at"])
    correction.status = Correction.Status.APPLIED
    correction.decided_by, correction.decided_at = user, timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at"])
    return correction
