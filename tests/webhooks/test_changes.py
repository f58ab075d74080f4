"""The changes feed for partners that poll: every event in order, take-downs and deletions included."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from newsroom.models import Article, Partner, PartnerAPIKey
from newsroom.services import article_publish, article_unpublish
from newsroom.webhooks.relay import relay
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)
CHANGES = "/api/v1/articles/changes/"


def told(api, **params):
    response = api.get(CHANGES, params)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "private, no-cache"
    return response.json()


def test_the_feed_lists_publishing_a_take_down_and_a_deletion_in_order(api):
    kept, withdrawn, deleted = (ArticleFactory(draft=True) for _ in range(3))
    for article in (kept, withdrawn, deleted):
        article_publish(article=article, user=None)
    relay()
    article_unpublish(article=withdrawn, user=None)
    Article.objects.filter(pk=deleted.pk).delete()
    ArticleFactory(draft=True).delete()  # never public: not in the feed
    relay()

    results = told(api)["results"]
    assert [(item["type"], item["article_id"]) for item in results] == [
        ("article.published", kept.pk),
        ("article.published", withdrawn.pk),
        ("article.published", deleted.pk),
        ("article.unpublished", withdrawn.pk),
        ("article.deleted", deleted.pk),
    ]
    taken_down = results[3]
    assert taken_down["tombstone"]["status"] == "withdrawn"
    assert taken_down["ninjs_url"] is None
    assert results[4]["tombstone"]["status"] == "deleted"
    assert results[0]["ninjs_url"] == f"http://testserver/api/v1/articles/{kept.pk}/ninjs/"
    assert results[0]["url"] == "http://testserver" + kept.get_absolute_url()
    # A partner that polled sees the take-down's answer for itself, too.
    assert api.get(f"/api/v1/articles/{withdrawn.pk}/").status_code == 410
    assert api.get(f"/api/v1/articles/{deleted.pk}/").status_code == 410


def test_a_withdrawn_embargo_is_in_the_feed_and_410_for_the_released_partner_alone(api, partner, client):
    article = ArticleFactory(draft=True)
    article_publish(article=article, user=None, at=timezone.now() + dt.timedelta(hours=2))
    article.embargo_partners.add(partner)
    relay()
    article_unpublish(article=article, user=None)
    relay()

    results = told(api)["results"]
    assert [(item["type"], item["article_id"]) for item in results] == [
        ("article.embargo", article.pk),
        ("article.unpublished", article.pk),
    ]
    assert results[1]["tombstone"]["status"] == "withdrawn"
    other = PartnerAPIKey.objects.create_key(
        partner=Partner.objects.create(name="Agentur Süd", contact_email="a@sued.example"), name="Test"
    )[1]
    feed = client.get(CHANGES, HTTP_AUTHORIZATION=f"Api-Key {other}")
    assert feed.status_code == 200 and feed.json()["results"] == []

    # The partner that held the text hears "gone" from the documents too; for the other one the id never was public.
    for path in (f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/ninjs/"):
        gone = api.get(path)
        assert gone.status_code == 410, path
        assert gone.json() == results[1]["tombstone"]
        assert gone["Cache-Control"] == "private, no-cache"
        assert client.get(path, HTTP_AUTHORIZATION=f"Api-Key {other}").status_code == 404
        assert client.get(path).status_code in (401, 403)


def test_since_and_the_cursor_page_through_without_gaps(api):
    articles = [ArticleFactory(draft=True) for _ in range(5)]
    for article in articles[:2]:
        article_publish(article=article, user=None)
    relay()
    time.sleep(1.1)  # the feed's times are whole seconds
    for article in articles[2:]:
        article_publish(article=article, user=None)
    relay()
    first = told(api, page_size=2)
    second = api.get(first["next"].removeprefix("http://testserver")).json()
    third = api.get(second["next"].removeprefix("http://testserver")).json()
    ids = [item["article_id"] for page in (first, second, third) for item in page["results"]]
    assert ids == [article.pk for article in articles]
    assert third["next"] is None

    since = second["results"][0]["occurred_at"]  # the third event's
    later = [item["article_id"] for item in told(api, since=since)["results"]]
    assert later == [article.pk for article in articles[2:]]


def test_a_bad_since_is_a_400_that_names_it(api):
    response = api.get(CHANGES, {"since": "gestern"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since"]
    assert api.get(CHANGES, {"since": "2026-01-06T10:00:00-23:00"}).status_code == 400


def test_an_empty_feed_is_an_empty_list(api):
    assert told(api) == {"next": None, "previous": None, "results": []}


def test_the_feed_costs_the_same_queries_for_any_page_size(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(30):
        article_publish(article=ArticleFactory(draft=True), user=None)
    relay()
    counts = []
    for size in (5, 30):
        with CaptureQueriesContext(connection) as context:
            assert len(told(api, page_size=size)["results"]) == size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == 2  # the key with its partner, then the page of events
