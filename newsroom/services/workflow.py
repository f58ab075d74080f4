"""The editorial workflow: submit, return from review, publish (now or planned), take down, plan a take-down."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.models import WORKFLOW_FIELDS, Article
from newsroom.revisions import (
    RETURN_COMMENT,
    SUBMIT_COMMENT,
    UNPUBLISH_COMMENT,
    publish_comment,
    revision_recorded,
    schedule_unpublish_comment,
)
from newsroom.roles import CHANGE_ARTICLE, PUBLISH_ARTICLE

# The workflow: draft → review → published (now, or "geplant" at a future publish_at), and back
# to draft (unpublish; from review with a reason, "return") or away at an unpublish_at. Every
# transition is one of the functions below. Each takes the acting ``user``: the admin always
# passes ``request.user``, whose permissions are checked (``PermissionDenied`` otherwise);
# ``user=None`` is a trusted system call (a management command such as
# ``import_explainer --publish`` or ``load_demo``) and
# skips the check. ``user`` has no default, so a caller cannot forget it by accident.
#
# A transition writes only WORKFLOW_FIELDS (``update_fields``): ``updated_at`` and
# ``updated_by`` follow real content changes, so the page's "Stand" and Last-Modified do
# not move when an article is merely sent to review or taken down. The row is locked and
# the rules are checked against what the database holds, so two duty editors pressing
# buttons at once cannot, say, publish an article the other has just taken down.


def _require(user, permission, message):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(message)


def _check_submit(article, now):
    if article.status == Article.Status.REVIEW:
        raise ValidationError("Der Artikel ist bereits in Prüfung.")
    if article.status == Article.Status.PUBLISHED:
        raise ValidationError(
            "Ein veröffentlichter oder geplanter Artikel kann nicht zur Prüfung gegeben werden; "
            "bitte zuerst zurückziehen."
        )


def _check_return(article, now):
    if article.status != Article.Status.REVIEW:
        raise ValidationError("Nur ein Artikel in Prüfung kann an die Redaktion zurückgegeben werden.")


def _check_publish(article, now, at):
    if article.state == Article.State.LIVE:
        if at is None:
            raise ValidationError("Der Artikel ist bereits veröffentlicht.")
        raise ValidationError("Der Artikel ist schon online; zum Verschieben bitte zuerst zurückziehen.")
    if at is None:
        return
    if at <= now:
        raise ValidationError("Der geplante Zeitpunkt muss in der Zukunft liegen.")
    if article.unpublish_at is not None and now < article.unpublish_at <= at:
        raise ValidationError("„Offline nehmen ab“ muss nach „Veröffentlichen ab“ liegen.")


def _check_unpublish(article, now):
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Der Artikel ist nicht veröffentlicht.")


def _check_schedule_unpublish(article, now, at):
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Nur ein veröffentlichter oder geplanter Artikel kann offline genommen werden.")
    if article.state == Article.State.EXPIRED:
        raise ValidationError("Der Artikel ist schon offline; bitte zuerst wieder veröffentlichen.")
    if at is None:
        return
    if at <= now:
        raise ValidationError("Der Zeitpunkt zum Offline-Nehmen muss in der Zukunft liegen.")
    if at <= article.publish_at:
        raise ValidationError("„Offline nehmen ab“ muss nach „Veröffentlichen ab“ liegen.")


def _locked(article):
    if article.pk is None:
        raise ValueError("Only a saved article has a workflow.")
    return Article.objects.select_for_update().get(pk=article.pk)


def _write(*, current, article, visible_change=True):
    # Listings' validators read this stamp (newsroom.caching.stamps): a take-down changes them
    # without a content edit. Sending a draft to review changes nothing readers see.
    if visible_change:
        current.visibility_changed_at = timezone.now()
    current.save(update_fields=WORKFLOW_FIELDS)
    for name in WORKFLOW_FIELDS:
        setattr(article, name, getattr(current, name))
    return article


def article_transitions(*, article, user):
    """The transitions ``user`` may apply to ``article`` now, by name: what the admin offers.

    One of ``"submit"``, ``"return"``, ``"publish"``, ``"schedule"``, ``"unpublish"``, ``"schedule_unpublish"``;
    the last two of those that take a time still check it when applied.
    """
    now = timezone.now()
    may_publish = user is None or user.has_perm(PUBLISH_ARTICLE)
    may_change = user is None or user.has_perm(CHANGE_ARTICLE)
    checks = {
        "submit": (may_change, lambda: _check_submit(article, now)),
        "return": (may_publish, lambda: _check_return(article, now)),
        "publish": (may_publish, lambda: _check_publish(article, now, None)),
        # Whether a given time suits is checked when it is applied.
        "schedule": (may_publish, lambda: _check_publish(article, now, None)),
        "unpublish": (may_publish, lambda: _check_unpublish(article, now)),
        "schedule_unpublish": (may_publish, lambda: _check_schedule_unpublish(article, now, None)),
    }
    allowed = set()
    for name, (permitted, check) in checks.items():
        if not permitted:
            continue
        try:
            check()
        except ValidationError:
            continue
        allowed.add(name)
    return frozenset(allowed)


@revision_recorded(SUBMIT_COMMENT)
@transaction.atomic
def article_submit(*, article, user):
    """Send a draft to review ("Zur Prüfung geben"); needs ``newsroom.change_article``."""
    _require(user, CHANGE_ARTICLE, "Sie dürfen diesen Artikel nicht bearbeiten und daher nicht zur Prüfung geben.")
    current = _locked(article)
    _check_submit(current, timezone.now())
    current.status = Article.Status.REVIEW
    current.review_note = ""
    return _write(current=current, article=article, visible_change=False)


@revision_recorded(RETURN_COMMENT)
@transaction.atomic
def article_return(*, article, user, reason):
    """Send an article in review back to draft with a ``reason`` for its authors; needs ``publish_article``.

    The reason stays on the article (``review_note``, on the authors' dashboard) until it is
    submitted again, and ends the revision's comment.
    """
    _require(user, PUBLISH_ARTICLE, "Sie dürfen Artikel nicht zurückgeben; das darf der Chef vom Dienst.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Bitte einen Grund angeben: Was soll die Redaktion ändern?")
    current = _locked(article)
    _check_return(current, timezone.now())
    current.status = Article.Status.DRAFT
    current.review_note = reason
    return _write(current=current, article=article, visible_change=False)


@revision_recorded(publish_comment)
@transaction.atomic
def article_publish(*, article, user, at=None):
    """Put ``article`` live now, or at ``at`` ("geplant"); needs ``newsroom.publish_article``.

    Publishing now keeps an earlier go-live time the article already had (re-publishing after
    a take-down does not make it new) and drops a take-down time that has passed.
    ``first_published_at`` is stamped once: when it first goes live. For a scheduled article
    that is the planned time; should it be moved or called off before then, the stamp moves
    with it (see ``article_unpublish``), so it never names a moment the article was not live.
    """
    _require(user, PUBLISH_ARTICLE, "Sie dürfen Artikel nicht veröffentlichen; das darf der Chef vom Dienst.")
    now = timezone.now()
    current = _locked(article)
    _check_publish(current, now, at)
    if current.unpublish_at is not None and current.unpublish_at <= now:
        current.unpublish_at = None
    if at is not None:
        current.publish_at = at
    elif current.publish_at is None or current.publish_at > now:
        current.publish_at = now
    current.status = Article.Status.PUBLISHED
    current.review_note = ""
    if current.first_published_at is None or current.first_published_at > now:
        current.first_published_at = max(current.publish_at, now)
    return _write(current=current, article=article)


@revision_recorded(UNPUBLISH_COMMENT)
@transaction.atomic
def article_unpublish(*, article, user, reason=""):
    """Take ``article`` down now, back to draft ("Zurückziehen"); needs ``newsroom.publish_article``.

    An optional ``reason`` ends the revision's comment.

    Also calls off a scheduled go-live: a planned time and a first-publication stamp that
    lie in the future are cleared, since the article never went live.
    """
    _require(user, PUBLISH_ARTICLE, "Sie dürfen Artikel nicht zurückziehen; das darf der Chef vom Dienst.")
    now = timezone.now()
    current = _locked(article)
    _check_unpublish(current, now)
    current.status = Article.Status.DRAFT
    current.unpublish_at = None
    if current.publish_at is not None and current.publish_at > now:
        current.publish_at = None
    if current.first_published_at is not None and current.first_published_at > now:
        current.first_published_at = None
    return _write(current=current, article=article)


@revision_recorded(schedule_unpublish_comment)
@transaction.atomic
def article_schedule_unpublish(*, article, user, at):
    """Take a published or scheduled ``article`` down at ``at``; ``at=None`` removes a planned take-down.

    Needs ``newsroom.publish_article``. Scheduling needs no worker: ``published()`` reads the clock.
    """
    _require(user, PUBLISH_ARTICLE, "Sie dürfen das Offline-Nehmen nicht planen; das darf der Chef vom Dienst.")
    current = _locked(article)
    _check_schedule_unpublish(current, timezone.now(), at)
    current.unpublish_at = at
    return _write(current=current, article=article)
