"""The public pages: the explainer's anatomy and semantics, listings, redirects and error pages."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from newsroom.models import Article, Topic
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


@pytest.fixture
def sample_html(client):
    article = article_import(text=SAMPLE.read_text(encoding="utf-8"), publish=True).article
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_routes_reverse_and_resolve():
    assert reverse("newsroom:home") == "/"
    assert reverse("newsroom:article", kwargs={"slug": "gipfel-in-paris", "pk": 7}) == "/nachrichten/gipfel-in-paris-7/"
    assert resolve("/nachrichten/gipfel-in-paris-7/").kwargs == {"slug": "gipfel-in-paris", "pk": 7}
    assert reverse("newsroom:topic", kwargs={"slug": "ukraine"}) == "/themen/ukraine/"
    assert resolve("/themen/ukraine/").url_name == "topic"


def test_one_h1_holds_topline_and_title_joined_by_a_hidden_colon(sample_html):
    assert sample_html.count("<h1") == 1
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", sample_html, re.DOTALL).group(1)
    assert re.fullmatch(
        r'<span class="article__topline">Gipfel in Paris</span><span class="visually-hidden">:</span>'
        r'<span class="article__title">Wie die &quot;Koalition der Willigen&quot; einen Frieden in der Ukraine '
        r"absichern will</span>",
        h1,
    )
    assert '<html lang="de">' in sample_html
    assert "<article" in sample_html


def test_each_question_is_an_h2_with_its_anchor(sample_html):
    questions = re.findall(r'<h2 class="faq-item__question" id="([^"]+)">([^<]+)</h2>', sample_html)
    assert len(questions) == 6
    assert questions[0] == ("worueber-wird-in-paris-beraten", "Worüber wird in Paris beraten?")


def test_each_clip_is_a_figure_with_poster_caption_and_meta_line(sample_html):
    figures = re.findall(r"<figure.*?</figure>", sample_html, re.DOTALL)
    assert len(figures) == 6
    hero = figures[0]
    assert 'alt="Emmanuel Macron und Wolodymyr Selenskyj vor dem Élysée-Palast"' in hero
    assert 'width="1280" height="720"' in hero
    assert 'fetchpriority="high"' in hero
    assert all('loading="lazy"' in figure for figure in figures[1:])
    assert "<figcaption" in hero
    assert (
        '<time datetime="2026-01-06">06.01.2026</time> <span class="clip__sep" aria-hidden="true">|</span> '
        '<time datetime="PT1M46S">1:46 min</time>' in hero
    )


def test_a_clip_from_one_hour_on_shows_hours(client):
    clip = VideoClipFactory(duration=dt.timedelta(hours=1, minutes=2, seconds=3))
    article = ArticleFactory(hero_clip=clip)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="PT1H2M3S">1:02:03 h</time>' in html


def test_clip_date_is_shown_in_berlin_time(client):
    # 23:30 UTC on 5 January is already 6 January in Berlin.
    clip = VideoClipFactory(published_at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC))
    html = client.get(ArticleFactory(hero_clip=clip).get_absolute_url()).content.decode()
    assert '<time datetime="2026-01-06">06.01.2026</time>' in html


def test_liveblog_card_source_broadcast_note_and_topic_link(sample_html):
    assert "Alle aktuellen Entwicklungen zum russischen Angriffskrieg lesen Sie in unserem Liveblog:" in sample_html
    assert '<a href="/themen/ukraine/" class="liveblog-card">' not in sample_html  # imported cards have no URL yet
    assert '<p class="liveblog-card__label">Liveblog</p>' in sample_html
    assert '<p class="article__source">Quelle: dpa</p>' in sample_html
    assert (
        "Über das Thema berichteten am 06.01.2026 mehrere Sendungen, unter anderem das heute journal update "
        "ab 0:35 Uhr und heute Xpress ab 7:30 Uhr." in sample_html
    )
    assert '<a href="/themen/ukraine/">Aktuelle Nachrichten zur Ukraine</a>' in sample_html


def test_a_liveblog_card_with_an_address_is_a_link(client):
    placement = ArticleLiveblogLinkFactory(liveblog_link__url="https://www.example.org/liveblog")
    html = client.get(placement.article.get_absolute_url()).content.decode()
    assert '<a href="https://www.example.org/liveblog" class="liveblog-card">' in html


def test_one_show_gets_the_singular_sentence(client):
    mention = BroadcastMentionFactory(determiner="das", show="heute journal", starts_at=dt.time(21, 45))
    html = client.get(mention.article.get_absolute_url()).content.decode()
    assert "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr." in html


def test_anatomy_order_is_kicker_heading_teaser_hero_intro_faq_liveblog_source_broadcast_topic(sample_html):
    markers = [
        'class="article__kicker"',
        "<h1",
        'class="article__teaser"',
        "clip--hero",
        'class="article__intro',
        'class="faq-item"',
        'class="liveblog"',
        'class="article__source"',
        'class="article__broadcast"',
        'class="article__topic"',
    ]
    positions = [sample_html.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_stale_slug_redirects_permanently_to_the_canonical_url(client):
    article = ArticleFactory(slug="neuer-titel")
    response = client.get(f"/nachrichten/alter-titel-{article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/nachrichten/neuer-titel-{article.pk}/"


def test_unknown_article_id_is_a_german_404(client):
    response = client.get("/nachrichten/gibt-es-nicht-999999/")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.content.decode()


def test_server_error_page_is_german(settings):
    settings.ROOT_URLCONF = "tests.urls_boom"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Da ist etwas schiefgegangen" in html
    assert '<html lang="de">' in html


def test_home_lists_published_articles_newest_first_and_links_them(client):
    older = ArticleFactory(title="Älterer Artikel", publish_at=dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC))
    newer = ArticleFactory(title="Neuerer Artikel", publish_at=dt.datetime(2026, 1, 6, 8, tzinfo=dt.UTC))
    html = client.get("/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert f'href="{newer.get_absolute_url()}"' in html


def test_home_has_a_german_empty_state(client):
    html = client.get("/").content.decode()
    assert "Hier ist noch nichts veröffentlicht" in html


def test_home_paginates(client):
    for index in range(23):
        ArticleFactory(title=f"Artikel Nummer {index:02d}")
    first = client.get("/").content.decode()
    older = re.search(r'<a rel="next" href="(\?vor=\d+)">Ältere Artikel</a>', first).group(1)
    second = client.get("/" + older).content.decode()
    assert first.count('class="teaser"') == 20
    assert second.count('class="teaser"') == 3
    # Keyset pages: the second starts right after the first, nothing twice, nothing skipped.
    titles = re.findall(r'<span class="teaser__title">(.*?)</span>', first + second)
    assert titles == [f"Artikel Nummer {index:02d}" for index in reversed(range(23))]
    assert "Ältere Artikel" not in second
    assert '<a href="/">Neueste Artikel</a>' in second


def test_topic_page_lists_its_articles_under_its_headline(client):
    topic = TopicFactory(slug="ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    mine = ArticleFactory(topic=topic, title="Zum Thema")
    other = ArticleFactory(title="Anderes Thema")
    html = client.get("/themen/ukraine/").content.decode()
    assert '<h1 class="listing__heading">Aktuelle Nachrichten zur Ukraine</h1>' in html
    assert mine.title in html
    assert other.title not in html


def test_a_topic_without_published_articles_is_a_404(client):
    topic = TopicFactory(slug="leer", headline="Aktuelle Nachrichten zum Geheimprojekt")
    ArticleFactory(topic=topic, draft=True)
    response = client.get("/themen/leer/")
    assert response.status_code == 404
    assert "Geheimprojekt" not in response.content.decode()
    assert client.get("/themen/leer/feed/").status_code == 404


def test_unknown_topic_is_a_404(client):
    assert client.get("/themen/gibt-es-nicht/").status_code == 404


def test_page_has_no_external_resources(sample_html):
    assert not re.search(r'(src|href)="(https?:)?//(?!testserver)', sample_html.replace("http://testserver", ""))
    assert "/static/css/site.css" in sample_html


def test_editor_html_in_answers_is_sanitised_and_text_is_escaped(client):
    item = FAQItemFactory(
        question="<script>alert(1)</script>Wer?",
        answer='<p onclick="x()">Antwort <script>alert(2)</script><a href="javascript:alert(3)">Link</a></p>',
    )
    html = client.get(item.article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Wer?" in html
    assert "onclick" not in html
    assert "javascript:" not in html


def build_article_with_items(count):
    topic = TopicFactory()
    article = ArticleFactory(topic=topic, hero_clip=VideoClipFactory(), intro_clip=VideoClipFactory())
    for _ in range(count):
        FAQItemFactory(article=article, clip=VideoClipFactory())
    ArticleLiveblogLinkFactory(article=article)
    BroadcastMentionFactory(article=article)
    BroadcastMentionFactory(article=article, show="heute Xpress", determiner="")
    return article


def count_queries(client, article):
    with CaptureQueriesContext(connection) as context:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_faq_items(client):
    small = build_article_with_items(3)
    large = build_article_with_items(30)
    small_count = count_queries(client, small)
    large_count = count_queries(client, large)
    assert small_count == large_count
    assert large_count <= 10


def test_article_page_runs_exactly_five_queries(client, django_assert_num_queries):
    article = build_article_with_items(5)
    # the stamp (newsroom.caching: validators before any work), then the article with topic and
    # clips, FAQ items with clips, liveblog placements, broadcast mentions
    with django_assert_num_queries(5):
        client.get(article.get_absolute_url())


def test_admin_is_not_public(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    "path_of", [lambda a: "/", lambda a: a.topic.get_absolute_url(), lambda a: a.get_absolute_url()]
)
def test_public_pages_are_cacheable_and_revalidate_with_304(client, path_of):
    article = FAQItemFactory().article
    path = path_of(article)
    response = client.get(path)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    for directive in ("public", "max-age=60", "s-maxage=300", "stale-while-revalidate=600"):
        assert directive in cache_control
    assert response["ETag"] and response["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_an_edit_invalidates_the_article_etag(client):
    item = FAQItemFactory()
    path = item.article.get_absolute_url()
    etag = client.get(path)["ETag"]
    item.answer = "<p>Korrigiert.</p>"
    item.save()
    response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Korrigiert." in response.content.decode()


def test_a_scheduled_article_going_live_changes_the_home_page(client, monkeypatch):
    from django.utils import timezone

    start = timezone.now()
    ArticleFactory(title="Schon da", publish_at=start - dt.timedelta(hours=2))
    ArticleFactory(title="Kommt gleich", publish_at=start + dt.timedelta(minutes=30))
    first = client.get("/")
    assert "Kommt gleich" not in first.content.decode()
    monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(hours=1))
    second = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert "Kommt gleich" in second.content.decode()


def test_stand_shows_the_last_change_in_berlin_time(client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        updated_at=dt.datetime(2026, 1, 6, 9, 31, tzinfo=dt.UTC),
        publish_at=dt.datetime(2026, 1, 6, 8, 0, tzinfo=dt.UTC),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'Stand: <time datetime="2026-01-06T10:31:00+01:00">06.01.2026, 10:31 Uhr</time>' in html


def test_faq_pages_with_three_questions_get_a_table_of_contents(client):
    article = ArticleFactory(kind=Article.Kind.FAQ)
    items = [FAQItemFactory(article=article) for _ in range(3)]
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<nav class="toc" aria-labelledby="toc-heading">' in html
    for item in items:
        assert f'<li><a href="#{item.anchor}">{item.question}</a></li>' in html
    assert html.index('class="toc"') < html.index('class="faq-item"')


@pytest.mark.parametrize(("kind", "count"), [(Article.Kind.FAQ, 2), (Article.Kind.ANALYSIS, 4)])
def test_no_table_of_contents_for_short_or_non_faq_pages(client, kind, count):
    article = ArticleFactory(kind=kind)
    for _ in range(count):
        FAQItemFactory(article=article)
    assert 'class="toc"' not in client.get(article.get_absolute_url()).content.decode()


def test_a_take_down_changes_listings_for_if_modified_since_clients(client):
    from newsroom.services import article_unpublish

    article = ArticleFactory(title="Bald weg")
    ArticleFactory(title="Bleibt")
    # Everything so far happened earlier (Last-Modified counts whole seconds).
    earlier = dt.datetime(2026, 1, 6, 8, tzinfo=dt.UTC)
    Article.objects.update(updated_at=earlier, publish_at=earlier)
    Topic.objects.update(updated_at=earlier)
    paths = ("/", article.topic.get_absolute_url())
    first = {path: client.get(path)["Last-Modified"] for path in paths}
    article.refresh_from_db()
    article_unpublish(article=article, user=None)
    home = client.get("/", HTTP_IF_MODIFIED_SINCE=first["/"])
    assert home.status_code == 200
    assert "Bald weg" not in home.content.decode()


def test_a_topic_rename_changes_the_article_page(client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        updated_at=dt.datetime(2026, 1, 6, 8, tzinfo=dt.UTC), publish_at=dt.datetime(2026, 1, 6, 7, tzinfo=dt.UTC)
    )
    Topic.objects.update(updated_at=dt.datetime(2026, 1, 6, 8, tzinfo=dt.UTC))
    first = client.get(article.get_absolute_url())
    topic = article.topic
    topic.headline = "Aktuelle Nachrichten zum neuen Namen"
    topic.save()
    second = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert "Aktuelle Nachrichten zum neuen Namen" in second.content.decode()
