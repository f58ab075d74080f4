"""The one visibility rule, Article.objects.published(), and every public page that obeys it."""

import datetime as dt

import pytest
from django.utils import timezone

from newsroom.models import Article, Partner
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def invisible_articles(topic=None):
    now = timezone.now()
    extra = {"topic": topic} if topic else {}
    # Released to a partner ahead of its go-live: that partner's API shows it, nothing else does.
    embargoed = ArticleFactory(publish_at=now + HOUR, title="Mit Sperrfrist", **extra)
    embargoed.embargo_partners.add(
        Partner.objects.create(name=f"Agentur {embargoed.pk}", contact_email="a@example.org")
    )
    return {
        "embargoed": embargoed,
        "draft": ArticleFactory(draft=True, title="Entwurf", **extra),
        "review": ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="In Prüfung", **extra),
        "scheduled": ArticleFactory(publish_at=now + HOUR, title="Geplant", **extra),
        "expired": ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR, title="Abgelaufen", **extra),
    }


def test_published_excludes_draft_review_future_and_expired():
    hidden = invisible_articles()
    live = ArticleFactory(title="Live")
    still_live = ArticleFactory(unpublish_at=timezone.now() + HOUR, title="Noch live")
    assert set(Article.objects.published()) == {live, still_live}
    assert not set(hidden.values()) & set(Article.objects.published())


def test_published_reads_the_clock_when_called(monkeypatch):
    start = timezone.now()
    article = ArticleFactory(publish_at=start + HOUR, unpublish_at=start + 3 * HOUR)
    queryset = Article.objects.all()
    assert article not in queryset.published()
    monkeypatch.setattr(timezone, "now", lambda: start + 2 * HOUR)
    assert article in queryset.published()
    monkeypatch.setattr(timezone, "now", lambda: start + 4 * HOUR)
    assert article not in queryset.published()


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "embargoed", "expired"])
def test_an_unpublished_article_page_is_a_404(client, state):
    article = invisible_articles()[state]
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.content.decode()


def test_home_and_topic_pages_list_only_published_articles(client):
    topic = TopicFactory(slug="ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    hidden = invisible_articles(topic=topic)
    live = ArticleFactory(topic=topic, title="Der sichtbare Artikel")
    for url in ("/", "/themen/ukraine/"):
        html = ClientText(client, url)
        assert live.title in html
        for article in hidden.values():
            assert article.title not in html


def ClientText(client, url):  # noqa: N802 - reads like the page it fetches
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
