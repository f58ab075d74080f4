"""Sitemaps and robots.txt: valid against the official sitemaps.org schema, only published articles, news and videos.

The schema comes from the npm package ``sitemap`` (pinned in package.json), which ships
sitemaps.org's ``sitemap.xsd``; ``npm ci`` installs it into node_modules/.
"""

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from lxml import etree

from newsroom.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory, VideoClipFactory

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[1] / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "video": "http://www.google.com/schemas/sitemap-video/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(scope="session")
def urlset_schema():
    if not SCHEMA.exists():
        pytest.fail(
            f"The sitemaps.org schema is missing ({SCHEMA}). Run `npm ci` (or `npm install`) in the project "
            "root: package.json pins the npm package `sitemap`, which ships it.",
            pytrace=False,
        )
    document = etree.parse(str(SCHEMA))
    assert document.getroot().get("targetNamespace") == NS["s"]
    return etree.XMLSchema(document)


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml"), path
    return response.content


def valid_urlset(schema, content):
    """The parsed urlset; its sitemaps.org part must validate against the official schema.

    sitemap.xsd admits extension elements (video:, news:) only with their own schema
    (a strict wildcard), and the package ships none: those are checked by the tests
    that use them, the rest against the schema.
    """
    document = etree.fromstring(content)  # well-formed, or this raises
    core = copy.deepcopy(document)
    for element in core.xpath("/s:urlset/s:url/*[namespace-uri() != $ns]", namespaces=NS, ns=NS["s"]):
        element.getparent().remove(element)
    if not schema.validate(core):
        pytest.fail(f"not valid against sitemap.xsd: {schema.error_log}")
    return document


def index_locations(content):
    """The sitemap URLs of a sitemap index, checked against the protocol's index format."""
    document = etree.fromstring(content)
    assert document.tag == f"{{{NS['s']}}}sitemapindex"
    entries = list(document)
    assert 1 <= len(entries) <= 50_000
    locations = []
    for entry in entries:
        assert entry.tag == f"{{{NS['s']}}}sitemap"
        children = {child.tag.split("}")[1]: child.text for child in entry}
        assert set(children) <= {"loc", "lastmod"} and "loc" in children
        assert children["loc"].startswith("http://testserver/")
        if "lastmod" in children:
            assert dt.datetime.fromisoformat(children["lastmod"]).utcoffset() is not None
        locations.append(children["loc"])
    return locations


def locs(document):
    return document.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NS)


def all_sitemap_locs(client, schema):
    """Every URL in every sitemap the index names, plus the news sitemap."""
    found = []
    for location in index_locations(fetch(client, "/sitemap.xml")):
        found += locs(valid_urlset(schema, fetch(client, location.removeprefix("http://testserver"))))
    found += locs(valid_urlset(schema, fetch(client, "/sitemap-news.xml")))
    return found


def test_sitemap_routes_reverse_and_resolve():
    assert reverse("newsroom:sitemap") == "/sitemap.xml"
    assert reverse("newsroom:sitemap-news") == "/sitemap-news.xml"
    assert reverse("newsroom:sitemap-section", kwargs={"section": "artikel"}) == "/sitemap-artikel.xml"
    assert resolve("/sitemap-news.xml").url_name == "sitemap-news"
    assert resolve("/sitemap-themen.xml").kwargs == {"section": "themen"}
    assert reverse("newsroom:robots") == "/robots.txt"
    assert resolve("/robots.txt").url_name == "robots"


def test_index_names_pages_articles_and_topics_and_each_validates(client, urlset_schema):
    article = ArticleFactory(topic=TopicFactory(slug="ukraine"))
    locations = index_locations(fetch(client, "/sitemap.xml"))
    assert locations == [
        "http://testserver/sitemap-seiten.xml",
        "http://testserver/sitemap-artikel.xml",
        "http://testserver/sitemap-themen.xml",
    ]
    pages, articles, topics = (
        valid_urlset(urlset_schema, fetch(client, location.removeprefix("http://testserver"))) for location in locations
    )
    assert locs(pages) == ["http://testserver/"]
    assert locs(articles) == [f"http://testserver{article.get_absolute_url()}"]
    assert locs(topics) == ["http://testserver/themen/ukraine/"]


def test_articles_carry_their_last_change(client, urlset_schema):
    article = ArticleFactory()
    document = valid_urlset(urlset_schema, fetch(client, "/sitemap-artikel.xml"))
    (lastmod,) = document.xpath("//s:lastmod/text()", namespaces=NS)
    assert dt.datetime.fromisoformat(lastmod) == max(article.updated_at, article.publish_at).replace(microsecond=0)


def test_an_empty_site_has_a_valid_index_with_the_home_page(client, urlset_schema):
    ArticleFactory(draft=True)
    assert index_locations(fetch(client, "/sitemap.xml")) == ["http://testserver/sitemap-seiten.xml"]
    assert locs(valid_urlset(urlset_schema, fetch(client, "/sitemap-seiten.xml"))) == ["http://testserver/"]


def test_topics_without_published_articles_are_left_out(client, urlset_schema):
    TopicFactory(slug="leer")
    ArticleFactory(topic=TopicFactory(slug="entwurf"), draft=True)
    ArticleFactory(topic=TopicFactory(slug="ukraine"))
    assert locs(valid_urlset(urlset_schema, fetch(client, "/sitemap-themen.xml"))) == [
        "http://testserver/themen/ukraine/"
    ]


def test_sections_are_paginated_in_pages_of_a_few_thousand(client, urlset_schema, monkeypatch):
    # Far below the protocol's 50,000: a page is built and sent in a few milliseconds.
    assert ArticleSitemap.limit == 1_000
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [ArticleFactory() for _ in range(3)]
    locations = index_locations(fetch(client, "/sitemap.xml"))
    assert "http://testserver/sitemap-artikel.xml?p=2" in locations
    assert "http://testserver/sitemap-artikel.xml?p=3" not in locations
    first = locs(valid_urlset(urlset_schema, fetch(client, "/sitemap-artikel.xml")))
    second = locs(valid_urlset(urlset_schema, fetch(client, "/sitemap-artikel.xml?p=2")))
    assert len(first) == 2 and len(second) == 1
    assert sorted(first + second) == sorted(f"http://testserver{a.get_absolute_url()}" for a in articles)
    assert client.get("/sitemap-artikel.xml?p=3").status_code == 404


def test_unknown_section_is_a_404(client):
    assert client.get("/sitemap-gibtsnicht.xml").status_code == 404


def test_clips_with_a_video_are_video_entries_of_their_article(client, urlset_schema):
    hosted = VideoClipFactory(
        title="Macron empfängt die Koalition",
        description="Bilder vom Gipfel & den Gästen.",
        video_url="https://media.example.org/gipfel.mp4",
        duration=dt.timedelta(minutes=1, seconds=46),
        published_at=dt.datetime(2026, 1, 6, 9, 30, tzinfo=dt.UTC),
    )
    uploaded = VideoClipFactory(video_file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="walde.mp4"))
    article = ArticleFactory(hero_clip=hosted, intro_clip=VideoClipFactory())  # the intro clip has no video
    FAQItemFactory(article=article, clip=uploaded)
    document = valid_urlset(urlset_schema, fetch(client, "/sitemap-artikel.xml"))
    videos = document.xpath("/s:urlset/s:url/video:video", namespaces=NS)
    assert len(videos) == 2
    first = {child.tag.split("}")[1]: child.text for child in videos[0]}
    assert list(first) == ["thumbnail_loc", "title", "description", "content_loc", "duration", "publication_date"]
    assert first == {
        "thumbnail_loc": f"http://testserver{hosted.poster.url}",
        "title": "Macron empfängt die Koalition",
        "description": "Bilder vom Gipfel & den Gästen.",
        "content_loc": "https://media.example.org/gipfel.mp4",
        "duration": "106",
        "publication_date": "2026-01-06T10:30:00+01:00",
    }
    assert videos[1].findtext("video:content_loc", namespaces=NS) == f"http://testserver{uploaded.video_file.url}"


def test_article_sitemap_queries_do_not_grow_with_articles_and_clips(client):
    def count():
        with CaptureQueriesContext(connection) as context:
            fetch(client, "/sitemap-artikel.xml")
        return len(context.captured_queries)

    article = ArticleFactory(hero_clip=VideoClipFactory(video_url="https://media.example.org/a.mp4"))
    FAQItemFactory(article=article, clip=VideoClipFactory(video_url="https://media.example.org/b.mp4"))
    few = count()
    for _ in range(5):
        more = ArticleFactory(hero_clip=VideoClipFactory(video_url="https://media.example.org/c.mp4"))
        FAQItemFactory(article=more, clip=VideoClipFactory(video_url="https://media.example.org/d.mp4"))
    # the stamp, the first and the last published id, the page's articles (lean: ids, slugs, times,
    # clip ids), their FAQ items' clip ids, the clips with a video
    assert few == count() == 6


def test_news_sitemap_has_articles_first_published_in_the_last_two_days(client, urlset_schema):
    now = timezone.now()
    fresh = ArticleFactory(
        topline="Gipfel in Paris", title="Was beschlossen wurde", publish_at=now - dt.timedelta(hours=1)
    )
    ArticleFactory(publish_at=now - dt.timedelta(days=3))
    # Re-scheduled yesterday, but first published three days ago: not news any more.
    ArticleFactory(publish_at=now - dt.timedelta(days=1), first_published_at=now - dt.timedelta(days=3))
    document = valid_urlset(urlset_schema, fetch(client, "/sitemap-news.xml"))
    assert locs(document) == [f"http://testserver{fresh.get_absolute_url()}"]
    (news,) = document.xpath("/s:urlset/s:url/news:news", namespaces=NS)
    assert [child.tag.split("}")[1] for child in news] == ["publication", "publication_date", "title"]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "de"
    assert news.findtext("news:title", namespaces=NS) == "Gipfel in Paris: Was beschlossen wurde"
    published = dt.datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh.first_published_at.replace(microsecond=0)


def test_news_sitemap_drops_an_article_two_days_after_it_was_first_published(client, monkeypatch):
    now = timezone.now()
    article = ArticleFactory(publish_at=now - dt.timedelta(hours=1))
    url = f"http://testserver{article.get_absolute_url()}"
    assert locs(etree.fromstring(fetch(client, "/sitemap-news.xml"))) == [url]
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(days=2))
    assert locs(etree.fromstring(fetch(client, "/sitemap-news.xml"))) == []
    # Still a published article, so still in the article sitemap.
    assert locs(etree.fromstring(fetch(client, "/sitemap-artikel.xml"))) == [url]


def test_draft_scheduled_and_expired_articles_never_appear_in_a_sitemap(client, urlset_schema):
    now = timezone.now()
    topic = TopicFactory(slug="ukraine")
    visible = ArticleFactory(topic=topic)
    hidden = [
        ArticleFactory(topic=TopicFactory(slug="entwurf"), draft=True),
        ArticleFactory(topic=TopicFactory(slug="geplant"), publish_at=now + dt.timedelta(hours=1)),
        ArticleFactory(
            topic=TopicFactory(slug="abgelaufen"),
            publish_at=now - dt.timedelta(hours=5),
            unpublish_at=now - dt.timedelta(minutes=1),
        ),
    ]
    found = all_sitemap_locs(client, urlset_schema)
    assert found.count(f"http://testserver{visible.get_absolute_url()}") == 2  # articles and news
    for article in hidden:
        assert f"http://testserver{article.get_absolute_url()}" not in found
        assert f"http://testserver{article.topic.get_absolute_url()}" not in found


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_preview(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /vorschau/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert fetch(client, "/sitemap.xml")
    assert client.head("/robots.txt").status_code == 200  # crawlers may ask with HEAD first


def test_the_news_sitemap_reads_only_the_window_from_its_index():
    # Scheduled articles sort after now on the date index; a window without an upper bound walked
    # through all of them first (at 100,000 articles, thousands of rows for a hundred).
    from django.db import connection

    from newsroom.sitemaps import _news_items

    sql, params = _news_items().query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            (condition,) = [line for line in plan.splitlines() if "Index Cond" in line]
            assert ">=" in condition and "<=" in condition, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            # SQLite picks its index by the data; whichever it takes, it is searched up to now.
            assert re.search(r"SEARCH newsroom_article USING INDEX \w+ \(.*<\?\)", plan), plan
