"""Realistic test data at newsroom scale, in bulk: ``manage.py generate_articles --count N``.

Articles in every state (published, draft, in review, scheduled, taken down), with 3–8 FAQ
items of 1–3 paragraphs, shared clips, topics, liveblog cards and broadcast mentions, their
publication spread over years. Everything generated is marked as test data: articles carry
``source = GENERATED_SOURCE``, and clips, topics and liveblog cards start with
``GENERATED_PREFIX``; ``generated_remove()`` takes all of it away again. Written with
``bulk_create`` in batches of one transaction each; the database triggers keep the search
document current as for any other write.
"""

import contextlib
import datetime as dt
import functools
import itertools
import random

from django.db import connection, transaction
from django.utils import timezone

from faq.models import FAQItem
from media_clips.models import VideoClip
from media_clips.placeholders import placeholder_poster
from media_clips.services import image_delete, renditions_refresh
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic
from newsroom.text import german_slugify

GENERATED_SOURCE = "Testdaten (generate_articles)"
GENERATED_PREFIX = "Testdaten"
BATCH_SIZE = 2000
SEARCH_INDEX = "newsroom_article_search_document_idx"
POSTERS = 8
CLIPS = 300
TOPICS = 40
LIVEBLOGS = 30

# Words newsrooms write, most common first (drawn with a falling weight), and the syllables of
# rarer words, so that a search finds some articles, not all and not none.
COMMON = (  # noqa: SIM905 (a word list reads better as words)
    "Bundesregierung Kanzler Koalition Gipfel Ukraine Russland Europa Nato Wahl Bundestag Landtag "
    "Minister Haushalt Steuern Rente Energie Strom Gas Klima Hitze Hochwasser Bahn Streik Verkehr Schule "
    "Kita Pflege Krankenhaus Gesundheit Impfung Polizei Gericht Urteil Prozess Sicherheit Bundeswehr "
    "Wehrdienst Migration Asyl Grenze Arbeit Löhne Inflation Preise Wohnen Mieten Landwirtschaft Bauern "
    "Handel Zölle Export Industrie Autobauer Digitalisierung Internet Datenschutz Wissenschaft Forschung "
    "Raumfahrt Sport Fußball Olympia Kultur Theater Film Musik Kirche Gesellschaft Jugend Familie Frauen "
    "Demokratie Parlament Opposition Verhandlungen Waffenruhe Frieden Sanktionen Hilfe Wiederaufbau "
    "Diplomatie Botschaft Abstimmung Reform Gesetz Entwurf"
).split()
FILLER = (  # noqa: SIM905 (a word list reads better as words)
    "der die das und in den von zu mit sich auf für ist im dem nicht ein eine als auch es an werden aus "
    "er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder "
    "aber vor zur bis mehr durch man sein wurde sei haben soll sollen könnte neue ersten Jahr Woche Tag "
    "heute gestern Experten"
).split()
SYLLABLES = (  # noqa: SIM905 (a word list reads better as words)
    "an be de ein er ge hal ker la lin men ner or pa ra ri sa schaft sel ten ter um ung ver wal zen"
).split()
SHOWS = (("das", "heute journal"), ("", "heute Xpress"), ("die", "Tagesschau"), ("das", "Morgenmagazin"))


class Generator:
    """Random newsroom text: sentences of common and rare words, each article about a few themes.

    A pool of sentences is made once (making every word afresh is the slow part); each
    article's texts then mention its own themes (three words of ``COMMON``), so that a
    search for two themes finds some articles, as in a real archive, rather than all.
    Articles appear at a newsroom's steady pace (``PER_DAY``), so a bigger archive reaches
    further back in time while its newest days look alike.
    """

    POOL = 20_000
    PER_DAY = 55

    def __init__(self, *, seed, count=0):
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.span = dt.timedelta(days=max(1.0, count / self.PER_DAY))
        self.pool = [self._sentence(8, 18) for _ in range(self.POOL)]
        self.themes = COMMON[:3]

    def word(self):
        if self.rng.random() < 0.7:
            return self.rng.choice(FILLER)
        return "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))).capitalize()

    def _sentence(self, low, high):
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        return " ".join(words).capitalize() + "."

    def new_article(self):
        """Pick the themes of the next article."""
        self.themes = self.rng.sample(COMMON, 3)

    def _themed(self, sentence):
        words = sentence.split(" ")
        words.insert(self.rng.randrange(1, len(words)), self.rng.choice(self.themes))
        return " ".join(words)

    def sentence(self, low=8, high=18):
        """A sentence of about ``low`` to ``high`` words that names one of the article's themes."""
        base = self.rng.choice(self.pool) if (low, high) == (8, 18) else self._sentence(low, high)
        return self._themed(base)

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))

    def html(self, paragraphs):
        return "".join(f"<p>{self.paragraph()}</p>" for _ in range(paragraphs))

    @staticmethod
    @functools.cache
    def topic_weights(count):
        return list(itertools.accumulate(1 / (rank + 1) for rank in range(count)))

    def past(self):
        return self.now - dt.timedelta(seconds=self.rng.uniform(60, self.span.total_seconds()))

    def state(self):
        """``(status, publish_at, unpublish_at, first_published_at)`` for one article."""
        roll = self.rng.random()
        past = self.past()
        if roll < 0.85:
            return Article.Status.PUBLISHED, past, None, past
        if roll < 0.88:  # scheduled
            future = self.now + dt.timedelta(seconds=self.rng.randint(600, 14 * 24 * 3600))
            return Article.Status.PUBLISHED, future, None, future
        if roll < 0.90:  # past its planned take-down
            return Article.Status.PUBLISHED, past, past + dt.timedelta(days=self.rng.randint(1, 30)), past
        if roll < 0.92:  # taken down by hand: a draft again
            return Article.Status.DRAFT, past, None, past
        if roll < 0.95:
            return Article.Status.REVIEW, None, None, None
        return Article.Status.DRAFT, None, None, None


@contextlib.contextmanager
def _stamps_as_given(*models):
    """Let bulk writes keep their own created/updated times (auto_now would make them all "now")."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _existing():
    """The shared test objects of an earlier run, reused by the next one (``None`` if there are none)."""
    topics = list(Topic.objects.filter(name__startswith=f"{GENERATED_PREFIX} "))
    clips = list(VideoClip.objects.filter(title__startswith=f"{GENERATED_PREFIX}:"))
    liveblogs = list(LiveblogLink.objects.filter(topline__startswith=f"{GENERATED_PREFIX} "))
    return (topics, clips, liveblogs) if topics and clips and liveblogs else None


def _shared(generator):
    """Topics, clips (posters shared among them) and liveblog cards: an earlier run's, or made now."""
    existing = _existing()
    if existing:
        return existing
    rng = generator.rng
    topics = Topic.objects.bulk_create(
        Topic(
            name=f"{GENERATED_PREFIX} {word}",
            slug=f"testdaten-{german_slugify(word)}-{index}",
            headline=f"Aktuelle Nachrichten: {GENERATED_PREFIX} {word} {index}",
        )
        for index, word in enumerate(rng.sample(COMMON, TOPICS))
    )
    posters = []
    for index in range(POSTERS):
        clip = VideoClip(
            title=f"{GENERATED_PREFIX}: Vorschaubild {index}",
            description="Platzhalter",
            poster_alt=f"Platzhalterbild {index}",
            duration=dt.timedelta(minutes=1),
        )
        clip.poster.save(f"testdaten-{index}.jpg", placeholder_poster(f"Testdaten {index}"), save=False)
        clip.poster_is_placeholder = True
        renditions_refresh(obj=clip, field_name="poster", save=False)
        posters.append(clip)
    clips = [
        VideoClip(
            title=f"{GENERATED_PREFIX}: {generator.sentence(3, 7)}"[:200],
            description=generator.sentence(),
            poster=posters[index % POSTERS].poster.name,
            poster_width=posters[index % POSTERS].poster_width,
            poster_height=posters[index % POSTERS].poster_height,
            poster_renditions=posters[index % POSTERS].poster_renditions,
            poster_is_placeholder=True,
            poster_alt=generator.sentence(4, 9)[:300],
            duration=dt.timedelta(seconds=rng.randint(20, 3 * 3600)),
            published_at=generator.past(),
            video_url=f"https://media.example.org/testdaten/{index}.mp4" if rng.random() < 0.5 else "",
            created_at=generator.now,
            updated_at=generator.now,
        )
        for index in range(CLIPS)
    ]
    clips = VideoClip.objects.bulk_create(clips)
    liveblogs = LiveblogLink.objects.bulk_create(
        LiveblogLink(
            topline=f"{GENERATED_PREFIX} {rng.choice(COMMON)}",
            title=f"Liveblog {index}: {generator.sentence(3, 6)}"[:200],
            teaser=generator.sentence(),
            url=f"https://www.example.org/testdaten/liveblog-{index}",
            updated_at=generator.now,
        )
        for index in range(LIVEBLOGS)
    )
    return topics, clips, liveblogs


def _article(generator, number, topics, clips):
    rng = generator.rng
    generator.new_article()
    status, publish_at, unpublish_at, first_published_at = generator.state()
    title = generator.sentence(6, 12).rstrip(".")[:190]
    created = (publish_at or generator.now) - dt.timedelta(hours=rng.randint(1, 72))
    return Article(
        kind=rng.choices(list(Article.Kind.values), (6, 2, 2, 1))[0],
        topline=generator.themes[0],
        title=title,
        slug=german_slugify(title, max_length=200) or f"artikel-{number}",
        teaser=generator.sentence(12, 30),
        intro=generator.html(rng.randint(1, 2)),
        hero_clip=rng.choice(clips) if rng.random() < 0.8 else None,
        intro_clip=rng.choice(clips) if rng.random() < 0.3 else None,
        # A few big topics and many small ones, as in a newsroom (the first gets about a fifth).
        topic=rng.choices(topics, cum_weights=generator.topic_weights(len(topics)))[0] if rng.random() < 0.9 else None,
        source=GENERATED_SOURCE,
        status=status,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        first_published_at=first_published_at,
        visibility_changed_at=publish_at if status == Article.Status.PUBLISHED else None,
        created_at=created,
        updated_at=max(created, min(generator.now, (publish_at or created) + dt.timedelta(hours=rng.randint(0, 48)))),
    )


def _children(generator, articles, themes_of, clips, liveblogs):
    rng = generator.rng
    items, mentions, placements = [], [], []
    for article, themes in zip(articles, themes_of, strict=True):
        generator.themes = themes
        for position in range(rng.randint(3, 8)):
            items.append(
                FAQItem(
                    article=article,
                    position=position,
                    question=generator.sentence(5, 10).rstrip(".")[:290] + "?",
                    answer=generator.html(rng.randint(1, 3)),
                    clip=rng.choice(clips) if rng.random() < 0.25 else None,
                    anchor=f"frage-{position + 1}",
                    updated_at=article.updated_at,
                )
            )
        if rng.random() < 0.4:
            aired_on = timezone.localdate(article.publish_at or article.created_at)
            for position, (determiner, show) in enumerate(rng.sample(SHOWS, rng.randint(1, 3))):
                mentions.append(
                    BroadcastMention(
                        article=article,
                        position=position,
                        determiner=determiner,
                        show=show,
                        aired_on=aired_on,
                        starts_at=dt.time(rng.randint(0, 23), rng.choice((0, 15, 30, 45))),
                        updated_at=article.updated_at,
                    )
                )
        if rng.random() < 0.3:
            placements.append(
                ArticleLiveblogLink(
                    article=article,
                    liveblog_link=rng.choice(liveblogs),
                    lead_in="Alle aktuellen Entwicklungen lesen Sie in unserem Liveblog:",
                    position=0,
                    updated_at=article.updated_at,
                )
            )
    return items, mentions, placements


@contextlib.contextmanager
def _bulk_search_indexing():
    """On PostgreSQL, let the GIN index take a flood of documents through its pending list, then merge it.

    The index writes every entry at once in normal operation (``fastupdate = off``, migration
    0009), which is right for a newsroom's few saves and slow for a hundred thousand inserts.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER INDEX {SEARCH_INDEX} SET (fastupdate = on)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT gin_clean_pending_list('{SEARCH_INDEX}'::regclass)")
            cursor.execute(f"ALTER INDEX {SEARCH_INDEX} SET (fastupdate = off)")


def generate_articles(*, count, seed=0, progress=None):
    """Make ``count`` articles of test data; ``progress(done, count)`` is called after each batch."""
    generator = Generator(seed=seed, count=count)
    with (
        _stamps_as_given(Article, FAQItem, BroadcastMention, ArticleLiveblogLink, VideoClip, LiveblogLink),
        _bulk_search_indexing(),
    ):
        with transaction.atomic():
            topics, clips, liveblogs = _shared(generator)
        done = 0
        while done < count:
            size = min(BATCH_SIZE, count - done)
            with transaction.atomic():
                made, themes = [], []
                for index in range(size):
                    made.append(_article(generator, done + index, topics, clips))
                    themes.append(generator.themes)
                articles = Article.objects.bulk_create(made)
                items, mentions, placements = _children(generator, articles, themes, clips, liveblogs)
                FAQItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
                BroadcastMention.objects.bulk_create(mentions, batch_size=BATCH_SIZE)
                ArticleLiveblogLink.objects.bulk_create(placements, batch_size=BATCH_SIZE)
            done += size
            if progress:
                progress(done, count)
    return done


def generated_articles():
    return Article.objects.filter(source=GENERATED_SOURCE)


def generated_remove(*, progress=None):
    """Remove all generated test data (articles with their parts, then clips, topics, liveblog cards).

    Returns the number of articles removed. Data made by editors is never touched: only
    objects carrying the marker go, and a clip, topic or card still used elsewhere stays.
    """
    total = generated_articles().count()
    removed = 0
    while True:
        ids = list(generated_articles().order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            break
        with transaction.atomic():
            for model in (FAQItem, BroadcastMention, ArticleLiveblogLink):
                model.objects.filter(article_id__in=ids)._raw_delete(model.objects.db)
            Article.objects.filter(pk__in=ids)._raw_delete(Article.objects.db)
        removed += len(ids)
        if progress:
            progress(removed, total)
    unused = VideoClip.objects.filter(
        title__startswith=f"{GENERATED_PREFIX}:", hero_articles=None, intro_articles=None, faq_items=None
    )
    posters = {clip.poster.name: clip for clip in unused.exclude(poster="")}
    with transaction.atomic():
        unused.delete()
        Topic.objects.filter(name__startswith=f"{GENERATED_PREFIX} ", articles=None).delete()
        LiveblogLink.objects.filter(topline__startswith=f"{GENERATED_PREFIX} ", placements=None).delete()
    for name, clip in posters.items():
        if not VideoClip.objects.filter(poster=name).exists():
            image_delete(clip.poster)  # the shared poster file and its renditions
    return removed
