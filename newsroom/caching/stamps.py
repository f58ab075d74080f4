"""What a public response's validators are, worked out before any rendering: a few indexed probes.

A *stamp* is everything a cache needs to know about a response without building it: its
ETag, its Last-Modified, how long a shared cache may keep it (up to the next scheduled
go-live or take-down: scheduling needs no worker, so the TTL ends at the transition) and
its surrogate keys (for purging the cache in front, ``newsroom.caching.purge``).

- ``listing_stamp()`` serves every page that lists articles (home, topics, feeds, sitemaps,
  search, the API's lists). Each of its probes is an ``ORDER BY … LIMIT 1`` over an index,
  so its cost does not grow with the archive. They cover everything a listing shows: an
  edit of a published article, a go-live or take-down that has come (planned or by hand), a
  deletion (``ArticleDeletion``, written by a trigger), a topic or clip edit. A draft's save
  moves none of them.
- ``article_stamp(pk)`` serves the article page, its API detail and ninjs: one query over the
  article, its FAQ items, clips, liveblog cards and broadcast mentions (timestamps and counts,
  so a removed question changes the ETag too).

Both run on every public request, so their SQL is written out once, below, rather than built
by the ORM each time (building the article stamp's fifteen subqueries cost more than running
them). It is plain SQL that SQLite and PostgreSQL both speak; table and column names come
from the models.
"""

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
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
    published_sql,
)

# How long a shared cache (Varnish, a CDN) keeps a page; browsers revalidate after a minute.
SHARED_MAX_AGE = 300
BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600

LISTING = "listing"
PUBLISHED = Article.Status.PUBLISHED.value


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


def moment(value):
    """A timestamp from a raw query: PostgreSQL gives aware datetimes, SQLite naive ones or text (UTC)."""
    if value is None:
        return None
    # Django writes SQLite's timestamps in ISO 8601, which the standard library reads fastest.
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _newest(*stamps):
    found = [stamp for stamp in stamps if stamp is not None]
    if not found:
        return None
    if any(isinstance(stamp, str) for stamp in found):
        # SQLite: text beside naive datetimes, both in Django's one format, which sorts as it
        # reads; only the newest is parsed.
        return moment(max(found, key=str))
    return moment(max(found))


def _now_param(now):
    return connection.ops.adapt_datetimefield_value(now)


# The column names of each stamp query, read from its first run's cursor description (which
# the driver builds anew on every run: it costs as much as the rest of reading the row).
_COLUMNS = {}


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        columns = _COLUMNS.get(sql)
        if columns is None:
            columns = _COLUMNS[sql] = tuple(column[0] for column in cursor.description)
    return dict(zip(columns, row, strict=True)) if row else None


# Table and column names, from the models -------------------------------------------------------

_A = Article._meta.db_table
_F = FAQItem._meta.db_table
_C = VideoClip._meta.db_table
_T = Topic._meta.db_table
_D = ArticleDeletion._meta.db_table
_M = BroadcastMention._meta.db_table
_P = ArticleLiveblogLink._meta.db_table
_L = LiveblogLink._meta.db_table


def _probe(column, table, where="", descending=True):
    condition = f"WHERE {where} AND {column} IS NOT NULL" if where else f"WHERE {column} IS NOT NULL"
    order = "DESC" if descending else "ASC"
    return f"(SELECT {column} FROM {table} {condition} ORDER BY {column} {order} LIMIT 1)"


# Each probe: (name, SQL); "now" is the one parameter they take (named, so it is passed once).
_LISTING_PROBES = [
    ("went_live", _probe("publish_at", _A, f"status = '{PUBLISHED}' AND publish_at <= %(now)s")),
    ("next_live", _probe("publish_at", _A, f"status = '{PUBLISHED}' AND publish_at > %(now)s", descending=False)),
    ("went_away", _probe("unpublish_at", _A, f"status = '{PUBLISHED}' AND unpublish_at <= %(now)s")),
    ("next_away", _probe("unpublish_at", _A, f"status = '{PUBLISHED}' AND unpublish_at > %(now)s", descending=False)),
    ("edited", _probe("updated_at", _A, f"status = '{PUBLISHED}'")),
    ("transition", _probe("visibility_changed_at", _A)),
    ("deleted", _probe("deleted_at", _D)),
    ("deletions", _probe("id", _D)),
    ("topic", _probe("updated_at", _T)),
    ("clip", _probe("updated_at", _C)),
]
_CONTENT_PROBES = [
    # What only article bodies hold (search hits, sitemap lastmods, liveblog cards in the API).
    (
        "faq",
        f"(SELECT f.updated_at FROM {_F} f JOIN {_A} a ON a.id = f.article_id WHERE a.status = '{PUBLISHED}' "
        "ORDER BY f.updated_at DESC LIMIT 1)",
    ),
    ("liveblog", _probe("updated_at", _L)),
]
_MODIFIED = ("went_live", "went_away", "edited", "transition", "deleted", "topic", "clip", "faq", "liveblog")


@dataclass(frozen=True)
class Beside:
    """Rows read in a stamp's own query beside it: their columns come back in ``Stamp.values``.

    ``columns`` are ``(name, SQL expression)`` pairs over the tables that ``joins`` (LEFT JOINs,
    so a row that is not there never hides the stamp) brings in. They do not count for the
    ETag. The API's revalidation reads the partner's key this way (``newsroom.api.revalidation``).
    """

    columns: tuple
    joins: str

    def select(self):
        return "".join(f", {expression} AS {name}" for name, expression in self.columns)


def listing_stamp(kind=LISTING, *, content=False, keys=(LISTING,), extra=(), beside=None, params=None):
    """The stamp of a listing (``kind`` names it in the ETag): one query of index probes.

    ``content=True`` adds what article bodies contain (FAQ items, liveblog cards), for
    listings that show or search them; ``extra`` adds probes of the caller's own
    (``[(name, sql)]``), which count for the ETag and come back in ``Stamp.values``;
    ``beside`` (a ``Beside``) reads other rows in the same query. Probes take named
    parameters: ``now`` is given, ``params`` adds the callers' own.
    """
    now = timezone.now()
    probes = [*_LISTING_PROBES, *(_CONTENT_PROBES if content else ()), *extra]
    sql = "SELECT " + ", ".join(f"{probe} AS {name}" for name, probe in probes)
    if beside is not None:
        sql += f"{beside.select()} FROM (SELECT 1 AS one) stamp {beside.joins}"
    row = _run(sql, {**(params or {}), "now": _now_param(now)})
    counted = len(probes)
    upcoming = [moment(row[name]) for name in ("next_live", "next_away") if row[name] is not None]
    return Stamp(
        etag=_etag(kind, tuple(sorted(list(row.items())[:counted]))),
        last_modified=_newest(*(row.get(name) for name in _MODIFIED)),
        until_next_change=(min(upcoming) - now).total_seconds() if upcoming else None,
        keys=tuple(keys),
        values=row,
    )


_ARTICLE_COLUMNS = f"""
a.id AS pk, a.slug AS slug, a.updated_at AS updated_at, a.publish_at AS publish_at,
       a.unpublish_at AS unpublish_at, a.topic_id AS topic_id,
       (SELECT t.updated_at FROM {_T} t WHERE t.id = a.topic_id) AS topic_updated,
       (SELECT MAX(f.updated_at) FROM {_F} f WHERE f.article_id = a.id) AS faq,
       (SELECT COUNT(*) FROM {_F} f WHERE f.article_id = a.id) AS faq_count,
       (SELECT MAX(changed) FROM (
            SELECT c.updated_at AS changed FROM {_C} c WHERE c.id = a.hero_clip_id
            UNION ALL SELECT c.updated_at FROM {_C} c WHERE c.id = a.intro_clip_id
            UNION ALL SELECT c.updated_at FROM {_F} f JOIN {_C} c ON c.id = f.clip_id WHERE f.article_id = a.id
       ) AS clips) AS clip,
       (SELECT MAX(m.updated_at) FROM {_M} m WHERE m.article_id = a.id) AS mention,
       (SELECT COUNT(*) FROM {_M} m WHERE m.article_id = a.id) AS mention_count,
       (SELECT MAX(p.updated_at) FROM {_P} p WHERE p.article_id = a.id) AS placement,
       (SELECT COUNT(*) FROM {_P} p WHERE p.article_id = a.id) AS placement_count,
       (SELECT MAX(l.updated_at) FROM {_P} p JOIN {_L} l ON l.id = p.liveblog_link_id WHERE p.article_id = a.id)
           AS liveblog
"""
_ARTICLE_WHERE = f"a.id = %(pk)s AND {published_sql('a')}"


@functools.cache
def _article_query(beside=None):
    # Whitespace folded: the SQLite backend rewrites the placeholders of the whole text on every run.
    columns = " ".join(_ARTICLE_COLUMNS.split())
    if beside is None:
        return f"SELECT {columns} FROM {_A} a WHERE {_ARTICLE_WHERE}"
    return f"SELECT {columns}{beside.select()} FROM {_A} a {beside.joins} WHERE {_ARTICLE_WHERE}"


@dataclass(frozen=True)
class ArticleStamp(Stamp):
    pk: int = 0
    slug: str = ""


def article_stamp(pk, *, kind="article", beside=None, params=None):
    """The stamp of a published article's page (or its API documents); ``None`` if readers may not see it.

    The same visibility as ``Article.objects.published()``; a test holds the two together.
    ``beside`` and ``params`` as for ``listing_stamp``.
    """
    now = timezone.now()
    sql = _article_query(beside)
    row = _run(sql, {**(params or {}), "pk": pk, "now": _now_param(now)})
    if row is None:
        return None
    counted = len(row) - (len(beside.columns) if beside is not None else 0)
    unpublish_at = moment(row["unpublish_at"])
    keys = [f"article-{row['pk']}"] + ([f"topic-{row['topic_id']}"] if row["topic_id"] else [])
    return ArticleStamp(
        etag=_etag(kind, tuple(row.values())[:counted]),  # the columns in the query's fixed order
        last_modified=_newest(
            *[row[name] for name in ("updated_at", "publish_at", "topic_updated", "faq", "clip", "mention")],
            row["placement"],
            row["liveblog"],
        ),
        until_next_change=(unpublish_at - now).total_seconds() if unpublish_at else None,
        keys=tuple(keys),
        values=row,
        pk=row["pk"],
        slug=row["slug"],
    )
