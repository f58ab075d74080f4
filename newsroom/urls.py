"""Newsroom's URLs: the public pages under German paths, the admin under /admin/."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from media_clips import views as media_views
from newsroom import feeds, preview, sitemaps, views
from newsroom.api.router import not_found, router
from newsroom.security import two_factor

app_patterns = (
    [
        path("", views.home, name="home"),
        path("nachrichten/<slug:slug>-<int:pk>/", views.article_detail, name="article"),
        path("themen/<slug:slug>/", views.topic_detail, name="topic"),
        path("themen/<slug:slug>/feed/", feeds.topic_rss, name="topic-feed"),
        path("feeds/rss/", feeds.latest_rss, name="feed-rss"),
        path("feeds/atom/", feeds.latest_atom, name="feed-atom"),
        path("sitemap.xml", sitemaps.index, name="sitemap"),
        # Before the section pattern, which would otherwise take "news" as a section name.
        path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
        path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
        path("robots.txt", sitemaps.robots_txt, name="robots"),
        path("suche/", views.search, name="search"),
        path("vorschau/<str:token>/", preview.preview, name="preview"),
    ],
    "newsroom",
)

urlpatterns = [
    # The API first: partners poll it most, and its prefix is quick to rule out for a page.
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ is a JSON 404 too, never the readers' HTML page.
    re_path(r"^api/", not_found),
    path("", include(app_patterns)),
    path("admin/zwei-faktor/", two_factor.setup, name="two-factor"),
    path("admin/", admin.site.urls),
]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

if settings.NEWSROOM_SERVE_MEDIA:
    # Uploaded media from MEDIA_ROOT, in development and in the single-machine production alike
    # (media_clips.views: nosniff, downloads for anything but pictures and video).
    urlpatterns.append(re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media_views.media))
