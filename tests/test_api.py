"""The partner API: keys, visibility, content, listing, filters, throttling, conditional GETs, budgets."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import Article, Partner, PartnerAPIKey
from newsroom.services import article_import
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    TopicFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"
HOUR = dt.timedelta(hours=1)


def hidden_articles():
    now = timezone.now()
    return [
        ArticleFactory(draft=True, title="Geheimer Entwurf"),
        ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="Geheim in Prüfung"),
        ArticleFactory(publish_at=now + HOUR, title="Geheim geplant"),
        ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR, title="Geheim abgelaufen"),
    ]


def all_pages(api, path, **params):
    """Follow ``next`` links; bounded so a broken cursor cannot loop forever."""
    results, url, data = [], path, params
    for _ in range(100):
        response = api.get(url, data)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        if not body["next"]:
            return results
        url, data = body["next"].replace("http://testserver", ""), None
    raise AssertionError("more than 100 pages")


# --- keys -------------------------------------------------------------------------------


def assert_401(response, message):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert message in response.json()["detail"]


def test_no_key_is_401_with_a_json_message(client):
    response = client.get("/api/v1/articles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Api-Key nichtda.abcdef", "Unbekannter API-Schlüssel"),
        ("Api-Key ohnepunkt", "Unbekannter API-Schlüssel"),
        ("Api-Key zu viele teile", "Ungültiger Authorization-Header"),
    ],
)
def test_unknown_or_malformed_keys_are_401(client, header, message):
    assert_401(client.get("/api/v1/articles/", HTTP_AUTHORIZATION=header), message)


def test_a_wrong_secret_for_a_known_prefix_is_401(client, key):
    prefix = key.split(".")[0]
    assert_401(client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {prefix}.falsch"), "Unbekannter")


def test_revoked_expired_and_inactive_are_401(client, partner):
    revoked, revoked_key = PartnerAPIKey.objects.create_key(partner=partner, name="alt")
    revoked.revoked = True
    revoked.save()
    _, expired_key = PartnerAPIKey.objects.create_key(
        partner=partner, name="abgelaufen", expiry_date=timezone.now() - HOUR
    )
    assert_401(client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {revoked_key}"), "widerrufen")
    assert_401(client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {expired_key}"), "abgelaufen")
    _, key = PartnerAPIKey.objects.create_key(partner=partner, name="neu")
    partner.is_active = False
    partner.save()
    assert_401(client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {key}"), "deaktiviert")


def test_keys_are_stored_hashed(partner):
    api_key, key = PartnerAPIKey.objects.create_key(partner=partner, name="Test")
    secret = key.split(".", 1)[1]
    assert secret not in api_key.hashed_key and secret not in api_key.id


def test_staff_may_browse_the_api_and_other_users_may_not(client, django_user_model):
    staff = django_user_model.objects.create_user("cvd", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/api/v1/articles/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content
    client.force_login(django_user_model.objects.create_user("leser", password="x"))
    assert client.get("/api/v1/articles/").status_code == 403


def test_create_partner_key_prints_a_working_key_once(client):
    out = io.StringIO()
    call_command("create_partner_key", "Nachrichten-App", "--email", "dev@example.org", stdout=out)
    key = out.getvalue().splitlines()[2]
    assert Partner.objects.get().name == "Nachrichten-App"
    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200
    assert key not in str(PartnerAPIKey.objects.values_list("hashed_key", "id", "prefix"))


def test_create_partner_key_needs_an_email_for_a_new_partner():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--email"):
        call_command("create_partner_key", "Unbekannt", stdout=io.StringIO())
    assert not Partner.objects.exists()


# --- visibility -----------------------------------------------------------------------------


def test_nothing_unpublished_is_reachable(api):
    hidden = hidden_articles()
    visible = ArticleFactory(title="Öffentlich")
    assert [item["id"] for item in all_pages(api, "/api/v1/articles/")] == [visible.pk]
    for article in hidden:
        for path in (f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/ninjs/"):
            response = api.get(path)
            if article.title == "Geheim abgelaufen":
                # It was live for an hour: partners learn it is gone, from a tombstone holding nothing of it.
                assert response.status_code == 410, path
                assert set(response.json()) == {"id", "status", "since", "detail"}
                assert "Geheim" not in response.content.decode()
                continue
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Nicht gefunden."}
        assert api.get("/api/v1/articles/", {"search": "Geheim"}).json()["results"] == []
        # Their topics are used by nothing published: unknown to partners.
        assert api.get("/api/v1/articles/", {"topic": article.topic.slug}).status_code == 400


def test_clips_and_liveblog_cards_are_reachable_only_through_published_articles(api):
    draft = ArticleFactory(draft=True, hero_clip=VideoClipFactory(title="Entwurfsclip"))
    draft_item = FAQItemFactory(article=draft, clip=VideoClipFactory(title="Entwurfsantwortclip"))
    draft_card = ArticleLiveblogLinkFactory(article=draft).liveblog_link
    live = ArticleFactory(intro_clip=VideoClipFactory(title="Öffentlicher Clip"))
    live_card = ArticleLiveblogLinkFactory(article=live).liveblog_link
    assert [clip["title"] for clip in all_pages(api, "/api/v1/clips/")] == ["Öffentlicher Clip"]
    for clip in (draft.hero_clip, draft_item.clip):
        assert api.get(f"/api/v1/clips/{clip.pk}/").status_code == 404
    assert api.get(f"/api/v1/clips/{live.intro_clip.pk}/").status_code == 200
    assert [card["id"] for card in all_pages(api, "/api/v1/liveblog-links/")] == [live_card.pk]
    assert api.get(f"/api/v1/liveblog-links/{draft_card.pk}/").status_code == 404


def test_a_clip_used_by_draft_and_published_article_is_listed_once(api):
    clip = VideoClipFactory()
    ArticleFactory(draft=True, hero_clip=clip)
    live = ArticleFactory(hero_clip=clip)
    FAQItemFactory(article=live, clip=clip)
    assert [item["id"] for item in all_pages(api, "/api/v1/clips/")] == [clip.pk]


# --- content ---------------------------------------------------------------------------------


def test_detail_has_everything_on_the_page(api):
    article = article_import(text=SAMPLE.read_text(encoding="utf-8"), publish=True).article
    body = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["canonical_url"] == f"http://testserver{article.get_absolute_url()}"
    assert (body["kind"], body["kicker"], body["topline"]) == ("faq", "FAQ", "Gipfel in Paris")
    assert body["teaser"].startswith("In Paris kommen")
    assert body["intro_html"].startswith("<p>Erwartet werden")
    assert [item["question"] for item in body["faq_items"]][0] == "Worüber wird in Paris beraten?"
    assert body["faq_items"][0]["anchor"] == "worueber-wird-in-paris-beraten"
    assert body["faq_items"][1]["answer_html"].count("<p>") == 2
    assert len(body["clips"]) == 6
    hero = body["hero_clip"]
    assert hero["duration_seconds"] == 106 and hero["duration_iso"] == "PT1M46S"
    assert hero["date"] == "2026-01-06"
    assert hero["poster"]["alt"] == "Emmanuel Macron und Wolodymyr Selenskyj vor dem Élysée-Palast"
    assert (hero["poster"]["width"], hero["poster"]["height"]) == (1280, 720)
    assert hero["poster"]["url"].startswith("http://testserver/media/posters/")
    (placement,) = body["liveblog_links"]
    assert placement["lead_in"].endswith("in unserem Liveblog:")
    assert placement["liveblog_link"]["label"] == "Liveblog"
    assert body["source"] == "dpa"
    assert [m["show_name"] for m in body["broadcast_mentions"]] == ["das heute journal update", "heute Xpress"]
    assert body["broadcast_sentence"].startswith("Über das Thema berichteten am 06.01.2026")
    assert body["topic"] == {
        "slug": "ukraine",
        "name": "Ukraine",
        "headline": "Aktuelle Nachrichten zur Ukraine",
    }
    assert body["first_published_at"] and body["updated_at"]
    assert body["ninjs_url"] == f"http://testserver/api/v1/articles/{article.pk}/ninjs/"


def test_list_returns_the_summary_shape(api):
    ArticleFactory(hero_clip=VideoClipFactory())
    (item,) = api.get("/api/v1/articles/").json()["results"]
    assert set(item) == {
        "id", "canonical_url", "api_url", "ninjs_url", "kind", "kicker", "topline", "title", "teaser",
        "topic", "hero_clip", "first_published_at", "updated_at", "embargoed_until",
    }  # fmt: skip
    assert item["embargoed_until"] is None  # set only for a partner an article is released to early
    assert item["ninjs_url"] == f"http://testserver/api/v1/articles/{item['id']}/ninjs/"
    assert "faq_items" not in item


def test_topics_endpoint(api):
    ArticleFactory(topic=TopicFactory(slug="ukraine", name="Ukraine", headline="Aktuelle Nachrichten zur Ukraine"))
    (topic,) = api.get("/api/v1/topics/").json()["results"]
    assert topic["url"] == "http://testserver/themen/ukraine/"


# --- listing and filters --------------------------------------------------------------------


def test_cursor_pagination_pages_through_everything_newest_first(api):
    now = timezone.now()
    articles = [ArticleFactory(publish_at=now - dt.timedelta(minutes=index)) for index in range(7)]
    ids = [item["id"] for item in all_pages(api, "/api/v1/articles/", page_size=3)]
    assert ids == [article.pk for article in articles]


def test_pagination_is_stable_under_inserts(api):
    now = timezone.now()
    articles = [ArticleFactory(publish_at=now - dt.timedelta(minutes=index + 1)) for index in range(4)]
    first = api.get("/api/v1/articles/", {"page_size": 2}).json()
    ArticleFactory(publish_at=now)  # a breaking story arrives while the partner pages
    second = api.get(first["next"].replace("http://testserver", "")).json()
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert seen == [article.pk for article in articles]


def test_filters_topic_kind_updated_since_and_search(api):
    ukraine = TopicFactory(slug="ukraine")
    faq = ArticleFactory(topic=ukraine, kind="faq", title="Gipfel in Paris")
    FAQItemFactory(article=faq, question="Wer schickt Truppen?")
    analysis = ArticleFactory(kind="analysis", title="Eine Analyse")
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    Article.objects.filter(pk=analysis.pk).update(updated_at=three_days_ago, publish_at=three_days_ago)

    def ids(**params):
        return [item["id"] for item in api.get("/api/v1/articles/", params).json()["results"]]

    assert ids(topic="ukraine") == [faq.pk]
    assert ids(kind="analysis") == [analysis.pk]
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert ids(updated_since=since) == [faq.pk]
    assert ids(search="truppen") == [faq.pk]
    assert ids(search="Analyse") == [analysis.pk]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"kind": "kommentar"}, "kind"),
        ({"updated_since": "gestern"}, "updated_since"),
        ({"topic": "gibt-es-nicht"}, "topic"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "viele"}, "page_size"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, params, name):
    ArticleFactory()
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 400
    body = response.json()
    assert f"„{name}“" in body["detail"]
    assert list(body["errors"]) == [name]


def test_a_bad_cursor_is_a_json_404(api):
    response = api.get("/api/v1/articles/", {"cursor": "kaputt"})
    assert response.status_code == 404
    assert response.json()["detail"]


# --- throttling -------------------------------------------------------------------------------


def test_per_partner_rate_override_gives_429_with_retry_after(api, partner, client):
    partner.rate_limit = "3/minute"
    partner.save()
    statuses = [api.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/topics/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zu viele Anfragen" in response.json()["detail"]
    # Another partner's key has its own budget.
    other = Partner.objects.create(name="Andere", contact_email="a@example.org")
    _, other_key = PartnerAPIKey.objects.create_key(partner=other, name="x")
    assert client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {other_key}").status_code == 200


def test_default_rate_comes_from_the_setting(api, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"partner": "2/hour"})
    assert [api.get("/api/v1/topics/").status_code for _ in range(3)] == [200, 200, 429]


# --- HTTP caching -------------------------------------------------------------------------------


def test_detail_has_etag_last_modified_and_answers_revalidation_with_304(api):
    article = FAQItemFactory().article
    path = f"/api/v1/articles/{article.pk}/"
    response = api.get(path)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "Authorization" in response["Vary"]
    assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_an_answer_edit_changes_the_etag(api):
    item = FAQItemFactory()
    path = f"/api/v1/articles/{item.article.pk}/"
    etag = api.get(path)["ETag"]
    item.answer = "<p>Eine korrigierte Antwort.</p>"
    item.save()
    response = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_caption_edit_changes_etag_and_last_modified(api):
    clip = VideoClipFactory()
    article = ArticleFactory()
    FAQItemFactory(article=article, clip=clip)
    path = f"/api/v1/articles/{article.pk}/"
    first = api.get(path)
    clip.description = "Neue Bildunterschrift."
    clip.updated_at = timezone.now() + dt.timedelta(seconds=5)
    type(clip).objects.filter(pk=clip.pk).update(description=clip.description, updated_at=clip.updated_at)
    second = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]


def test_list_and_ninjs_answer_revalidation_too(api):
    article = ArticleFactory()
    for path in ("/api/v1/articles/", f"/api/v1/articles/{article.pk}/ninjs/", "/api/v1/clips/", "/api/v1/topics/"):
        response = api.get(path)
        assert response.status_code == 200, path
        assert response["ETag"] and response["Last-Modified" if path != "/api/v1/clips/" else "ETag"]
        assert api.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_newly_published_article_changes_the_list(api):
    first = api.get("/api/v1/articles/")
    ArticleFactory()
    assert api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_partners_revalidation_is_answered_in_one_query_without_drf(api, monkeypatch, django_assert_num_queries):
    from rest_framework.views import APIView

    article = FAQItemFactory().article
    paths = ["/api/v1/articles/", f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/ninjs/"]
    etags = {path: api.get(path)["ETag"] for path in paths}

    def not_here(*args, **kwargs):
        raise AssertionError("DRF ran for a revalidation of an unchanged document")

    monkeypatch.setattr(APIView, "initial", not_here)
    for path in paths:
        with django_assert_num_queries(1):  # the stamp and, beside it, the key
            assert api.get(path, HTTP_IF_NONE_MATCH=etags[path]).status_code == 304, path


def test_an_early_304_carries_the_headers_drf_gives_its_304(api):
    article = FAQItemFactory().article
    for path in ("/api/v1/articles/", f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/ninjs/"):
        etag = api.get(path)["ETag"]
        early = api.get(path, HTTP_IF_NONE_MATCH=etag)
        # An Accept header the short path leaves alone: DRF negotiates it (to JSON) and answers.
        through_drf = api.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT="application/json; q=0.9")
        assert early.status_code == through_drf.status_code == 304
        assert dict(early.headers) == dict(through_drf.headers), path


def test_a_revalidation_with_a_key_that_no_longer_works_is_401(api, partner, key):
    article = ArticleFactory()
    path = f"/api/v1/articles/{article.pk}/"
    etag = api.get(path)["ETag"]
    api_key = PartnerAPIKey.objects.get_from_key(key)
    api_key.revoked = True
    api_key.save()
    assert_401(api.get(path, HTTP_IF_NONE_MATCH=etag), "widerrufen")
    api_key.revoked = False
    api_key.expiry_date = timezone.now() - HOUR
    api_key.save()
    assert_401(api.get(path, HTTP_IF_NONE_MATCH=etag), "abgelaufen")
    api_key.expiry_date = None
    api_key.save()
    partner.is_active = False
    partner.save()
    assert_401(api.get(path, HTTP_IF_NONE_MATCH=etag), "deaktiviert")
    partner.is_active = True
    partner.save()
    assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_remembered_key_still_expires_on_time_and_a_wrong_secret_still_fails(api, client, key, monkeypatch):
    article = ArticleFactory()
    path = f"/api/v1/articles/{article.pk}/"
    api_key = PartnerAPIKey.objects.get_from_key(key)
    api_key.expiry_date = timezone.now() + HOUR
    api_key.save()
    etag = api.get(path)["ETag"]
    for _ in range(2):  # checked once, then remembered
        assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304

    wrong = f"Api-Key {key.partition('.')[0]}.nicht-der-schluessel"
    assert_401(client.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_AUTHORIZATION=wrong), "Unbekannter")
    later = timezone.now() + 2 * HOUR
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert_401(api.get(path, HTTP_IF_NONE_MATCH=etag), "abgelaufen")


def test_revalidations_count_for_the_limit_once_each(api, partner):
    partner.rate_limit = "3/minute"
    partner.save()
    article = ArticleFactory()
    path = f"/api/v1/articles/{article.pk}/"
    etag = api.get(path)["ETag"]
    statuses = [api.get(path, HTTP_IF_NONE_MATCH=etag).status_code for _ in range(3)]
    assert statuses == [304, 304, 429]
    assert int(api.get(path, HTTP_IF_NONE_MATCH=etag)["Retry-After"]) >= 1


def test_a_revalidation_of_a_taken_down_article_is_410_gone(api):
    article = ArticleFactory()
    path = f"/api/v1/articles/{article.pk}/"
    etag = api.get(path)["ETag"]
    Article.objects.filter(pk=article.pk).update(unpublish_at=timezone.now() - dt.timedelta(seconds=1))
    response = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 410
    assert response.json()["status"] == "withdrawn"


# --- query budgets ------------------------------------------------------------------------------


def queries(api, path, params=None):
    with CaptureQueriesContext(connection) as context:
        assert api.get(path, params).status_code == 200
    return len(context.captured_queries)


def test_list_uses_a_fixed_number_of_queries_whatever_the_page_size(api):
    for _ in range(40):
        ArticleFactory(hero_clip=VideoClipFactory())
    small = queries(api, "/api/v1/articles/", {"page_size": 5})
    large = queries(api, "/api/v1/articles/", {"page_size": 40})
    assert small == large
    assert large <= 6


def build(count):
    article = ArticleFactory(hero_clip=VideoClipFactory(), intro_clip=VideoClipFactory())
    for _ in range(count):
        FAQItemFactory(article=article, clip=VideoClipFactory())
    ArticleLiveblogLinkFactory(article=article)
    BroadcastMentionFactory(article=article)
    return article


def test_detail_uses_a_fixed_number_of_queries_whatever_the_number_of_items(api):
    small, large = build(3), build(30)
    counts = [queries(api, f"/api/v1/articles/{article.pk}/") for article in (small, large)]
    assert counts[0] == counts[1]
    assert counts[1] <= 10
    ninjs = [queries(api, f"/api/v1/articles/{article.pk}/ninjs/") for article in (small, large)]
    assert ninjs[0] == ninjs[1] <= 10


def test_unknown_api_paths_are_json_404s(api):
    for path in ("/api/v1/gibt-es-nicht/", "/api/v2/articles/", "/api/v1/articles/1/2/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Nicht gefunden."}


@pytest.mark.parametrize(
    "value", ["0050-01-01T00:00:00-23:23", "9999-12-31T23:59:59-14:30", "2026-01-06T10:00:00+15:00"]
)
def test_updated_since_outside_real_time_zones_is_a_400(api, value):
    ArticleFactory()
    response = api.get("/api/v1/articles/", {"updated_since": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_updated_since_with_a_far_offset_still_compares_instants(api):
    article = ArticleFactory()
    nine = dt.datetime(2026, 1, 6, 9, 0, tzinfo=dt.UTC)
    Article.objects.filter(pk=article.pk).update(updated_at=nine, publish_at=nine - HOUR)
    # 10:30+01:00 is 09:30 UTC: after the update, so nothing; 08:30+00:00 is before.
    assert api.get("/api/v1/articles/", {"updated_since": "2026-01-06T10:30:00+01:00"}).json()["results"] == []
    assert len(api.get("/api/v1/articles/", {"updated_since": "2026-01-06T08:30:00+00:00"}).json()["results"]) == 1


def test_a_newly_published_article_counts_as_updated_since(api):
    from newsroom.services import article_publish

    article = ArticleFactory(draft=True)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    since = (timezone.now() - HOUR).isoformat()
    assert api.get("/api/v1/articles/", {"updated_since": since}).json()["results"] == []
    article.refresh_from_db()
    article_publish(article=article, user=None)
    ids = [item["id"] for item in api.get("/api/v1/articles/", {"updated_since": since}).json()["results"]]
    assert ids == [article.pk]


def test_several_bad_parameters_are_all_named(api):
    body = api.get("/api/v1/articles/", {"kind": "kommentar", "updated_since": "gestern"}).json()
    assert body["detail"].startswith("Ungültige Parameter „")
    assert "„kind“" in body["detail"] and "„updated_since“" in body["detail"]
    assert set(body["errors"]) == {"kind", "updated_since"}


def test_retry_after_in_one_second_is_singular(api, partner):
    from rest_framework.exceptions import Throttled

    from newsroom.api.errors import exception_handler

    response = exception_handler(Throttled(wait=1), {})
    assert response.data["detail"] == "Zu viele Anfragen. Bitte in 1 Sekunde erneut versuchen."


def test_a_topic_only_drafts_use_is_not_listed(api):
    hidden = TopicFactory(slug="geheim", headline="Aktuelle Nachrichten zum Geheimprojekt")
    ArticleFactory(topic=hidden, draft=True)
    visible = ArticleFactory().topic
    assert [topic["slug"] for topic in all_pages(api, "/api/v1/topics/")] == [visible.slug]
    assert api.get(f"/api/v1/topics/{hidden.pk}/").status_code == 404
    assert api.get("/api/v1/articles/", {"topic": "geheim"}).status_code == 400
