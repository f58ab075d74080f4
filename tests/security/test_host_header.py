"""Absolute URLs come from ``NEWSROOM_BASE_URL``, never from the request's Host header.

``ALLOWED_HOSTS`` ignores the port, so ``Host: testserver:6666`` passes it; behind a proxy a page
that echoed it would be cached and served with the attacker's port to every reader after.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from newsroom.services import article_publish
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

EVIL_HOST = "testserver:6666"
PUBLIC_PATHS = [
    "/",
    "/themen/gipfel/",
    "/suche/?q=Gipfel",
    "/feeds/rss/",
    "/feeds/atom/",
    "/themen/gipfel/feed/",
    "/sitemap.xml",
    "/sitemap-artikel.xml",
    "/sitemap-themen.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]
API_PATHS = ["/api/v1/articles/?page_size=1", "/api/v1/topics/", "/api/v1/liveblog-links/", "/api/v1/clips/"]


@pytest.fixture
def summit(admin_user):
    topic = TopicFactory(slug="gipfel", name="Gipfel")
    older = ArticleFactory(topic=topic, title="Gipfel, erster Tag")
    clip = VideoClipFactory(video_url="/media/clips/gipfel.mp4")
    article = ArticleFactory(draft=True, topic=topic, title="Gipfel in Paris", hero_clip=clip)
    ArticleLiveblogLinkFactory(article=article, liveblog_link=LiveblogLinkFactory(url="/themen/gipfel/"))
    article_publish(article=article, user=admin_user)
    return article, older


def _paths(summit):
    article, _ = summit
    return [*PUBLIC_PATHS, article.get_absolute_url()]


def _api_paths(summit):
    article, _ = summit
    return [*API_PATHS, f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/ninjs/"]


def test_no_public_page_feed_or_sitemap_echoes_the_host_header(summit):
    for path in _paths(summit):
        # The evil request first: were it stored in the response cache, the clean one would get it.
        evil = Client().get(path, HTTP_HOST=EVIL_HOST)
        clean = Client().get(path)
        for response in (evil, clean):
            assert response.status_code == 200, path
            content = response.content.decode()
            assert "6666" not in content, path
            assert "http://testserver/" in content, path


def test_no_api_document_echoes_the_host_header(summit, key):
    for path in _api_paths(summit):
        response = Client().get(path, HTTP_HOST=EVIL_HOST, HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert response.status_code == 200, path
        content = response.content.decode()
        assert "6666" not in content, path
        assert "http://testserver/" in content, path


def test_the_pagination_links_use_the_configured_origin(summit, key):
    response = Client().get("/api/v1/articles/?page_size=1", HTTP_HOST=EVIL_HOST, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.json()["next"].startswith("http://testserver/api/v1/articles/?cursor=")


def test_the_preview_link_uses_the_configured_origin(summit, admin_client):
    article, _ = summit
    page = admin_client.get(reverse("admin:newsroom_article_preview", args=[article.pk]), HTTP_HOST=EVIL_HOST)
    content = page.content.decode()
    assert "http://testserver/vorschau/" in content
    assert "6666" not in content


@override_settings(NEWSROOM_BASE_URL="https://www.example.org")
def test_every_absolute_url_starts_with_the_configured_origin(summit, key):
    article, _ = summit
    feed = Client().get("/feeds/rss/").content.decode()
    assert f"<link>https://www.example.org{article.get_absolute_url()}</link>" in feed
    assert "testserver" not in feed
    page = Client().get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="https://www.example.org{article.get_absolute_url()}">' in page
    assert "testserver" not in page
    detail = Client().get(f"/api/v1/articles/{article.pk}/", HTTP_AUTHORIZATION=f"Api-Key {key}").json()
    assert detail["canonical_url"] == f"https://www.example.org{article.get_absolute_url()}"
    assert detail["liveblog_links"][0]["liveblog_link"]["url"] == "https://www.example.org/themen/gipfel/"
    ninjs = Client().get(f"/api/v1/articles/{article.pk}/ninjs/", HTTP_AUTHORIZATION=f"Api-Key {key}").json()
    assert ninjs["uri"] == f"https://www.example.org{article.get_absolute_url()}"
