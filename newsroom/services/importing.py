"""Writing an explainer in the text format as one new article, atomically."""

import datetime as dt
import html

from django.db import transaction
from django.utils import timezone

from faq.models import FAQItem, anchor_for
from media_clips.models import VideoClip
from media_clips.placeholders import placeholder_poster
from media_clips.services import image_delete, renditions_refresh
from newsroom.dates import format_date, format_duration
from newsroom.importer import parse_explainer
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic
from newsroom.revisions import import_comment, revision_recorded
from newsroom.roles import ADD_TOPIC
from newsroom.services.workflow import article_publish
from newsroom.text import german_slugify

TOPIC_HEADLINE_PREFIXES = ("Aktuelle Nachrichten zur ", "Aktuelle Nachrichten zum ", "Aktuelle Nachrichten zu ")


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
    clip.poster_is_placeholder = True
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
    link.image_is_placeholder = True
    renditions_refresh(obj=link, field_name="image", save=False)
    link.save()
    return link, True


def _topic_for(headline, *, user, notes):
    existing = Topic.objects.filter(headline=headline).first()
    if existing:
        return existing
    if user is not None and not user.has_perm(ADD_TOPIC):
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


class DuplicateArticleError(Exception):
    """An article with the imported title exists already (``existing``); nothing was written."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            f"Einen Artikel mit dem Titel „{existing.title}“ gibt es schon (Nr. {existing.pk}, "
            f"{existing.get_status_display()})."
        )


def existing_article_titled(title):
    """The newest article with this title (case aside), or ``None``."""
    return Article.objects.filter(title__iexact=title.strip()).order_by("-pk").first()


def _write_clips(parsed, notes, written_files):
    """``{id(parsed clip): VideoClip}``: the newsroom's own clips, or new ones with a placeholder poster."""
    clips = {}
    for parsed_clip in parsed.clips():
        clip, created = _clip_for(parsed_clip)
        clips[id(parsed_clip)] = clip
        if created:
            written_files.append(clip.poster)
            notes.append(f"Clip „{clip.title}“ angelegt – das Vorschaubild ist ein Platzhalter.")
    return clips


def _write_article(parsed, clips, *, user, notes):
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
        broadcast_form=parsed.broadcast_form,
        broadcast_note=parsed.broadcast_note,
        created_by=user,
        updated_by=user,
    )
    article.full_clean()
    article.save()
    return article


def _write_questions(article, parsed, clips):
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


def _write_liveblogs(article, parsed, notes, written_files):
    for position, parsed_link in enumerate(parsed.liveblogs):
        link, created = _liveblog_link_for(parsed_link)
        if created:
            written_files.append(link.image)
            notes.append(f"Liveblog-Link „{link.title}“ angelegt – bitte Adresse und Bild im Admin ergänzen.")
        ArticleLiveblogLink.objects.create(
            article=article, liveblog_link=link, lead_in=parsed_link.lead_in, position=position
        )


def _write_mentions(article, parsed):
    BroadcastMention.objects.bulk_create(
        BroadcastMention(
            article=article,
            position=position,
            determiner=mention.determiner,
            show=mention.show,
            aired_on=mention.aired_on,
            starts_at=mention.starts_at,
            starts_at_padded=mention.padded,
        )
        for position, mention in enumerate(parsed.mentions)
    )


@revision_recorded(import_comment)
def article_import(*, text, user=None, publish=False, allow_duplicate=False):
    """Parse ``text`` and write it as one new article, atomically.

    Raises ``ExplainerParseError`` (naming the line) before anything is written, and
    ``DuplicateArticleError`` when an article with the same title exists, unless
    ``allow_duplicate``. With ``publish=True`` the article goes live through
    ``article_publish``: ``user=None`` (``import_explainer --publish``, ``load_demo``)
    publishes as the system, an editor needs ``newsroom.publish_article``. Returns an
    :class:`ImportResult` with the article and notes for the editor (what the parser
    cleaned or kept as text, placeholder posters that need a real image).
    """
    parsed = parse_explainer(text)
    if not allow_duplicate and (existing := existing_article_titled(parsed.title)):
        raise DuplicateArticleError(existing)
    notes = list(parsed.notes)
    written_files = []
    try:
        with transaction.atomic():
            clips = _write_clips(parsed, notes, written_files)
            article = _write_article(parsed, clips, user=user, notes=notes)
            _write_questions(article, parsed, clips)
            _write_liveblogs(article, parsed, notes, written_files)
            _write_mentions(article, parsed)
            if publish:
                # user=None (the commands) publishes as the system; an editor needs the permission.
                article_publish(article=article, user=user)
    except BaseException:
        # The database rolled back; take the poster files (and their renditions) it would have pointed at with it.
        for file in written_files:
            image_delete(file)
        raise
    return ImportResult(article, notes)
