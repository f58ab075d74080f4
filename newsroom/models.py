"""The core content model: topics, articles, liveblog cards and broadcast mentions."""

import dataclasses
import functools

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from media_clips.fields import RenditionsField
from media_clips.usage import ClipSlot
from media_clips.validators import CleanImageField
from newsroom.broadcasts import FORM_CHOICES, STANDARD
from newsroom.dates import format_clock, format_date
from newsroom.fields import (
    LinkField,
    PlainCharField,
    PlainTextField,
    SanitizedHTMLField,
    validate_link_target,  # noqa: F401 (migration 0001 names it here)
)


def liveblog_image_upload_to(instance, filename):
    from media_clips.models import poster_upload_to

    return "liveblog/" + poster_upload_to(instance, filename).removeprefix("posters/")


class TopicQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Topics a reader may see: those with at least one published article.

        A topic made for a draft (e.g. by the importer) stays hidden until the draft goes live.
        """
        # EXISTS per topic, answered by the topic listing index: no scan of all articles.
        return self.filter(Exists(Article.objects.published().filter(topic=OuterRef("pk"))))


class Topic(models.Model):
    name = PlainCharField("Name", max_length=100, help_text="z. B. „Ukraine“")
    slug = models.SlugField("Kurzname in der URL", max_length=100, unique=True, help_text="z. B. „ukraine“")
    headline = PlainCharField(
        "Überschrift",
        max_length=200,
        unique=True,
        help_text="Linktext unter Artikeln und Überschrift der Themenseite, z. B. „Aktuelle Nachrichten zur Ukraine“.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True, db_index=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "Thema"
        verbose_name_plural = "Themen"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsroom:topic", kwargs={"slug": self.slug})


# Every place on an article page that shows a clip, in page order. Declared once: the page,
# ninjs, JSON-LD, "clips in published articles" and the clip admin's "Verwendet in" (through
# media_clips.usage, registered in NewsroomConfig.ready) all read it.
CLIP_SLOTS = (
    ClipSlot(
        name="hero", label="Aufmacher-Clip", model="newsroom.Article", field="hero_clip", owner_lookup="hero_clip"
    ),
    ClipSlot(
        name="intro",
        label="Clip nach der Einleitung",
        model="newsroom.Article",
        field="intro_clip",
        owner_lookup="intro_clip",
    ),
    ClipSlot(
        name="faq",
        label="nach der Frage „{row.question}“",
        model="faq.FAQItem",
        field="clip",
        owner_lookup="faq_items__clip",
        owner_field="article",
    ),
)


@functools.cache
def _article_path_pattern():
    # The URLconf's own answer, once: "nachrichten/{slug}-{pk}/" after the script prefix.
    path = reverse("newsroom:article", kwargs={"slug": "SLUG", "pk": 1}).removeprefix(get_script_prefix())
    return path.replace("SLUG", "{slug}").replace("-1/", "-{pk}/")


def article_path(slug, pk):
    """``/nachrichten/<slug>-<pk>/``: what ``reverse("newsroom:article")`` gives, without its cost per call.

    ``Article.get_absolute_url`` and the sitemaps (thousands of URLs per page) use it.
    """
    return get_script_prefix() + _article_path_pattern().format(slug=slug, pk=pk)


# The condition of the partial indexes that serve public surfaces (all of published() but the clock).
_PUBLISHED = Q(status="published")

# The fields only the workflow writes (newsroom.services.workflow): status and its times.
# A content save never writes them (the admin form shows them read-only), a restore keeps
# them, and only a transition moves visibility_changed_at.
WORKFLOW_FIELDS = ("status", "publish_at", "unpublish_at", "first_published_at", "visibility_changed_at", "review_note")


def article_state(status, publish_at, unpublish_at, now):
    """The state of an article with these workflow values at ``now`` (an ``Article.State``).

    The same rule as the QuerySet methods below, in Python for an object in hand; a test
    holds the two against each other for every combination.
    """
    if status == Article.Status.DRAFT:
        return Article.State.DRAFT
    if status == Article.Status.REVIEW:
        return Article.State.REVIEW
    if publish_at is None or publish_at > now:
        return Article.State.SCHEDULED
    if unpublish_at is not None and unpublish_at <= now:
        return Article.State.EXPIRED
    return Article.State.LIVE


@dataclasses.dataclass(frozen=True)
class PlannedChange:
    """A moment ahead at which an article goes online (``going="online"``) or offline."""

    at: object
    going: str
    article: object


def planned_changes(*, until=None, limit):
    """The planned go-lives and take-downs from now (before ``until``), soonest first, at most ``limit``."""
    go_lives = Article.objects.scheduled().order_by("publish_at", "pk")
    take_downs = Article.objects.take_downs_planned().order_by("unpublish_at", "pk")
    if until is not None:
        go_lives, take_downs = go_lives.filter(publish_at__lt=until), take_downs.filter(unpublish_at__lt=until)
    changes = [PlannedChange(article.publish_at, "online", article) for article in go_lives[:limit]]
    changes += [PlannedChange(article.unpublish_at, "offline", article) for article in take_downs[:limit]]
    changes.sort(key=lambda change: (change.at, change.going == "offline", change.article.pk))
    return changes[:limit]


def published_sql(alias):
    """``published()`` as a condition of raw SQL on the article table ``alias``, for the hot paths.

    It takes the named parameter ``now`` (go-live reached, take-down not yet); the stamps and
    the page loader use it. A test holds it to ``published()``.
    """
    status = Article.Status.PUBLISHED.value
    return (
        f"{alias}.status = '{status}' AND {alias}.publish_at <= %(now)s "
        f"AND ({alias}.unpublish_at IS NULL OR {alias}.unpublish_at > %(now)s)"
    )


class ArticleQuerySet(models.QuerySet):
    """The article states, one method each; ``published()`` is the one visibility rule.

    Every method reads the clock when it is called, so scheduling needs no worker.
    """

    def published(self):
        """The one visibility rule: what a reader, a feed or a partner may see right now.

        Status published, go-live reached, not yet taken down (``Article.State.LIVE``).
        """
        now = timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Article.Status.PUBLISHED,
            publish_at__lte=now,
        )

    def withdrawn(self):
        """Once public, not now: taken down, past its take-down, or moved to a later go-live.

        What partners may have shown and must remove: the API answers 410 Gone for these. An
        article that was never live (a draft, a first go-live still ahead) is not among them.
        """
        now = timezone.now()
        live = Q(status=Article.Status.PUBLISHED, publish_at__lte=now) & (
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )
        return self.filter(first_published_at__lte=now).exclude(live)

    def embargoed_for(self, partner):
        """Scheduled articles a duty editor has released to ``partner`` ahead of their go-live (an embargo)."""
        return self.scheduled().filter(
            Exists(Article.embargo_partners.through.objects.filter(article_id=OuterRef("pk"), partner_id=partner.pk))
        )

    def visible_to(self, partner):
        """``published()``'s sibling for the partner API: what is live, plus what is embargoed for ``partner``.

        Readers, feeds and every other surface use ``published()``; only the partner API asks this.
        """
        now = timezone.now()
        live = Q(status=Article.Status.PUBLISHED, publish_at__lte=now) & (
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )
        if partner is None:
            return self.filter(live)
        released = Exists(
            Article.embargo_partners.through.objects.filter(article_id=OuterRef("pk"), partner_id=partner.pk)
        )
        return self.filter(live | (Q(status=Article.Status.PUBLISHED, publish_at__gt=now) & released))

    def scheduled(self):
        """Published by a duty editor, but the go-live lies ahead ("geplant")."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def take_downs_planned(self):
        """Published, with a planned take-down still ahead (live now, or scheduled)."""
        return self.filter(status=Article.Status.PUBLISHED, unpublish_at__gt=timezone.now())

    def expired(self):
        """Published, but the planned take-down has passed ("offline")."""
        return self.filter(status=Article.Status.PUBLISHED, unpublish_at__lte=timezone.now())

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_state(self, state):
        """The articles in ``state`` (an ``Article.State``)."""
        methods = {
            Article.State.DRAFT: self.drafts,
            Article.State.REVIEW: self.in_review,
            Article.State.SCHEDULED: self.scheduled,
            Article.State.LIVE: self.published,
            Article.State.EXPIRED: self.expired,
        }
        return methods[Article.State(state)]()

    def with_placeholder_images(self):
        """The articles that show a generated placeholder: a clip's poster or a liveblog card's image."""
        from faq.models import FAQItem

        return self.filter(
            Q(hero_clip__poster_is_placeholder=True)
            | Q(intro_clip__poster_is_placeholder=True)
            | Exists(FAQItem.objects.filter(article=OuterRef("pk"), clip__poster_is_placeholder=True))
            | Exists(
                ArticleLiveblogLink.objects.filter(article=OuterRef("pk"), liveblog_link__image_is_placeholder=True)
            )
        )

    def with_date_published(self):
        """Each article annotated with ``date_published_at``, the SQL form of ``Article.date_published``."""
        return self.annotate(date_published_at=Coalesce("first_published_at", "publish_at"))

    def for_page(self):
        """Everything the explainer page renders, in a fixed number of queries."""
        return self.select_related("topic", "hero_clip", "intro_clip").prefetch_related(
            models.Prefetch("faq_items", queryset=_faq_items().select_related("clip")),
            models.Prefetch(
                "liveblog_placements",
                queryset=ArticleLiveblogLink.objects.select_related("liveblog_link"),
            ),
            "broadcast_mentions",
        )


def _faq_items():
    from faq.models import FAQItem

    return FAQItem.objects.all()


class Article(models.Model):
    class Kind(models.TextChoices):
        FAQ = "faq", "FAQ"
        EXPLAINER = "explainer", "Erklärt"
        NEWS = "news", "Nachricht"
        ANALYSIS = "analysis", "Analyse"

    class Status(models.TextChoices):
        DRAFT = "draft", "Entwurf"
        REVIEW = "review", "In Prüfung"
        PUBLISHED = "published", "Veröffentlicht"

    class State(models.TextChoices):
        """Where an article stands right now: its status, and for a published one the clock.

        Not stored (``Article.state``, ``Article.objects.in_state()``). The two states of a
        published article that readers do not see are named as qualifiers of "Veröffentlicht".
        """

        DRAFT = "draft", "Entwurf"
        REVIEW = "review", "In Prüfung"
        SCHEDULED = "scheduled", "geplant"
        LIVE = "live", "Veröffentlicht"
        EXPIRED = "expired", "offline"

    kind = models.CharField(
        "Format",
        max_length=20,
        choices=Kind.choices,
        default=Kind.FAQ,
        help_text="Erscheint als Rubrik über der Überschrift, z. B. „FAQ“.",
    )
    topline = PlainCharField(
        "Dachzeile",
        max_length=100,
        help_text="Kurze Zeile über dem Titel, z. B. „Gipfel in Paris“. Ohne Doppelpunkt.",
    )
    title = PlainCharField(
        "Titel",
        max_length=200,
        help_text="z. B. „Wie die ‚Koalition der Willigen‘ einen Frieden absichern will“",
    )
    slug = models.SlugField(
        "Kurzname in der URL",
        max_length=200,
        help_text="Wird aus dem Titel vorgeschlagen; die Adresse lautet /nachrichten/kurzname-id/.",
    )
    teaser = PlainTextField("Teaser", help_text="Ein bis zwei Sätze, die den Artikel zusammenfassen.")
    hero_clip = models.ForeignKey(
        "media_clips.VideoClip",
        verbose_name="Aufmacher-Clip",
        on_delete=models.PROTECT,
        related_name="hero_articles",
        null=True,
        blank=True,
    )
    intro = SanitizedHTMLField(
        "Einleitung",
        blank=True,
        help_text=(
            "Mit der Werkzeugleiste formatieren: fett, kursiv, Links, Aufzählungen und nummerierte Listen. "
            "Eingabetaste beginnt einen neuen Absatz, Umschalt+Eingabe eine neue Zeile."
        ),
    )
    intro_clip = models.ForeignKey(
        "media_clips.VideoClip",
        verbose_name="Clip nach der Einleitung",
        on_delete=models.PROTECT,
        related_name="intro_articles",
        null=True,
        blank=True,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name="Thema",
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    source = PlainCharField("Quelle", max_length=100, blank=True, help_text="z. B. „dpa“")
    broadcast_form = models.CharField(
        "Satzbau des Sendungshinweises",
        max_length=20,
        choices=FORM_CHOICES,
        default=STANDARD,
        help_text="Wie der Satz aus den Sendungshinweisen lautet, z. B. „Über das Thema berichtete …“ "
        "oder „Am 06.01.2026 berichtete …“.",
    )
    broadcast_note = PlainTextField(
        "Sendungshinweis als Text",
        blank=True,
        help_text="Wird wörtlich unter der Quelle gezeigt, jede Zeile als eigener Absatz (nach dem Satz aus den "
        "Sendungshinweisen, falls es beide gibt). Der Import legt hier ab, was er nicht in Sendungen zerlegen kann.",
    )
    status = models.CharField("Status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "Veröffentlichen ab",
        null=True,
        blank=True,
        help_text="Wird mit „Veröffentlichen“ oder „Planen“ gesetzt; "
        "liegt er in der Zukunft, ist der Artikel „geplant“.",
    )
    unpublish_at = models.DateTimeField(
        "Offline nehmen ab",
        null=True,
        blank=True,
        help_text="Optional, mit „Offline nehmen planen“ gesetzt: "
        "ab diesem Zeitpunkt ist der Artikel nicht mehr zu sehen.",
    )
    first_published_at = models.DateTimeField("Erstmals veröffentlicht", null=True, blank=True, editable=False)
    visibility_changed_at = models.DateTimeField("Status zuletzt geändert", null=True, blank=True, editable=False)
    review_note = PlainTextField(
        "Rückmeldung aus der Prüfung",
        blank=True,
        editable=False,
        help_text="Warum der Chef vom Dienst den Artikel an die Redaktion zurückgegeben hat; "
        "gilt, bis er wieder zur Prüfung gegeben wird.",
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert am", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Angelegt von",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Geändert von",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    # An embargo: partners who see the article in the API before its go-live (newsroom.webhooks
    # tells them); readers and every other partner see it only from the go-live on.
    embargo_partners = models.ManyToManyField(
        "Partner",
        verbose_name="Vorab freigegeben für",
        related_name="embargoed_articles",
        blank=True,
        help_text="Diese Partner erhalten den geplanten Artikel schon vor „Veröffentlichen ab“ über die API, "
        "mit Sperrfrist bis dahin. Leserinnen und alle anderen sehen ihn erst ab dem Zeitpunkt.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "Artikel"
        verbose_name_plural = "Artikel"
        ordering = ["-publish_at", "-id"]
        # One index per question the site asks at scale (docs/decisions.md, "Indexes"): the
        # listings' keyset order, the validators' probes, updated_since and the news sitemap.
        indexes = [
            # The state probes (status, go-live) and the admin list filtered by status, in its order.
            models.Index(fields=["status", "-publish_at", "-id"], name="article_status_order_idx"),
            models.Index(fields=["-publish_at", "-id"], condition=_PUBLISHED, name="article_listing_idx"),
            models.Index(
                fields=["topic", "-publish_at", "-id"], condition=_PUBLISHED, name="article_topic_listing_idx"
            ),
            models.Index(fields=["-publish_at", "-id"], name="article_admin_order_idx"),
            models.Index(fields=["status", "unpublish_at"], name="article_takedown_idx"),
            models.Index(fields=["status", "updated_at"], name="article_edited_idx"),
            models.Index(fields=["visibility_changed_at"], name="article_transition_idx"),
            models.Index(Greatest("updated_at", "publish_at"), condition=_PUBLISHED, name="article_changed_idx"),
            models.Index(
                Coalesce("first_published_at", "publish_at"), condition=_PUBLISHED, name="article_date_published_idx"
            ),
        ]
        # Publishing, scheduling and taking down: the "Chef vom Dienst" role (see newsroom.services).
        permissions = [("publish_article", "Artikel veröffentlichen")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message="Ein veröffentlichter Artikel braucht einen Veröffentlichungszeitpunkt.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(unpublish_at__gt=models.F("publish_at")),
                name="article_unpublish_after_publish",
                violation_error_message="„Offline nehmen ab“ muss nach „Veröffentlichen ab“ liegen.",
            ),
        ]

    def __str__(self):
        return f"{self.topline}: {self.title}"

    def get_absolute_url(self):
        return article_path(self.slug, self.pk)

    def placeholder_images(self):
        """``(where, clip or liveblog card)`` for each generated placeholder the article shows, in page order."""
        found = [
            (where, clip)
            for where, clip in (("Aufmacher-Clip", self.hero_clip), ("Clip nach der Einleitung", self.intro_clip))
            if clip is not None and clip.poster_is_placeholder
        ]
        if self.pk is None:
            return found
        items = self.faq_items.filter(clip__poster_is_placeholder=True).select_related("clip")
        found += [(f"Clip zur Frage „{item.question}“", item.clip) for item in items]
        placements = self.liveblog_placements.filter(liveblog_link__image_is_placeholder=True)
        found += [
            ("Liveblog-Karte", placement.liveblog_link) for placement in placements.select_related("liveblog_link")
        ]
        return found

    def clean(self):
        errors = {}
        self.topline = (self.topline or "").strip()
        self.title = (self.title or "").strip()
        if ":" in self.topline:
            # The page joins topline and title with a colon; one inside the topline
            # would make the heading ambiguous for the importer and screen readers.
            errors["topline"] = "Die Dachzeile darf keinen Doppelpunkt enthalten."
        if "\n" in self.title:
            errors["title"] = "Der Titel muss in eine Zeile passen."
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            errors["unpublish_at"] = "„Offline nehmen ab“ muss nach „Veröffentlichen ab“ liegen."
        if errors:
            raise ValidationError(errors)

    @property
    def kicker(self):
        return self.get_kind_display()

    @property
    def state(self):
        """The article's ``Article.State`` now (the same rule as the QuerySet's methods)."""
        return article_state(self.status, self.publish_at, self.unpublish_at, timezone.now())

    @property
    def is_live(self):
        return self.state == self.State.LIVE

    @property
    def is_scheduled(self):
        return self.state == self.State.SCHEDULED

    @property
    def date_published(self):
        """When the article was published, for every surface (page, feeds, sitemaps, JSON-LD, ninjs).

        Its first publication; an article published before that stamp existed falls back to
        its go-live time. ``ArticleQuerySet.with_date_published()`` is the same rule in SQL.
        """
        return self.first_published_at or self.publish_at

    @property
    def last_modified(self):
        """When anything on the page last changed (uses the objects ``for_page()`` loads).

        The go-live time counts too: a scheduled article appears without being saved.
        """
        stamps = [self.updated_at, self.publish_at]
        stamps += [clip.updated_at for clip in self.clips()]
        stamps += [item.updated_at for item in self.faq_items.all()]
        for placement in self.liveblog_placements.all():
            stamps += [placement.updated_at, placement.liveblog_link.updated_at]
        stamps += [mention.updated_at for mention in self.broadcast_mentions.all()]
        return max(stamp for stamp in stamps if stamp is not None)

    def clip_placements(self):
        """``(slot, row, clip)`` for every clip shown on the page, in page order (see ``CLIP_SLOTS``).

        ``row`` is the article itself or the FAQ item that shows the clip; reads the
        prefetched FAQ items, so it costs no query on an article from ``for_page()``.
        """
        placements = []
        for slot in CLIP_SLOTS:
            for row in slot.rows_of(self):
                clip = getattr(row, slot.field)
                if clip is not None:
                    placements.append((slot, row, clip))
        return placements

    def clips(self):
        """Every clip on the page, in page order, each once."""
        clips = {}
        for _, _, clip in self.clip_placements():
            clips.setdefault(clip.pk, clip)
        return list(clips.values())


class LiveblogLinkQuerySet(models.QuerySet):
    def in_published_articles(self):
        """Cards a reader can see: placed in at least one published article."""
        return self.filter(
            Exists(
                ArticleLiveblogLink.objects.filter(
                    liveblog_link=OuterRef("pk"), article__in=Article.objects.published()
                )
            )
        )


class LiveblogLink(models.Model):
    topline = PlainCharField("Dachzeile", max_length=100, help_text="z. B. „Krieg gegen die Ukraine“")
    title = PlainCharField("Titel", max_length=200, help_text="z. B. „Alle Entwicklungen im Liveblog“")
    teaser = PlainTextField("Teaser", help_text="Ein Satz, der den Liveblog beschreibt.")
    url = LinkField(
        "Adresse",
        max_length=500,
        blank=True,
        help_text="Vollständige Adresse (https://…) oder ein Pfad auf dieser Website (/themen/ukraine/). "
        "Ohne Adresse wird die Karte nicht verlinkt.",
    )
    image = CleanImageField(
        "Bild",
        upload_to=liveblog_image_upload_to,
        width_field="image_width",
        height_field="image_height",
        blank=True,
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Made by media_clips.services.renditions_refresh (admin, importer, demo, make_renditions).
    image_renditions = RenditionsField("Bildvarianten", source="image")
    image_is_placeholder = models.BooleanField(
        "Platzhalter",
        default=False,
        editable=False,
        help_text="Das Bild ist ein erzeugter Platzhalter und muss vor dem Veröffentlichen ersetzt werden.",
    )
    image_alt = PlainCharField(
        "Alternativtext",
        max_length=300,
        blank=True,
        help_text="z. B. „Rettungskräfte räumen Trümmer eines Wohnhauses in Ternopil“",
    )
    label = PlainCharField("Label", max_length=40, default="Liveblog", help_text="Kleines Etikett auf der Karte.")
    updated_at = models.DateTimeField("Geändert am", auto_now=True, db_index=True)

    objects = LiveblogLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "Liveblog-Link"
        verbose_name_plural = "Liveblog-Links"
        ordering = ["topline", "title"]

    def __str__(self):
        return f"{self.topline}: {self.title}"

    def clean(self):
        if self.image and not (self.image_alt or "").strip():
            raise ValidationError({"image_alt": "Zu einem Bild gehört ein Alternativtext."})


class ArticleLiveblogLink(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="liveblog_placements"
    )
    liveblog_link = models.ForeignKey(
        LiveblogLink, verbose_name="Liveblog-Link", on_delete=models.PROTECT, related_name="placements"
    )
    lead_in = PlainCharField(
        "Einleitungssatz",
        max_length=300,
        help_text="Steht über der Karte, z. B. „Alle aktuellen Entwicklungen lesen Sie in unserem Liveblog:“",
    )
    position = models.PositiveIntegerField("Position", default=0)
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Liveblog-Verweis"
        verbose_name_plural = "Liveblog-Verweise"
        ordering = ["position", "id"]

    def __str__(self):
        return str(self.liveblog_link)


class BroadcastMention(models.Model):
    class Determiner(models.TextChoices):
        NONE = "", "ohne"
        DER = "der", "der"
        DIE = "die", "die"
        DAS = "das", "das"

    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="broadcast_mentions"
    )
    position = models.PositiveIntegerField("Position", default=0)
    determiner = models.CharField(
        "Artikel der Sendung",
        max_length=3,
        choices=Determiner.choices,
        blank=True,
        default="",
        help_text="„das“ ergibt „das heute journal update“; „ohne“ ergibt „heute Xpress“.",
    )
    show = PlainCharField("Sendung", max_length=100, help_text="z. B. „heute journal update“")
    aired_on = models.DateField("Sendedatum")
    starts_at = models.TimeField("Beginn", help_text="z. B. 0:35")
    starts_at_padded = models.BooleanField(
        "Uhrzeit mit führender Null",
        default=False,
        help_text="Hausstil ist „7:30 Uhr“; angehakt steht „07:30 Uhr“ im Satz.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Sendungshinweis"
        verbose_name_plural = "Sendungshinweise"
        ordering = ["position", "id"]

    def __str__(self):
        clock = format_clock(self.starts_at, padded=self.starts_at_padded)
        return f"{self.show_name} am {format_date(self.aired_on)} ab {clock} Uhr"

    def clean(self):
        self.show = (self.show or "").strip()
        first_word = self.show.split(" ", 1)[0]
        if first_word in {"der", "die", "das"}:
            raise ValidationError({"show": "Den Artikel der Sendung bitte im Feld „Artikel der Sendung“ wählen."})

    @property
    def show_name(self):
        return f"{self.determiner} {self.show}" if self.determiner else self.show

    @property
    def padded(self):
        return self.starts_at_padded


def clips_in_published_articles():
    """Clips a reader can see: used as hero, intro or FAQ clip of a published article.

    Lives here rather than in media_clips, which knows nothing about articles.
    """
    from media_clips.models import VideoClip

    published = Article.objects.published()
    condition = Q()
    for slot in CLIP_SLOTS:
        # EXISTS per clip and slot: index probes on the foreign keys, no scan of all articles.
        rows = slot.model_class()._default_manager.filter(**{slot.field: OuterRef("pk")})
        rows = rows.filter(**{f"{slot.owner_field}__in" if slot.owner_field else "pk__in": published})
        condition |= Exists(rows)
    return VideoClip.objects.filter(condition)


class Partner(models.Model):
    """An organisation that pulls published articles over the partner API."""

    name = PlainCharField("Organisation", max_length=200, unique=True, help_text="z. B. „Regionalsender Nord“")
    contact_email = models.EmailField("Kontakt-E-Mail", help_text="Wer bei Problemen mit dem Zugang erreichbar ist.")
    is_active = models.BooleanField(
        "Aktiv", default=True, help_text="Deaktivierte Partner werden mit allen Schlüsseln abgewiesen."
    )
    rate_limit = models.CharField(
        "Eigenes Anfragelimit",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[1-9][0-9]*/(second|minute|hour|day)$",
                "Format: Anzahl/Zeitraum, z. B. 5000/hour (Zeitraum: second, minute, hour, day).",
            )
        ],
        help_text="Leer lassen für das Standardlimit; sonst z. B. 5000/hour.",
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Partner"
        verbose_name_plural = "Partner"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerAPIKey(AbstractAPIKey):
    """A partner's API key; only its hash is stored (djangorestframework-api-key)."""

    partner = models.ForeignKey(Partner, verbose_name="Partner", on_delete=models.CASCADE, related_name="api_keys")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API-Schlüssel"
        verbose_name_plural = "API-Schlüssel"


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Proposal.Status.OPEN)


class Proposal(models.Model):
    """A proposed change to something readers see, by someone who may not publish: nothing changes until applied.

    A duty editor applies it or rejects it with a reason the author sees
    (``newsroom.services.corrections``). ``content`` holds the proposed state, serialised as
    Django serialises models.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Offen"
        APPLIED = "applied", "Übernommen"
        REJECTED = "rejected", "Abgelehnt"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Vorgeschlagen von", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("Vorgeschlagen am", auto_now_add=True)
    # When what is corrected was last changed, as the proposal saw it: a later edit is named on review.
    based_on = models.DateTimeField("Stand")
    content = models.JSONField("Vorgeschlagener Inhalt")
    summary = PlainTextField("Änderungen", blank=True)
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Entschieden von",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("Entschieden am", null=True, blank=True)
    reason = PlainTextField("Begründung der Ablehnung", blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        default_permissions = ()


class Correction(Proposal):
    """A proposed change to a live article: the article and its FAQ items, liveblog placements and mentions."""

    article = models.ForeignKey(Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="corrections")

    class Meta(Proposal.Meta):
        verbose_name = "Korrekturvorschlag"
        verbose_name_plural = "Korrekturvorschläge"
        indexes = [models.Index(fields=["status", "-created_at"], name="correction_status_idx")]

    def __str__(self):
        return f"Korrekturvorschlag zu „{self.article}“ von {self.author.get_username()}"


class ItemCorrection(Proposal):
    """A proposed change to a clip or liveblog card that a live article shows (its text fields)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta(Proposal.Meta):
        verbose_name = "Korrekturvorschlag zu Clip oder Liveblog-Verweis"
        verbose_name_plural = "Korrekturvorschläge zu Clips und Liveblog-Verweisen"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="item_correction_status_idx"),
            models.Index(fields=["content_type", "object_id"], name="item_correction_target_idx"),
        ]

    def __str__(self):
        return f"Korrekturvorschlag zu „{self.target}“ von {self.author.get_username()}"


class ArticleDeletion(models.Model):
    """A deleted article that readers could have seen: written by a database trigger, never by Django.

    Listings' validators move forward when a public article is deleted (``newsroom.caching``);
    without a trace of it, they would move backwards and a revalidating client would keep it.
    Migration ``0009_search_document`` makes the trigger (``AFTER DELETE ON newsroom_article``),
    ``0020_deletion_was_public`` has it note whether the article had been live.
    """

    article_id = models.BigIntegerField("Artikel-ID")
    deleted_at = models.DateTimeField("Gelöscht am", db_index=True)
    # Whether it had been live (a first go-live in the past): only then is its id a 410 for partners.
    # A scheduled article deleted before its go-live moves validators, but its id never was public.
    was_public = models.BooleanField("War öffentlich", default=True)

    class Meta:
        verbose_name = "Gelöschter Artikel"
        verbose_name_plural = "Gelöschte Artikel"
        default_permissions = ()

    def __str__(self):
        return f"Artikel {self.article_id}, gelöscht am {self.deleted_at:%d.%m.%Y}"


class ArticleSearchDocument(models.Model):
    """The weighted full-text document of an article on PostgreSQL, kept by database triggers.

    Read-only for Django (``newsroom.search``); migration ``0009_search_document`` makes the
    table, its GIN index and the triggers. On SQLite the FTS5 table ``newsroom_article_fts``
    plays this part, and this model has no table.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, related_name="search_document", db_constraint=False
    )
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "newsroom_article_search"
        default_permissions = ()

    def __str__(self):
        return f"Suchdokument von Artikel {self.article_id}"


# Loading an article page ------------------------------------------------------------------------


# Rows of SQL written out once ------------------------------------------------------------------
#
# The hottest paths (the article page's loader below, the API's key check) run queries whose
# text is fixed, because building them with the ORM on every request cost more than running
# them. ``RowReader`` turns a model's slice of such a row into an instance exactly as the ORM
# would (aware datetimes, booleans, JSON, durations), whatever the database hands back raw.


class RowReader:
    """The columns of ``model`` under the table alias ``alias``, and instances from rows of them."""

    def __init__(self, model, alias):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        self.select = ", ".join(f"{alias}.{column}" for column in self.columns)
        self._converters = None

    def converters(self):
        if self._converters is None:
            self._converters = []
            for field in self.fields:
                column = field.get_col(self.model._meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                self._converters.append((column, functions))
        return self._converters

    def instance(self, row, start=0):
        """The instance in ``row[start:]``; ``None`` when its primary key is NULL (a LEFT JOIN found nothing)."""
        values = list(row[start : start + len(self.columns)])
        if values[0] is None:
            return None
        for index, (column, functions) in enumerate(self.converters()):
            for function in functions:
                values[index] = function(values[index], column, connection)
        return self.model.from_db(connection.alias, None, values)

    def __len__(self):
        return len(self.columns)


def fetch_all(sql, params):
    """Every row of a written-out query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _page_queries():
    from faq.models import FAQItem
    from media_clips.models import VideoClip

    rows = {
        "article": RowReader(Article, "a"),
        "topic": RowReader(Topic, "t"),
        "hero": RowReader(VideoClip, "h"),
        "intro": RowReader(VideoClip, "i"),
        "item": RowReader(FAQItem, "f"),
        "item_clip": RowReader(VideoClip, "c"),
        "placement": RowReader(ArticleLiveblogLink, "p"),
        "link": RowReader(LiveblogLink, "l"),
        "mention": RowReader(BroadcastMention, "m"),
    }
    clip = VideoClip._meta.db_table
    article = (
        f"SELECT {rows['article'].select}, {rows['topic'].select}, {rows['hero'].select}, {rows['intro'].select} "
        f"FROM {Article._meta.db_table} a LEFT JOIN {Topic._meta.db_table} t ON t.id = a.topic_id "
        f"LEFT JOIN {clip} h ON h.id = a.hero_clip_id LEFT JOIN {clip} i ON i.id = a.intro_clip_id WHERE a.id = %(pk)s"
    )
    queries = {
        "article": article,
        "published": f"{article} AND {published_sql('a')}",
        "items": (
            f"SELECT {rows['item'].select}, {rows['item_clip'].select} FROM {FAQItem._meta.db_table} f "
            f"LEFT JOIN {clip} c ON c.id = f.clip_id WHERE f.article_id = %s ORDER BY f.position, f.id"
        ),
        "placements": (
            f"SELECT {rows['placement'].select}, {rows['link'].select} "
            f"FROM {ArticleLiveblogLink._meta.db_table} p JOIN {LiveblogLink._meta.db_table} l "
            "ON l.id = p.liveblog_link_id WHERE p.article_id = %s ORDER BY p.position, p.id"
        ),
        "mentions": (
            f"SELECT {rows['mention'].select} FROM {BroadcastMention._meta.db_table} m "
            "WHERE m.article_id = %s ORDER BY m.position, m.id"
        ),
    }
    return rows, queries


def load_page(pk, *, published=True):
    """The article with everything its page shows, in four queries written out once; ``None`` if there is none.

    What ``Article.objects.published().for_page()`` loads (without ``published``: any status,
    for previews), with the FAQ items (and their clips), liveblog placements (and their cards)
    and broadcast mentions in the instance's prefetch cache. The page is Newsroom's hottest
    path, and building those queries cost more than running them. The visibility condition is
    ``published()``'s; a test holds the two together.
    """

    rows, queries = _page_queries()
    if published:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = fetch_all(queries["published"], {"pk": pk, "now": now})
    else:
        found = fetch_all(queries["article"], {"pk": pk})
    if not found:
        return None
    row = found[0]
    article = rows["article"].instance(row, 0)
    offset = len(rows["article"])
    for name, attribute in (("topic", "topic"), ("hero", "hero_clip"), ("intro", "intro_clip")):
        setattr(article, attribute, rows[name].instance(row, offset))
        offset += len(rows[name])
    items = []
    for item_row in fetch_all(queries["items"], [article.pk]):
        item = rows["item"].instance(item_row, 0)
        item.clip = rows["item_clip"].instance(item_row, len(rows["item"]))
        item.article = article
        items.append(item)
    placements = []
    for placement_row in fetch_all(queries["placements"], [article.pk]):
        placement = rows["placement"].instance(placement_row, 0)
        placement.liveblog_link = rows["link"].instance(placement_row, len(rows["placement"]))
        placement.article = article
        placements.append(placement)
    mentions = []
    for mention_row in fetch_all(queries["mentions"], [article.pk]):
        mention = rows["mention"].instance(mention_row)
        mention.article = article
        mentions.append(mention)
    article._prefetched_objects_cache = {
        "faq_items": _cached(article.faq_items, items),
        "liveblog_placements": _cached(article.liveblog_placements, placements),
        "broadcast_mentions": _cached(article.broadcast_mentions, mentions),
    }
    return article


def _cached(manager, objects):
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    return queryset


# Telling partners (newsroom.webhooks) --------------------------------------------------------


class ArticleChange(models.Model):
    """An outbox entry: something partners may need to hear about changed in this article.

    Written in the same transaction as the change (``newsroom.services.outbox``, on every write
    path), or ahead for a planned go-live or take-down (``due_at``); the relay turns it into
    events once it is due. A crash or a queue outage after the commit only delays the events.
    """

    article_id = models.BigIntegerField("Artikel-ID")
    due_at = models.DateTimeField("Fällig ab")

    class Meta:
        verbose_name = "Ausstehende Änderung"
        verbose_name_plural = "Ausstehende Änderungen"
        default_permissions = ()
        indexes = [models.Index(fields=["due_at", "article_id"], name="article_change_due_idx")]

    def __str__(self):
        return f"Artikel {self.article_id}, fällig {self.due_at:%d.%m.%Y %H:%M}"


class ArticleEvent(models.Model):
    """What partners were told about an article: the changes feed and every webhook delivery.

    ``partner`` is set for the events that go to one partner alone: ``article.embargo``, and the
    ``article.unpublished`` or ``article.deleted`` that withdraws an embargo it was told of.
    ``payload`` is the delivery's body, written once, so every attempt sends the same bytes.
    """

    class Type(models.TextChoices):
        PUBLISHED = "article.published", "Veröffentlicht"
        UPDATED = "article.updated", "Geändert"
        UNPUBLISHED = "article.unpublished", "Zurückgezogen"
        DELETED = "article.deleted", "Gelöscht"
        EMBARGO = "article.embargo", "Vorab freigegeben"

    # The order events were written in: the changes feed pages by it, so an event written later
    # never lands behind a position a partner has already read.
    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField("Ereignis-ID", unique=True, editable=False)
    type = models.CharField("Ereignis", max_length=30, choices=Type.choices)
    article_id = models.BigIntegerField("Artikel-ID")
    partner = models.ForeignKey(
        Partner, verbose_name="Nur für", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField("Zeitpunkt")
    version = models.PositiveIntegerField("Version")
    fingerprint = models.CharField("Prüfsumme", max_length=64, blank=True)
    payload = models.JSONField("Inhalt")

    class Meta:
        verbose_name = "Ereignis"
        verbose_name_plural = "Ereignisse"
        ordering = ["seq"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["occurred_at"], name="article_event_since_idx"),
            models.Index(fields=["article_id", "-seq"], name="article_event_article_idx"),
        ]

    def __str__(self):
        return f"{self.type} Artikel {self.article_id}"


class WebhookEndpoint(models.Model):
    """A partner's receiver: a URL, the events it wants, the secret its deliveries are signed with."""

    partner = models.ForeignKey(Partner, verbose_name="Partner", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField("Empfänger-URL", max_length=500, help_text="https://… des Partners, der Ereignisse annimmt.")
    events = models.JSONField("Ereignisse", default=list)
    secret = models.CharField("Geheimnis", max_length=100, editable=False)
    is_active = models.BooleanField("Aktiv", default=True)
    disabled_at = models.DateTimeField("Abgeschaltet am", null=True, blank=True, editable=False)
    disabled_reason = models.TextField("Grund der Abschaltung", blank=True, editable=False)
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Webhook"
        verbose_name_plural = "Webhooks"
        ordering = ["partner__name", "url"]

    def __str__(self):
        return f"{self.partner}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the delivery log, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Ausstehend"
        DELIVERED = "delivered", "Zugestellt"
        FAILED = "failed", "Fehlgeschlagen"

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name="Webhook", on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(ArticleEvent, verbose_name="Ereignis", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("Versuche", default=0)
    next_attempt_at = models.DateTimeField("Nächster Versuch", null=True, blank=True)
    queued_at = models.DateTimeField("In der Warteschlange seit", null=True, blank=True)
    last_attempt_at = models.DateTimeField("Letzter Versuch", null=True, blank=True)
    response_code = models.PositiveSmallIntegerField("Antwort (HTTP)", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("Dauer (ms)", null=True, blank=True)
    last_error = models.TextField("Letzter Fehler", blank=True)
    delivered_at = models.DateTimeField("Zugestellt am", null=True, blank=True)

    class Meta:
        verbose_name = "Zustellung"
        verbose_name_plural = "Zustellungen"
        ordering = ["-event__seq", "-id"]
        default_permissions = ("view", "change")
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self):
        return f"{self.event.type} an {self.endpoint.url}"
