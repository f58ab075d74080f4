"""Shareable previews: signed, expiring links that show any article as readers will see it."""

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import http_date

from newsroom import preview
from newsroom.models import Article
from newsroom.services import article_import
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    TopicFactory,
    VideoClipFactory,
)
from tests.textmode import text_lines

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"
BANNER = "Vorschau – so sehen Leserinnen und Leser diesen Artikel."
EXPIRED = "Dieser Vorschau-Link ist abgelaufen. Bitte bei der Redaktion einen neuen anfordern."
INVALID = "Dieser Vorschau-Link ist ungültig."
TWO_DAYS = 48 * 60 * 60


def preview_path(article):
    return reverse("newsroom:preview", args=[preview.preview_token(article)])


def admin_preview_url(article):
    return reverse("admin:newsroom_article_preview", args=[article.pk])


def article_lines(html):
    """What a reader's text-mode browser shows of the ``<article class="article">`` element."""
    return text_lines(re.search(r'<article class="article">.*?</article>', html, re.DOTALL).group(0))


def anonymous_get(path, **headers):
    """A fresh browser: no session, no login, nothing in common with the editor's client."""
    return Client().get(path, **headers)


def freeze_signing_clock(monkeypatch, timestamp):
    # django.core.signing reads time.time() both to stamp and to check a token's age.
    monkeypatch.setattr(signing.time, "time", lambda: timestamp)


@pytest.fixture
def draft():
    return article_import(text=SAMPLE.read_text(encoding="utf-8")).article


def test_preview_route_reverses_and_resolves():
    assert reverse("newsroom:preview", args=["eyJ:1vX:abc-_"]) == "/vorschau/eyJ:1vX:abc-_/"
    match = resolve("/vorschau/eyJ:1vX:abc-_/")
    assert match.view_name == "newsroom:preview"
    assert match.kwargs == {"token": "eyJ:1vX:abc-_"}


def test_a_drafts_preview_works_without_login_under_a_preview_banner(draft):
    assert draft.status == Article.Status.DRAFT
    response = anonymous_get(preview_path(draft))

    assert response.status_code == 200
    lines = text_lines(response.content.decode())
    banner_at = lines.index(BANNER)
    assert lines[banner_at + 1].startswith("Status: Entwurf. Link gültig bis ")
    # The banner comes before the article, at the top of the page's main content.
    assert banner_at < lines.index("FAQ") < lines.index("Quelle: dpa")
    assert '<div class="preview-banner" role="note" aria-label="Vorschau">' in response.content.decode()


def test_a_preview_is_never_indexed_nor_cached(draft):
    path = preview_path(draft)
    response = anonymous_get(path)
    html = response.content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"no-store", "private"}
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")
    # A conditional request never gets a 304: there is nothing to revalidate against.
    future = http_date(time.time() + 3600)
    assert anonymous_get(path, HTTP_IF_MODIFIED_SINCE=future, HTTP_IF_NONE_MATCH="*").status_code == 200


def test_a_preview_has_no_canonical_link_structured_data_or_social_tags(draft):
    html = anonymous_get(preview_path(draft)).content.decode()
    head = html.split("</head>", 1)[0]
    assert 'rel="canonical"' not in head
    assert "application/ld+json" not in html
    assert 'property="og:' not in head
    assert 'name="twitter:' not in head


def test_the_published_page_has_no_banner_and_keeps_its_metadata(client, draft):
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
    response = client.get(draft.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert BANNER not in text_lines(html)
    assert "preview-banner" not in html
    assert 'name="robots"' not in html
    assert not response.has_header("X-Robots-Tag")
    assert 'rel="canonical"' in html
    assert "application/ld+json" in html
    assert "public" in response["Cache-Control"]


def test_the_preview_shows_exactly_the_article_readers_get_once_it_is_published(client, draft):
    before = article_lines(anonymous_get(preview_path(draft)).content.decode())

    # Published as of an hour ago without a save, so the "Stand" line stays the same.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, publish_at=an_hour_ago, first_published_at=an_hour_ago
    )
    public = article_lines(client.get(draft.get_absolute_url()).content.decode())

    assert before == public
    assert public[0] == "FAQ"
    assert "Worüber wird in Paris beraten?" in public
    assert public[-1] == "Aktuelle Nachrichten zur Ukraine"
    assert article_lines(anonymous_get(preview_path(draft)).content.decode()) == public


def test_the_preview_shows_the_latest_saved_state_behind_the_same_link(draft):
    path = preview_path(draft)
    draft.title = "Ein neuer Titel nach dem Link"
    draft.save()
    assert "Ein neuer Titel nach dem Link" in article_lines(anonymous_get(path).content.decode())[1]


@pytest.mark.parametrize(
    ("fields", "status_line"),
    [
        ({"draft": True}, "Status: Entwurf."),
        ({"status": Article.Status.REVIEW, "publish_at": None}, "Status: In Prüfung."),
        ({}, "Status: Veröffentlicht, online."),
        (
            {"publish_at": dt.datetime(2099, 11, 27, 13, 5, tzinfo=dt.UTC)},
            "Status: Veröffentlicht, geplant für 27.11.2099, 14:05 Uhr.",
        ),
        (
            {
                "publish_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                "unpublish_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
            },
            "Status: Veröffentlicht, nicht mehr online.",
        ),
    ],
    ids=["draft", "review", "published", "scheduled", "taken-down"],
)
def test_every_status_can_be_previewed_and_the_banner_names_it(fields, status_line):
    article = ArticleFactory(title="Der Artikel in der Vorschau", **fields)
    response = anonymous_get(preview_path(article))

    assert response.status_code == 200
    lines = text_lines(response.content.decode())
    assert lines[lines.index(BANNER) + 1].startswith(status_line + " Link gültig bis ")
    assert "Der Artikel in der Vorschau" in " ".join(article_lines(response.content.decode()))


def test_the_banner_and_the_admin_page_say_until_when_the_link_works_in_berlin_time(monkeypatch, admin_client):
    article = ArticleFactory(draft=True)
    made = dt.datetime(2026, 11, 25, 13, 5, 30, tzinfo=dt.UTC).timestamp()  # 14:05 in Berlin
    freeze_signing_clock(monkeypatch, made)
    page = admin_client.get(admin_preview_url(article))
    link = page.context["preview_url"]
    assert any(line.startswith("gültig bis 27.11.2026, 14:05 Uhr.") for line in text_lines(page.content.decode()))

    freeze_signing_clock(monkeypatch, made + 3600)
    html = anonymous_get(link).content.decode()
    assert "Link gültig bis 27.11.2026, 14:05 Uhr." in text_lines(html)[text_lines(html).index(BANNER) + 1]
    assert '<time datetime="2026-11-27T14:05:30+01:00">27.11.2026, 14:05 Uhr</time>' in html


def test_a_link_works_for_48_hours_and_then_says_it_has_expired(monkeypatch):
    article = ArticleFactory(draft=True)
    made = time.time()
    freeze_signing_clock(monkeypatch, made)
    path = preview_path(article)

    freeze_signing_clock(monkeypatch, made + TWO_DAYS - 60)
    assert anonymous_get(path).status_code == 200

    freeze_signing_clock(monkeypatch, made + TWO_DAYS + 1)
    response = anonymous_get(path)
    assert response.status_code == 410
    lines = text_lines(response.content.decode())
    assert "Vorschau-Link abgelaufen" in lines
    assert EXPIRED in lines
    assert article.title not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_lifetime_is_a_setting(monkeypatch, settings):
    settings.NEWSROOM_PREVIEW_MAX_AGE = 60
    article = ArticleFactory(draft=True)
    made = time.time()
    freeze_signing_clock(monkeypatch, made)
    path = preview_path(article)

    freeze_signing_clock(monkeypatch, made + 59)
    assert anonymous_get(path).status_code == 200
    freeze_signing_clock(monkeypatch, made + 61)
    assert anonymous_get(path).status_code == 410


def tamper(token, position):
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


@pytest.mark.parametrize("part", ["payload", "timestamp", "signature", "truncated", "garbage"])
def test_a_tampered_link_is_invalid(part):
    article = ArticleFactory(draft=True)
    token = preview.preview_token(article)
    payload, stamp, signature = token.split(":")
    changed = {
        "payload": tamper(token, 2),
        "timestamp": tamper(token, len(payload) + 2),
        "signature": tamper(token, len(token) - 5),
        "truncated": token[:-1],
        "garbage": "kein-gueltiges-zeichen",
    }[part]
    assert changed != token

    response = anonymous_get(reverse("newsroom:preview", args=[changed]))

    assert response.status_code == 404
    lines = text_lines(response.content.decode())
    assert "Vorschau-Link ungültig" in lines
    assert INVALID in lines
    assert article.title not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_a_tampered_old_link_is_invalid_not_expired(monkeypatch):
    article = ArticleFactory(draft=True)
    made = time.time()
    freeze_signing_clock(monkeypatch, made)
    token = preview.preview_token(article)
    freeze_signing_clock(monkeypatch, made + TWO_DAYS + 1)
    assert anonymous_get(reverse("newsroom:preview", args=[tamper(token, len(token) - 5)])).status_code == 404


@pytest.mark.parametrize(
    "sign",
    [
        lambda payload: signing.dumps(payload),  # Django's default salt
        lambda payload: signing.dumps(payload, salt="django.contrib.sessions.backends.signed_cookies"),
        lambda payload: signing.TimestampSigner(salt="newsroom.other").sign_object(payload),
        lambda payload: signing.TimestampSigner(key="ein-anderer-schluessel", salt=preview.SALT).sign_object(payload),
    ],
    ids=["default-salt", "session-salt", "other-salt", "other-key"],
)
def test_a_token_signed_for_another_purpose_is_refused(sign):
    article = ArticleFactory(draft=True)
    payload = [article.pk, int(article.created_at.timestamp())]
    response = anonymous_get(reverse("newsroom:preview", args=[sign(payload)]))
    assert response.status_code == 404
    assert INVALID in text_lines(response.content.decode())


def test_a_link_to_a_deleted_article_is_invalid():
    article = ArticleFactory(draft=True)
    path = preview_path(article)
    article.delete()
    response = anonymous_get(path)
    assert response.status_code == 404
    assert INVALID in text_lines(response.content.decode())


def test_a_link_never_shows_another_article_that_got_the_same_id():
    article = ArticleFactory(draft=True, title="Der alte Artikel")
    path = preview_path(article)
    pk = article.pk
    article.delete()
    newcomer = ArticleFactory(pk=pk, draft=True, title="Ein anderer Artikel mit derselben ID")
    Article.objects.filter(pk=pk).update(created_at=newcomer.created_at + dt.timedelta(days=1))

    response = anonymous_get(path)

    assert response.status_code == 404
    assert "Ein anderer Artikel" not in response.content.decode()


def test_only_get_and_head_are_allowed(draft):
    path = preview_path(draft)
    assert Client().head(path).status_code == 200
    assert Client().post(path).status_code == 405


def test_a_draft_preview_runs_the_same_four_queries_as_the_article_page(django_assert_num_queries):
    article = ArticleFactory(draft=True, hero_clip=VideoClipFactory(), intro_clip=VideoClipFactory())
    for _ in range(4):
        FAQItemFactory(article=article, clip=VideoClipFactory())
    ArticleLiveblogLinkFactory(article=article)
    BroadcastMentionFactory(article=article)
    path = preview_path(article)
    client = Client()
    # article with topic and clips, FAQ items with clips, liveblog placements, broadcast mentions
    with django_assert_num_queries(4):
        assert client.get(path).status_code == 200


def test_a_previewed_draft_is_on_no_public_listing(client):
    topic = TopicFactory(slug="ukraine")
    ArticleFactory(topic=topic, title="Ein veröffentlichter Artikel")
    draft = ArticleFactory(topic=topic, draft=True, title="Geheimer Entwurf zur Vorschau")
    assert anonymous_get(preview_path(draft)).status_code == 200

    paths = [
        "/",
        "/themen/ukraine/",
        "/suche/?q=Entwurf",
        "/feeds/rss/",
        "/feeds/atom/",
        "/themen/ukraine/feed/",
        "/sitemap.xml",
        "/sitemap-seiten.xml",
        "/sitemap-artikel.xml",
        "/sitemap-themen.xml",
        "/sitemap-news.xml",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "/vorschau/" not in body, path
        assert "Geheimer Entwurf" not in body, path
        assert draft.get_absolute_url() not in body, path
    assert "Ein veröffentlichter Artikel" in client.get("/feeds/rss/").content.decode()
    assert "Disallow: /vorschau/" in client.get("/robots.txt").content.decode().splitlines()


# The "Vorschau" button in the admin ------------------------------------------------


def test_the_change_form_has_a_vorschau_button(admin_client):
    article = ArticleFactory(draft=True)
    html = admin_client.get(reverse("admin:newsroom_article_change", args=[article.pk])).content.decode()
    assert re.search(rf'<a [^>]*href="{re.escape(admin_preview_url(article))}"[^>]*>Vorschau</a>', html)


def test_the_add_form_has_no_vorschau_button(admin_client):
    html = admin_client.get(reverse("admin:newsroom_article_add")).content.decode()
    assert "/vorschau/" not in html


def test_the_button_gives_the_editor_an_absolute_link_that_works_for_anyone(admin_client):
    article = ArticleFactory(draft=True, title="Entwurf für die Chefin vom Dienst")
    response = admin_client.get(admin_preview_url(article))

    assert response.status_code == 200
    link = response.context["preview_url"]
    assert link.startswith("http://testserver/vorschau/")
    html = response.content.decode()
    assert f'value="{link}"' in html
    assert "Vorschau öffnen" in html
    assert re.search(r"gültig bis \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", html)
    assert "no-cache" in response["Cache-Control"]  # the admin never caches a link

    shown = anonymous_get(link.removeprefix("http://testserver"))
    assert shown.status_code == 200
    assert "Entwurf für die Chefin vom Dienst" in shown.content.decode()


def test_making_a_link_needs_a_login(client):
    article = ArticleFactory(draft=True)
    response = client.get(admin_preview_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("redakteur", "r@example.org", "geheim", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="newsroom", codename__in=codenames))
    return user


def test_making_a_link_needs_the_change_permission(client, django_user_model):
    article = ArticleFactory(draft=True)
    client.force_login(staff_with(django_user_model, "view_article"))
    response = client.get(admin_preview_url(article))
    assert response.status_code == 403
    assert "preview_url" not in (response.context or {})
    change_form = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    assert change_form.status_code == 200  # read-only, without the button
    assert admin_preview_url(article) not in change_form.content.decode()


def test_an_editor_who_may_change_articles_gets_a_link(client, django_user_model):
    article = ArticleFactory(draft=True)
    client.force_login(staff_with(django_user_model, "view_article", "change_article"))
    response = client.get(admin_preview_url(article))
    assert response.status_code == 200
    assert anonymous_get(response.context["preview_url"]).status_code == 200


def test_a_link_for_an_unknown_article_goes_back_to_the_admin(admin_client):
    response = admin_client.get(reverse("admin:newsroom_article_preview", args=[987654]))
    assert response.status_code == 302
    assert "/vorschau/" not in response["Location"]
