"""Writes with side effects, as named keyword-only functions used by the admin and the commands."""

import datetime as dt
import html

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from faq.models import FAQItem, anchor_for
from media_clips.durations import format_duration
from media_clips.models import VideoClip
from media_clips.placeholders import placeholder_poster
from media_clips.services import image_delete, renditions_refresh
from newsroom.importer import parse_explainer
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic
from newsroom.revisions import (
    SUBMIT_COMMENT,
    UNPUBLISH_COMMENT,
    import_comment,
    publish_comment,
    revision_recorded,
    schedule_unpublish_comment,
)
from newsroom.text import format_date, german_slugify

TOPIC_HEADLINE_PREFIXES = ("Aktuelle Nachrichten zur ", "Aktuelle Nachrichten zum ", "Aktuelle Nachrichten zu ")


# The workflow: draft → review → published (now, or "geplant" at a future publish_at), and back
# to draft (unpublish) or away at an unpublish_at. Every transition is one of the functions
# below. Each takes the acting ``user``: the admin always passes ``request.user``, whose
# permissions are checked (``PermissionDenied`` otherwise); ``user=None`` is a trusted system
# call (a management command such as ``import_explainer --publish`` or ``load_demo``) and
# skips the check. ``user`` has no default, so a caller cannot forget it by accident.
#
# A transition writes only WORKFLOW_FIELDS (``update_fields``): ``updated_at`` and
# ``updated_by`` follow real content changes, so the page's "Stand" and Last-Modified do
# not move when an article is merely sent to review or taken down. The row is locked and
# the rules are checked against what the database holds, so two duty editors pressing
# buttons at once cannot, say, publish an article the other has just taken down.

WORKFLOW_FIELDS = ("status", "publish_at", "unpublish_at", "first_published_at", "visibility_changed_at")
PUBLISH_PERMISSION = "newsroom.publish_article"
CHANGE_PERMISSION = "newsroom.change_article"


def _require(user, permission, message):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(message)


def _is_live(article):
    # The one visibility rule, asked of the database rather than re-typed here.
    return Article.objects.published().filter(pk=article.pk).exists()


def _is_expired(article, now):
    return (
        article.status == Article.Status.PUBLISHED and article.unpublish_at is not None and article.unpublish_at <= now
    )


def _check_submit(article, now):
    if article.status == Article.Status.REVIEW:
        raise ValidationError("Der Artikel ist bereits in Prüfung.")
    if article.status == Article.Status.PUBLISHED:
        raise ValidationError(
            "Ein veröffentlichter oder geplanter Artikel kann nicht zur Prüfung gegeben werden; "
            "bitte zuerst zurückziehen."
        )


def _check_publish(article, now, at):
    if _is_live(article):
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
    if _is_expired(article, now):
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


def _write(*, current, article):
    # Listings' Last-Modified reads this: a take-down changes them without a content edit.
    current.visibility_changed_at = timezone.now()
    current.save(update_fields=WORKFLOW_FIELDS)
    for name in WORKFLOW_FIELDS:
        setattr(article, name, getattr(current, name))
    return article


def article_transitions(*, article, user):
    """The transitions ``user`` may apply to ``article`` now, by name: what the admin offers.

    One of ``"submit"``, ``"publish"``, ``"schedule"``, ``"unpublish"``, ``"schedule_unpublish"``;
    the last two of those that take a time still check it when applied.
    """
    now = timezone.now()
    may_publish = user is None or user.has_perm(PUBLISH_PERMISSION)
    may_change = user is None or user.has_perm(CHANGE_PERMISSION)
    checks = {
        "submit": (may_change, lambda: _check_submit(article, now)),
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
    _require(user, CHANGE_PERMISSION, "Sie dürfen diesen Artikel nicht bearbeiten und daher nicht zur Prüfung geben.")
    current = _locked(article)
    _check_submit(current, timezone.now())
    current.status = Article.Status.REVIEW
    return _write(current=current, article=article)


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
    _require(user, PUBLISH_PERMISSION, "Sie dürfen Artikel nicht veröffentlichen; das darf der Chef vom Dienst.")
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
    if current.first_published_at is None or current.first_published_at > now:
        current.first_published_at = max(current.publish_at, now)
    return _write(current=current, article=article)


@revision_recorded(UNPUBLISH_COMMENT)
@transaction.atomic
def article_unpublish(*, article, user):
    """Take ``article`` down now, back to draft ("Zurückziehen"); needs ``newsroom.publish_article``.

    Also calls off a scheduled go-live: a planned time and a first-publication stamp that
    lie in the future are cleared, since the article never went live.
    """
    _require(user, PUBLISH_PERMISSION, "Sie dürfen Artikel nicht zurückziehen; das darf der Chef vom Dienst.")
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
    _require(user, PUBLISH_PERMISSION, "Sie dürfen das Offline-Nehmen nicht planen; das darf der Chef vom Dienst.")
    current = _locked(article)
    _check_schedule_unpublish(current, timezone.now(), at)
    current.unpublish_at = at
    return _write(current=current, article=article)


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs (as the text format has them) to escaped ``<p>`` HTML."""
    return "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _clip_for(parsed):
    """Reuse the newsroom's existing clip when it is the same one, else make it with a placeholder poster."""
    start = _local_midnight(parsed.published_on)
    existing = VideoClip.objects.filter(
        poster_alt=parsed.alt,
        description=parsed.caption,
        duration=parsed.duration,
        published_at__gte=start,
        published_at__lt=start + dt.timedelta(days=1),
    ).first()
    if existing:
        return existing, False
    clip = VideoClip(
        title=parsed.alt[:200],
        description=parsed.caption,
        poster_alt=parsed.alt,
        duration=parsed.duration,
        published_at=start,
    )
    # Validate before any file is written, so a refusal leaves no orphaned poster behind.
    clip.full_clean()
    clip.poster.save(
        f"{german_slugify(parsed.alt, max_length=60) or 'clip'}.jpg",
        placeholder_poster(parsed.alt, f"{format_date(parsed.published_on)} | {format_duration(parsed.duration)}"),
        save=False,
    )
    renditions_refresh(obj=clip, field_name="poster", save=False)
    clip.save()
    return clip, True


def _liveblog_link_for(parsed):
    existing = LiveblogLink.objects.filter(topline=parsed.topline, title=parsed.title).first()
    if existing:
        return existing, False
    link = LiveblogLink(
        topline=parsed.topline,
        title=parsed.title,
        teaser=parsed.teaser,
        image_alt=parsed.image_alt,
        label=parsed.label,
    )
    link.full_clean()  # before any file is written
    link.image.save(
        f"{german_slugify(parsed.title, max_length=60) or 'liveblog'}.jpg",
        placeholder_poster(parsed.image_alt, parsed.label),
        save=False,
    )
    renditions_refresh(obj=link, field_name="image", save=False)
    link.save()
    return link, True


def _topic_for(headline, *, user, notes):
    existing = Topic.objects.filter(headline=headline).first()
    if existing:
        return existing
    if user is not None and not user.has_perm("newsroom.add_topic"):
        # Topics are site structure: only those allowed to make them do (the role "Redaktion" may not).
        notes.append(
            f"Das Thema „{headline}“ gibt es noch nicht; der Artikel hat deshalb vorerst kein Thema. "
            "Ein Chef vom Dienst kann es anlegen."
        )
        return None
    name = headline
    for prefix in TOPIC_HEADLINE_PREFIXES:
        if headline.startswith(prefix):
            name = headline[len(prefix) :]
            break
    base = german_slugify(name, max_length=90) or "thema"
    slug, suffix = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return Topic.objects.create(name=name[:100], slug=slug, headline=headline)


def _unique_anchors(questions):
    anchors, used = [], set()
    for question in questions:
        base = anchor_for(question)
        anchor, suffix = base, 2
        while anchor in used:
            anchor, suffix = f"{base[:95]}-{suffix}", suffix + 1
        used.add(anchor)
        anchors.append(anchor)
    return anchors


class ImportResult:
    def __init__(self, article, notes):
        self.article = article
        self.notes = notes


@revision_recorded(import_comment)
def article_import(*, text, user=None, publish=False):
    """Parse ``text`` and write it as one new article, atomically.

    Raises ``ExplainerParseError`` (naming the line) before anything is written.
    With ``publish=True`` the article goes live through ``article_publish``: ``user=None``
    (``import_explainer --publish``, ``load_demo``) publishes as the system, an editor
    needs ``newsroom.publish_article``. Returns an :class:`ImportResult` with the article and notes for the editor
    (e.g. placeholder posters that need a real image).
    """
    parsed = parse_explainer(text)
    notes = []
    written_files = []
    try:
        with transaction.atomic():
            clips = {}
            for parsed_clip in parsed.clips():
                clip, created = _clip_for(parsed_clip)
                clips[id(parsed_clip)] = clip
                if created:
                    written_files.append(clip.poster)
                    notes.append(f"Clip „{clip.title}“ angelegt – das Vorschaubild ist ein Platzhalter.")
            article = Article(
                kind=parsed.kind,
                topline=parsed.topline,
                title=parsed.title,
                slug=german_slugify(parsed.title, max_length=200) or "artikel",
                teaser=parsed.teaser,
                intro=paragraphs_to_html(parsed.intro),
                hero_clip=clips.get(id(parsed.hero_clip)),
                intro_clip=clips.get(id(parsed.intro_clip)),
                topic=_topic_for(parsed.topic_headline, user=user, notes=notes) if parsed.topic_headline else None,
                source=parsed.source,
                created_by=user,
                updated_by=user,
            )
            article.full_clean()
            article.save()
            anchors = _unique_anchors([question.question for question in parsed.questions])
            FAQItem.objects.bulk_create(
                FAQItem(
                    article=article,
                    position=position,
                    question=question.question,
                    answer=paragraphs_to_html(question.paragraphs),
                    clip=clips.get(id(question.clip)),
                    anchor=anchor,
                )
                for position, (question, anchor) in enumerate(zip(parsed.questions, anchors, strict=True))
            )
            for position, parsed_link in enumerate(parsed.liveblogs):
                link, created = _liveblog_link_for(parsed_link)
                if created:
                    written_files.append(link.image)
                    notes.append(f"Liveblog-Link „{link.title}“ angelegt – bitte Adresse und Bild im Admin ergänzen.")
                ArticleLiveblogLink.objects.create(
                    article=article, liveblog_link=link, lead_in=parsed_link.lead_in, position=position
                )
            BroadcastMention.objects.bulk_create(
                BroadcastMention(
                    article=article,
                    position=position,
                    determiner=mention.determiner,
                    show=mention.show,
                    aired_on=mention.aired_on,
                    starts_at=mention.starts_at,
                )
                for position, mention in enumerate(parsed.mentions)
            )
            if publish:
                # user=None (the commands) publishes as the system; an editor needs the permission.
                article_publish(article=article, user=user)
    except BaseException:
        # The database rolled back; take the poster files (and their renditions) it would have pointed at with it.
        for file in written_files:
            image_delete(file)
        raise
    return ImportResult(article, notes)
