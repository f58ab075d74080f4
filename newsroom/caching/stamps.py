"""What a public response's validators are, worked out before any rendering: a few indexed probes.

A *stamp* is everything a cache needs to know about a response without building it: its
ETag, its Last-Modified, how long a shared cache may keep it (up to the next scheduled
go-live or take-down: scheduling needs no worker, so the TTL ends at the transition) and
its surrogate keys (for purging the cache in front, ``newsroom.caching.purge``).

- ``listing_stamp()`` serves every page that lists articles (home, topics, feeds, sitemaps,
  search, the API's lists). It reads ``LISTING_PROBES``: each is an ``ORDER BY … LIMIT 1``
  over an index, so its cost does not grow with the archive. They cover everything a listing
  shows: an edit of a published article, a go-live or take-down that has come (planned or by
  hand), a deletion (``ArticleDeletion``, written by a trigger), a topic or clip edit. A
  draft's save moves none of them.
- ``article_stamp(pk)`` serves the article page, its API detail and ninjs: one query over the
  article, its FAQ items, clips, liveblog cards and broadcast mentions (timestamps and counts,
  so a removed question changes the ETag too).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.models import (
    Article,
    ArticleDeletion,
    ArticleLiveblogLink,
    BroadcastMention,
    LiveblogLink,
    Topic,
)

# How long a shared cache (Varnish, a CDN) keeps a page; browsers revalidate after a minute.
SHARED_MAX_AGE = 300
BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600

LISTING = "listing"


@dataclass(frozen=True)
class Stamp:
    etag: str
    last_modified: dt.datetime | None
    # Seconds until the next scheduled transition that changes this response; None: none planned.
    until_next_change: float | None
    keys: tuple[str, ...] = ()
    # The probes' results, for callers that derive more from them (the news sitemap's window).
    values: dict = field(default_factory=dict, compare=False, repr=False)

    def cache_control(self):
        """``Cache-Control`` for the response: never kept past the next scheduled change."""
        shared, browser, stale = SHARED_MAX_AGE, BROWSER_MAX_AGE, STALE_WHILE_REVALIDATE
        if self.until_next_change is not None:
            until = max(0, int(self.until_next_change))
            shared, browser = min(shared, until), min(browser, until)
            stale = min(stale, until - shared)
        return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate={stale}"


def _etag(kind, values):
    version = settings.NEWSROOM_CACHE_VERSION
    digest = hashlib.blake2b(repr((kind, version, values)).encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def _newest(*stamps):
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else None


def _first(queryset, field, *, descending=True):
    """One value by an index: ``SELECT field … ORDER BY field [DESC] LIMIT 1`` as a subquery."""
    return Subquery(queryset.order_by(f"-{field}" if descending else field).values(field)[:1])


def _listing_probes(now, *, content=False):
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    probes = {
        "probe_went_live": _first(published.filter(publish_at__lte=now), "publish_at"),
        "probe_next_live": _first(published.filter(publish_at__gt=now), "publish_at", descending=False),
        "probe_went_away": _first(published.filter(unpublish_at__lte=now), "unpublish_at"),
        "probe_next_away": _first(published.filter(unpublish_at__gt=now), "unpublish_at", descending=False),
        "probe_edited": _first(published, "updated_at"),
        "probe_transition": _first(
            Article.objects.filter(visibility_changed_at__isnull=False), "visibility_changed_at"
        ),
        "probe_deleted": _first(ArticleDeletion.objects.all(), "deleted_at"),
        "probe_deletions": _first(ArticleDeletion.objects.all(), "id"),
        "probe_topic": _first(Topic.objects.all(), "updated_at"),
        "probe_clip": _first(VideoClip.objects.all(), "updated_at"),
    }
    if content:
        # What only article bodies hold (search hits, sitemap lastmods, liveblog cards in the API).
        probes["probe_faq"] = _first(FAQItem.objects.filter(article__status=Article.Status.PUBLISHED), "updated_at")
        probes["probe_liveblog"] = _first(LiveblogLink.objects.all(), "updated_at")
    return probes


_STAMP_FIELDS = tuple(
    f"probe_{name}"
    for name in ("went_live", "went_away", "edited", "transition", "deleted", "topic", "clip", "faq", "liveblog")
)


def listing_stamp(kind=LISTING, *, content=False, keys=(LISTING,), extra=None):
    """The stamp of a listing (``kind`` names it in the ETag): one query of index probes.

    ``content=True`` adds what article bodies contain (FAQ items, liveblog cards), for
    listings that show or search them; ``extra`` adds probes of the caller's own (name →
    subquery), which count for the ETag and come back in ``Stamp.values``.
    """
    now = timezone.now()
    probes = {**_listing_probes(now, content=content), **(extra or {})}
    row = Article.objects.order_by().values(**probes).first() or {}
    values = tuple(sorted(row.items()))
    upcoming = [stamp for stamp in (row.get("probe_next_live"), row.get("probe_next_away")) if stamp is not None]
    return Stamp(
        etag=_etag(kind, values),
        last_modified=_newest(*(row.get(name) for name in _STAMP_FIELDS)),
        until_next_change=(min(upcoming) - now).total_seconds() if upcoming else None,
        keys=tuple(keys),
        values=row,
    )


def _latest(model, **filters):
    return _first(model.objects.filter(**filters), "updated_at")


def _count(model, **filters):
    return Subquery(
        model.objects.filter(**filters).order_by().values("article").annotate(total=Count("pk")).values("total")
    )


@dataclass(frozen=True)
class ArticleStamp(Stamp):
    pk: int = 0
    slug: str = ""


def article_stamp(pk, *, queryset=None, kind="article"):
    """The stamp of a published article's page (or its API documents); ``None`` if readers may not see it."""
    now = timezone.now()
    article = OuterRef("pk")
    clips = VideoClip.objects.filter(
        Q(pk=OuterRef("hero_clip")) | Q(pk=OuterRef("intro_clip")) | Q(faq_items__article=article)
    )
    row = (
        (queryset if queryset is not None else Article.objects.published())
        .filter(pk=pk)
        .values(
            "pk",
            "slug",
            "updated_at",
            "publish_at",
            "unpublish_at",
            "topic_id",
            probe_topic_updated=Subquery(Topic.objects.filter(pk=OuterRef("topic")).values("updated_at")[:1]),
            probe_faq=_latest(FAQItem, article=article),
            probe_faq_count=_count(FAQItem, article=article),
            probe_clip=_first(clips, "updated_at"),
            probe_mention=_latest(BroadcastMention, article=article),
            probe_mention_count=_count(BroadcastMention, article=article),
            probe_placement=_latest(ArticleLiveblogLink, article=article),
            probe_placement_count=_count(ArticleLiveblogLink, article=article),
            probe_liveblog=_first(LiveblogLink.objects.filter(placements__article=article), "updated_at"),
        )
        .first()
    )
    if row is None:
        return None
    unpublish_at = row["unpublish_at"]
    keys = [f"article-{row['pk']}"] + ([f"topic-{row['topic_id']}"] if row["topic_id"] else [])
    return ArticleStamp(
        etag=_etag(kind, tuple(sorted(row.items()))),
        last_modified=_newest(
            row["updated_at"],
            row["publish_at"],
            row["probe_topic_updated"],
            row["probe_faq"],
            row["probe_clip"],
            row["probe_mention"],
            row["probe_placement"],
            row["probe_liveblog"],
        ),
        until_next_change=(unpublish_at - now).total_seconds() if unpublish_at else None,
        keys=tuple(keys),
        pk=row["pk"],
        slug=row["slug"],
    )
