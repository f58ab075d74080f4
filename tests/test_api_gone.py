"""Take-downs for partners: an article they may have shown answers 410 Gone with a tombstone, so partner
apps remove it; an id that never was public stays a 404 (nothing about drafts leaks)."""

import datetime as dt

import pytest
from django.utils import timezone

from newsroom.models import Article
from newsroom.services import article_publish, article_unpublish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WITHDRAWN = "Dieser Artikel ist nicht mehr veröffentlicht. Bitte aus Ihrem Angebot entfernen."
DELETED = "Dieser Artikel wurde gelöscht. Bitte aus Ihrem Angebot entfernen."


def documents(article_id):
    return [f"/api/v1/articles/{article_id}/", f"/api/v1/articles/{article_id}/ninjs/"]


def test_a_withdrawn_article_is_410_with_its_tombstone(api, client, admin_user):
    article = ArticleFactory(draft=True)
    article_publish(article=article, user=admin_user)
    assert all(api.get(path).status_code == 200 for path in documents(article.pk))
    page = article.get_absolute_url()

    article_unpublish(article=Article.objects.get(pk=article.pk), user=admin_user, reason="Rechtlich geprüft")

    for path in documents(article.pk):
        response = api.get(path)
        assert response.status_code == 410, path
        body = response.json()
        assert (body["id"], body["status"], body["detail"]) == (article.pk, "withdrawn", WITHDRAWN)
        assert dt.datetime.fromisoformat(body["since"]) <= timezone.now()
        assert "title" not in body and "teaser" not in body  # a tombstone, not the article
    assert client.get(page).status_code == 404  # readers see nothing
    assert article.pk not in [item["id"] for item in api.get("/api/v1/articles/").json()["results"]]


def test_an_article_past_its_take_down_time_is_410(api):
    now = timezone.now()
    article = ArticleFactory(publish_at=now - dt.timedelta(days=2), unpublish_at=now - dt.timedelta(hours=1))
    Article.objects.filter(pk=article.pk).update(first_published_at=now - dt.timedelta(days=2))
    body = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["status"] == "withdrawn"
    assert dt.datetime.fromisoformat(body["since"]) >= now - dt.timedelta(hours=1, seconds=1)


def test_a_deleted_live_article_is_410_deleted(api):
    article = ArticleFactory()
    pk = article.pk
    article.delete()
    for path in documents(pk):
        response = api.get(path)
        assert response.status_code == 410
        assert (response.json()["status"], response.json()["detail"]) == ("deleted", DELETED)


def test_ids_that_never_were_public_stay_404(api, admin_user):
    draft = ArticleFactory(draft=True, title="Geheimer Entwurf")
    scheduled = ArticleFactory(draft=True, title="Geheim geplant")
    article_publish(article=scheduled, user=admin_user, at=timezone.now() + dt.timedelta(hours=3))
    deleted_draft = ArticleFactory(draft=True)
    deleted_pk = deleted_draft.pk
    deleted_draft.delete()
    # Scheduled (and so "published" with a first go-live ahead), then deleted before it: never public either.
    deleted_scheduled = ArticleFactory(draft=True, title="Geheim und gelöscht")
    article_publish(article=deleted_scheduled, user=admin_user, at=timezone.now() + dt.timedelta(hours=3))
    deleted_scheduled_pk = deleted_scheduled.pk
    deleted_scheduled.delete()
    for article_id in (draft.pk, scheduled.pk, deleted_pk, deleted_scheduled_pk, 999_999):
        for path in documents(article_id):
            response = api.get(path)
            assert response.status_code == 404, path
            assert "Geheim" not in response.content.decode()
