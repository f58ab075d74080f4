"""Corrections to live articles: proposed by Redaktion, applied or rejected by the duty editor.

A live article goes to readers with every save, so whoever may not publish cannot save it;
they propose instead (``correction_propose``): the form's state, validated as a save would
be, is kept beside the article and the page stays as it is. ``correction_apply`` writes it as
one revision (it is live at once, the status stays), ``correction_reject`` keeps it out with a
reason the author sees on the dashboard.
"""

import json

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.models import Article, Correction
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


def _decidable(correction, user):
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
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Bitte einen Grund angeben: Er wird der Autorin oder dem Autor angezeigt.")
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    _decidable(correction, user)
    correction.status = Correction.Status.REJECTED
    correction.decided_by, correction.decided_at, correction.reason = user, timezone.now(), reason
    correction.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return correction
