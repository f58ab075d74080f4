"""Sitemaps for search engines (index, pages, articles with their videos, topics, Google News) and robots.txt.

Built for an archive of hundreds of thousands of articles:

- the article sitemap comes in pages of at most ``ArticleSitemap.limit`` URLs, each a range of
  article ids (page ``p`` holds the published articles whose ids lie in the ``p``-th range from
  the first one), read with a lean query (ids, slugs, times, clip ids; no FAQ bodies) and
  written without the template engine;
- the index lists those pages from two index probes (the first and the last published id),
  never by counting;
- the news sitemap reads the index on the date published.

Every response is a ``public_response``: its stamp comes first, a revalidation is a 304 and
a repeat request comes from the response cache.
"""

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape as html_escape
from django.views.decorators.http import require_safe

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.caching import listing_stamp, public_response
from newsroom.caching.stamps import moment
from newsroom.dates import iso_datetime
from newsroom.models import Article, Topic, article_path, published_sql
from newsroom.security.origin import absolute_url, base_url
from newsroom.text import strip_control_characters

NEWS_WINDOW = dt.timedelta(days=2)  # Google News: articles published in the last two days
NEWS_LIMIT = 1000  # Google News: at most 1,000 URLs per news sitemap
VIDEO_MAX_SECONDS = 28800  # Google's video sitemaps accept durations of 1 s to 8 h
SECTIONS = ("seiten", "artikel", "themen")
XML = "application/xml; charset=utf-8"


def escape(value):
    """XML text: escaped, and without the control characters XML 1.0 cannot carry, whatever is stored."""
    return html_escape(strip_control_characters(str(value)))


class ArticleSitemap:
    """The article sitemap's pages: ranges of ``limit`` ids, counted from the first published article."""

    limit = 1_000

    @staticmethod
    def bounds():
        """``(first id, last id)`` of the published articles, from two index probes; ``None`` without any."""
        published = Article.objects.published().order_by("id").values_list("id", flat=True)
        first = published.first()
        return None if first is None else (first, published.last())

    @classmethod
    def page_count(cls, bounds):
        return 0 if bounds is None else (bounds[1] - bounds[0]) // cls.limit + 1

    @classmethod
    def entries(cls, bounds, page):
        """The page's articles as ``(path, lastmod, [clip, …])``, in id order."""
        start = bounds[0] + (page - 1) * cls.limit
        rows = list(
            Article.objects.published()
            .filter(id__gte=start, id__lt=start + cls.limit)
            .order_by("id")
            .annotate(changed=Greatest("updated_at", "publish_at"))
            .values_list("id", "slug", "changed", "hero_clip_id", "intro_clip_id")
        )
        if not rows:
            return []
        placements = {article_id: [hero, intro] for article_id, _, _, hero, intro in rows}
        items = (
            FAQItem.objects.filter(article_id__gte=rows[0][0], article_id__lte=rows[-1][0], clip__isnull=False)
            .order_by("article_id", "position", "id")
            .values_list("article_id", "clip_id")
        )
        for article_id, clip_id in items:
            if article_id in placements:
                placements[article_id].append(clip_id)
        wanted = {clip_id for clips in placements.values() for clip_id in clips if clip_id}
        clips = (
            VideoClip.objects.filter(pk__in=wanted)
            .exclude(poster="")
            .filter(Q(video_file__gt="") | Q(video_url__gt=""))
            .in_bulk()
        )
        return [
            (
                article_path(slug, article_id),
                changed,
                [clips[clip_id] for clip_id in dict.fromkeys(placements[article_id]) if clip_id in clips],
            )
            for article_id, slug, changed, *_ in rows
        ]


def _video(base, clip):
    """A ``<video:video>`` entry; made once per clip and page (clips are shared by many articles)."""
    seconds = int(clip.duration.total_seconds())
    parts = [
        f"<video:thumbnail_loc>{escape(_joined(base, clip.poster_still.url))}</video:thumbnail_loc>",
        f"<video:title>{escape(clip.title)}</video:title>",
        f"<video:description>{escape(clip.description[:2048])}</video:description>",  # Google's maximum
        f"<video:content_loc>{escape(_joined(base, clip.video_source))}</video:content_loc>",
    ]
    if 1 <= seconds <= VIDEO_MAX_SECONDS:
        parts.append(f"<video:duration>{seconds}</video:duration>")
    parts.append(f"<video:publication_date>{iso_datetime(clip.published_at)}</video:publication_date>")
    return f"<video:video>{''.join(parts)}</video:video>"


def _joined(base, url):
    """An absolute URL: ``url`` when it is one, else the site's origin and the path."""
    return url if "://" in url else base + url


def _urlset(urls, *, videos=False):
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if videos:
        namespaces += ' xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"'
    body = "".join(urls)
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespaces}>{body}</urlset>\n', XML)


def _url(location, lastmod=None, extra=""):
    modified = f"<lastmod>{iso_datetime(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{modified}{extra}</url>"


def _stamp(request, *args, **kwargs):
    return listing_stamp("sitemap", content=True)


def _home(request):
    return _url(absolute_url(reverse("newsroom:home")))


@require_safe
@public_response(_stamp)
def index(request):
    bounds = ArticleSitemap.bounds()
    locations = [absolute_url(reverse("newsroom:sitemap-section", kwargs={"section": "seiten"}))]
    articles = absolute_url(reverse("newsroom:sitemap-section", kwargs={"section": "artikel"}))
    locations += [
        articles if page == 1 else f"{articles}?p={page}" for page in range(1, ArticleSitemap.page_count(bounds) + 1)
    ]
    # An empty urlset is invalid under the sitemaps schema, so a site without topics lists none.
    if Topic.objects.with_published_articles().exists():
        locations.append(absolute_url(reverse("newsroom:sitemap-section", kwargs={"section": "themen"})))
    entries = "".join(f"<sitemap><loc>{escape(location)}</loc></sitemap>" for location in locations)
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n',
        XML,
    )


def _page_number(request):
    raw = request.GET.get("p", "1")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Http404("Diese Sitemap-Seite gibt es nicht.")
    return int(raw)


def _articles(request):
    bounds = ArticleSitemap.bounds()
    page = _page_number(request)
    if page > ArticleSitemap.page_count(bounds):
        raise Http404("Diese Sitemap-Seite gibt es nicht.")
    base = base_url()
    videos = {}
    urls = []
    for path, lastmod, clips in ArticleSitemap.entries(bounds, page):
        entries = "".join(videos.get(clip.pk) or videos.setdefault(clip.pk, _video(base, clip)) for clip in clips)
        urls.append(_url(base + path, lastmod, entries))
    # A range whose articles have all gone (taken down, deleted) still needs a valid urlset.
    return _urlset(urls or [_home(request)], videos=True)


def _topics(request):
    newest = Article.objects.published().filter(topic=OuterRef("pk")).order_by("-publish_at").values("publish_at")[:1]
    topics = Topic.objects.with_published_articles().annotate(latest=Subquery(newest)).order_by("name")
    urls = [
        _url(absolute_url(topic.get_absolute_url()), max(topic.updated_at, topic.latest or topic.updated_at))
        for topic in topics
    ]
    if not urls:
        raise Http404("Es gibt noch keine Themen.")
    return _urlset(urls)


@require_safe
@public_response(_stamp)
def section(request, section):
    if section == "seiten":
        return _urlset([_home(request)])
    if section == "artikel":
        return _articles(request)
    if section == "themen":
        return _topics(request)
    raise Http404("Diese Sitemap gibt es nicht.")


def _news_items():
    now = timezone.now()
    return (
        Article.objects.published()
        .with_date_published()
        # Bounded on both sides: the index walk starts at now, not behind every scheduled article.
        .filter(date_published_at__gte=now - NEWS_WINDOW, date_published_at__lte=now)
        .order_by("-date_published_at", "-id")
    )


_NEWS_OLDEST = (
    f"(SELECT COALESCE(a.first_published_at, a.publish_at) FROM {Article._meta.db_table} a "
    f"WHERE {published_sql('a')} AND COALESCE(a.first_published_at, a.publish_at) >= %(news_window_start)s "
    "ORDER BY COALESCE(a.first_published_at, a.publish_at) ASC LIMIT 1)"
)


def _news_stamp(request):
    # The window moves with the clock: the sitemap changes when its oldest article falls out.
    now = timezone.now()
    start = connection.ops.adapt_datetimefield_value(now - NEWS_WINDOW)
    stamp = listing_stamp("sitemap-news", extra=[("news_oldest", _NEWS_OLDEST)], params={"news_window_start": start})
    oldest = moment(stamp.values["news_oldest"])
    if oldest is None:
        return stamp
    leaves = (oldest + NEWS_WINDOW - now).total_seconds()
    until = min(stamp.until_next_change, leaves) if stamp.until_next_change is not None else leaves
    return dataclasses.replace(stamp, until_next_change=until)


@require_safe
@public_response(_news_stamp)
def news(request):
    base = base_url()
    publication = (
        f"<news:publication><news:name>{escape(settings.NEWSROOM_SITE_NAME)}</news:name>"
        "<news:language>de</news:language></news:publication>"
    )
    items = _news_items().only("pk", "slug", "topline", "title", "first_published_at", "publish_at")[:NEWS_LIMIT]
    urls = [
        f"<url><loc>{escape(base + item.get_absolute_url())}</loc><news:news>{publication}"
        f"<news:publication_date>{iso_datetime(item.date_published)}</news:publication_date>"
        f"<news:title>{escape(str(item))}</news:title></news:news></url>"
        for item in items
    ]
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    body = "".join(urls)
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespaces}>{body}</urlset>\n', XML)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /vorschau/",
        "",
        f"Sitemap: {absolute_url(reverse('newsroom:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('newsroom:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
