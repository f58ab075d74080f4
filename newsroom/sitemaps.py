"""Sitemaps for search engines (index, pages, articles with their videos, topics, Google News) and robots.txt."""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from newsroom.models import Article, Topic

NEWS_WINDOW = dt.timedelta(days=2)  # Google News: articles published in the last two days
NEWS_LIMIT = 1000  # Google News: at most 1,000 URLs per news sitemap
VIDEO_MAX_SECONDS = 28800  # Google's video sitemaps accept durations of 1 s to 8 h


class PagesSitemap(Sitemap):
    """The home page; keeps the index non-empty (the schema needs one sitemap) on a new site."""

    def items(self):
        return ["newsroom:home"]

    def location(self, name):
        return reverse(name)


class ArticleSitemap(Sitemap):
    """Every published article with its last change and the videos on the page."""

    limit = 50_000  # the sitemaps protocol's limit per file (also Django's default)

    def items(self):
        # for_page(): lastmod and the videos read the same prefetched objects the page does.
        return Article.objects.published().for_page()

    def lastmod(self, article):
        return article.last_modified

    def get_latest_lastmod(self):
        # For the index: one aggregate rather than loading every article with its clips.
        stamps = Article.objects.published().aggregate(updated=Max("updated_at"), published=Max("publish_at"))
        return max((stamp for stamp in stamps.values() if stamp), default=None)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["videos"] = [video_entry(clip) for clip in url["item"].clips() if clip.video_source and clip.poster]
        return urls


def video_entry(clip):
    seconds = int(clip.duration.total_seconds())
    return {
        "clip": clip,
        "title": clip.title,
        "description": clip.description[:2048],  # Google's maximum
        "duration": seconds if 1 <= seconds <= VIDEO_MAX_SECONDS else None,
    }


class TopicSitemap(Sitemap):
    """Topic pages that have at least one published article."""

    def items(self):
        published = Article.objects.published()
        newest = published.filter(topic=OuterRef("pk")).order_by("-publish_at").values("publish_at")[:1]
        return Topic.objects.with_published_articles().annotate(latest=Subquery(newest))

    def lastmod(self, topic):
        return max(topic.updated_at, topic.latest) if topic.latest else topic.updated_at


class NewsSitemap(Sitemap):
    """Google News: articles first published within the last two days."""

    limit = NEWS_LIMIT

    def items(self):
        cutoff = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .with_date_published()
            .filter(date_published_at__gte=cutoff)
            .order_by("-date_published_at", "-id")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.date_published_at)


SECTIONS = {"seiten": PagesSitemap, "artikel": ArticleSitemap, "themen": TopicSitemap}


def index(request):
    # An empty urlset is invalid under the sitemaps schema, so empty sections stay out of the index.
    sections = {name: sitemap for name, sitemap in SECTIONS.items() if sitemap().paginator.count}
    return sitemap_views.index(
        request, sections, template_name="newsroom/sitemap_index.xml", sitemap_url_name="newsroom:sitemap-section"
    )


def section(request, section):
    return sitemap_views.sitemap(request, SECTIONS, section=section, template_name="newsroom/sitemap.xml")


def news(request):
    return sitemap_views.sitemap(request, {"news": NewsSitemap}, template_name="newsroom/sitemap_news.xml")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /vorschau/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('newsroom:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('newsroom:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
