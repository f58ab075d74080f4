"""Embargoes: a scheduled article released to chosen partners before its go-live, and to nobody else."""

import datetime as dt

import pytest
from django.utils import timezone

from newsroom.models import Article, Partner, PartnerAPIKey
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory
from tests.test_ninjs import VALIDATOR
from tests.test_workflow import (
    UNIQUE_WORD,
    datetime_local,
    draft,
    move_clock,
    public_surfaces,
    publish_url,
    stored,
)

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
API_SURFACES = {"API-Liste", "API-Detail", "ninjs"}


def key_for(name):
    partner = Partner.objects.create(name=name, contact_email=f"technik@{name.lower().replace(' ', '-')}.example")
    return partner, PartnerAPIKey.objects.create_key(partner=partner, name="Produktion")[1]


@pytest.fixture
def embargoed(cvd_client):
    """A scheduled article (go-live in an hour) released to "Agentur Süd" in the admin, as a duty editor does."""
    released, released_key = key_for("Agentur Süd")
    _, other_key = key_for("Regionalsender Nord")
    topic = TopicFactory(slug="gipfel", headline="Der Gipfel in Paris")
    article = draft(topic=topic, title=f"Was die {UNIQUE_WORD} im Gipfel bedeutet")
    FAQItemFactory(article=article)
    ArticleFactory(topic=topic)  # another live article keeps every listing non-empty
    start = timezone.now().replace(second=0, microsecond=0)
    response = cvd_client.post(publish_url(article), {"publish_at": datetime_local(start + HOUR)})
    assert response.status_code == 302
    article = stored(article)
    article.embargo_partners.add(released)
    assert article.state == Article.State.SCHEDULED
    return {"article": article, "released": released_key, "other": other_key, "go_live": start + HOUR}


def test_the_released_partner_sees_the_scheduled_article_marked_with_embargoed_until(client, embargoed):
    article, api = embargoed["article"], {"HTTP_AUTHORIZATION": f"Api-Key {embargoed['released']}"}
    go_live = timezone.localtime(embargoed["go_live"]).isoformat()

    ninjs = client.get(f"/api/v1/articles/{article.pk}/ninjs/", **api)
    assert ninjs.status_code == 200
    document = ninjs.json()
    assert document["embargoedUntil"] == go_live
    assert document["pubStatus"] == "usable"
    VALIDATOR.validate(document)

    detail = client.get(f"/api/v1/articles/{article.pk}/", **api)
    assert detail.status_code == 200
    assert detail.json()["embargoed_until"] == go_live
    assert detail["Cache-Control"] == "private, no-cache"
    assert client.get(f"/api/v1/articles/{article.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"], **api).status_code == 304

    listed = client.get("/api/v1/articles/", **api).json()["results"]
    assert [item["embargoed_until"] for item in listed if item["id"] == article.pk] == [go_live]
    assert all(item["embargoed_until"] is None for item in listed if item["id"] != article.pk)


def test_readers_and_other_partners_see_nothing_until_the_go_live_then_everyone_does(monkeypatch, client, embargoed):
    article = embargoed["article"]
    other = public_surfaces(client, article, embargoed["other"])
    released = public_surfaces(client, article, embargoed["released"])
    assert other.pop("API-Status") == 404
    assert other == dict.fromkeys(other, False)
    assert released.pop("API-Status") == 200
    assert {name for name, seen in released.items() if seen} == API_SURFACES

    move_clock(monkeypatch, embargoed["go_live"] + dt.timedelta(minutes=1))
    for key in (embargoed["other"], embargoed["released"]):
        seen = public_surfaces(client, article, key)
        assert seen.pop("API-Status") == 200
        assert seen == dict.fromkeys(seen, True)
    document = client.get(
        f"/api/v1/articles/{article.pk}/ninjs/", HTTP_AUTHORIZATION=f"Api-Key {embargoed['released']}"
    ).json()
    assert "embargoedUntil" not in document


def test_an_embargo_is_no_way_around_the_rule_for_drafts_or_taken_down_articles(client, embargoed):
    """Released partners see a scheduled article only: not a draft, not one in review, not one taken down."""
    partner = PartnerAPIKey.objects.get_from_key(embargoed["released"]).partner
    api = {"HTTP_AUTHORIZATION": f"Api-Key {embargoed['released']}"}
    now = timezone.now()
    hidden = [
        ArticleFactory(draft=True, title="Entwurf"),
        ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="In Prüfung"),
        ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR, title="Abgelaufen"),
    ]
    for article in hidden:
        article.embargo_partners.add(partner)
        assert client.get(f"/api/v1/articles/{article.pk}/", **api).status_code in (404, 410)
        assert client.get(f"/api/v1/articles/{article.pk}/ninjs/", **api).status_code in (404, 410)
    listed = {item["id"] for item in client.get("/api/v1/articles/", {"page_size": 100}, **api).json()["results"]}
    assert not listed & {article.pk for article in hidden}
    assert embargoed["article"].pk in listed


def test_only_a_duty_editor_may_release_an_article_to_partners(redaktion_client, cvd_client, embargoed):
    article = embargoed["article"]
    url = f"/admin/newsroom/article/{article.pk}/change/"
    form = cvd_client.get(url).text
    assert 'name="embargo_partners"' in form
    assert "Vorab freigegeben für" in form
    other = draft()
    page = redaktion_client.get(f"/admin/newsroom/article/{other.pk}/change/").text
    assert 'name="embargo_partners"' not in page
