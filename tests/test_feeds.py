"""RSS and Atom feeds: they parse cleanly, carry the newest 50 published articles, and are linked from every page."""

import datetime as dt
import html

import feedparser
import pytest
from django.urls import resolve, reverse

from newsroom.feeds import FEED_SIZE
from tests.factories import ArticleFactory, TopicFactory, VideoClipFactory

pytestmark = pytest.mark.django_db


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def utc(parsed):
    """feedparser's UTC struct_time as an aware datetime."""
    return dt.datetime(*parsed[:6], tzinfo=dt.UTC)


def whole_seconds(value):
    return value.astimezone(dt.UTC).replace(microsecond=0)


@pytest.fixture
def published_pair():
    topic = TopicFactory(slug="ukraine", name="Ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    now = dt.datetime.now(dt.UTC)
    older = ArticleFactory(topic=topic, hero_clip=VideoClipFactory(), publish_at=now - dt.timedelta(hours=5))
    newer = ArticleFactory(topic=topic, hero_clip=VideoClipFactory(), publish_at=now - dt.timedelta(hours=1))
    return newer, older


def test_feed_routes_reverse_and_resolve():
    assert reverse("newsroom:feed-rss") == "/feeds/rss/"
    assert reverse("newsroom:feed-atom") == "/feeds/atom/"
    assert reverse("newsroom:topic-feed", kwargs={"slug": "ukraine"}) == "/themen/ukraine/feed/"
    assert resolve("/themen/ukraine/feed/").url_name == "topic-feed"
    assert resolve("/themen/ukraine/feed/").kwargs == {"slug": "ukraine"}
    assert resolve("/feeds/rss/").url_name == "feed-rss"
    assert resolve("/feeds/atom/").url_name == "feed-atom"


def test_rss_feed_has_the_newest_articles_with_links_dates_categories_and_poster(client, published_pair):
    newer, older = published_pair
    feed = parse(client, "/feeds/rss/")
    assert feed.version == "rss20"
    assert feed.feed.title == "Newsroom: Neueste Artikel"
    assert feed.feed.link == "http://testserver/"
    assert feed.feed.language == "de"
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{newer.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]
    entry = feed.entries[0]
    assert html.unescape(entry.title) == f"{newer.topline}: {newer.title}"
    assert html.unescape(entry.summary) == newer.teaser
    assert entry.id == entry.link
    assert utc(entry.published_parsed) == whole_seconds(newer.first_published_at)
    assert [tag.term for tag in entry.tags] == ["Ukraine"]
    (enclosure,) = entry.enclosures
    poster = newer.hero_clip.poster
    assert enclosure.href == f"http://testserver{poster.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == poster.size > 0


def test_atom_feed_has_the_same_articles_with_published_and_updated(client, published_pair):
    newer, older = published_pair
    feed = parse(client, "/feeds/atom/")
    assert feed.version == "atom10"
    assert feed.feed.title == "Newsroom: Neueste Artikel"
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{newer.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]
    entry = feed.entries[0]
    assert entry.title == f"{newer.topline}: {newer.title}"
    assert html.unescape(entry.summary) == newer.teaser
    assert entry.id == entry.link
    assert utc(entry.published_parsed) == whole_seconds(newer.first_published_at)
    assert utc(entry.updated_parsed) == whole_seconds(max(newer.updated_at, newer.first_published_at))
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{newer.hero_clip.poster.url}"
    assert int(enclosure.length) == newer.hero_clip.poster.size


def test_an_article_without_hero_clip_has_no_enclosure(client):
    ArticleFactory(hero_clip=None)
    for path in ("/feeds/rss/", "/feeds/atom/"):
        assert parse(client, path).entries[0].enclosures == []


def test_editor_text_stays_text_in_both_feeds(client):
    article = ArticleFactory(topline="Pflicht & Kür", title='Was "<b>fett</b>" heißt', teaser="A & B <i>c</i>")
    rss = parse(client, "/feeds/rss/").entries[0]
    atom = parse(client, "/feeds/atom/").entries[0]
    # RSS readers render titles and descriptions as HTML, Atom titles as text.
    assert html.unescape(rss.title) == str(article)
    assert atom.title == str(article)
    assert html.unescape(rss.summary) == html.unescape(atom.summary) == "A & B <i>c</i>"


def test_topic_feed_has_only_its_topics_articles(client, published_pair):
    newer, older = published_pair
    other = ArticleFactory(topic=TopicFactory(slug="klima"))
    feed = parse(client, "/themen/ukraine/feed/")
    assert feed.feed.title == "Newsroom: Aktuelle Nachrichten zur Ukraine"
    assert feed.feed.link == "http://testserver/themen/ukraine/"
    links = [entry.link for entry in feed.entries]
    assert links == [f"http://testserver{newer.get_absolute_url()}", f"http://testserver{older.get_absolute_url()}"]
    assert f"http://testserver{other.get_absolute_url()}" not in links


def test_unknown_topic_feed_is_a_404(client):
    assert client.get("/themen/gibt-es-nicht/feed/").status_code == 404


def test_draft_scheduled_and_expired_articles_never_appear_in_a_feed(client):
    topic = TopicFactory(slug="ukraine")
    now = dt.datetime.now(dt.UTC)
    visible = ArticleFactory(topic=topic, title="Sichtbar")
    hidden = [
        ArticleFactory(topic=topic, draft=True, title="Entwurf"),
        ArticleFactory(topic=topic, title="Geplant", publish_at=now + dt.timedelta(hours=1)),
        ArticleFactory(
            topic=topic,
            title="Abgelaufen",
            publish_at=now - dt.timedelta(days=2),
            unpublish_at=now - dt.timedelta(minutes=1),
        ),
    ]
    for path in ("/feeds/rss/", "/feeds/atom/", "/themen/ukraine/feed/"):
        links = [entry.link for entry in parse(client, path).entries]
        assert links == [f"http://testserver{visible.get_absolute_url()}"], path
        assert not {f"http://testserver{article.get_absolute_url()}" for article in hidden} & set(links)


def test_feeds_carry_at_most_the_newest_50_articles(client):
    now = dt.datetime.now(dt.UTC)
    topic = TopicFactory(slug="ukraine")
    articles = [ArticleFactory(topic=topic, publish_at=now - dt.timedelta(minutes=n + 1)) for n in range(FEED_SIZE + 2)]
    assert FEED_SIZE == 50
    for path in ("/feeds/rss/", "/feeds/atom/", "/themen/ukraine/feed/"):
        links = [entry.link for entry in parse(client, path).entries]
        assert links == [f"http://testserver{article.get_absolute_url()}" for article in articles[:50]], path


@pytest.mark.parametrize(("path", "queries"), [("/feeds/rss/", 2), ("/feeds/atom/", 2), ("/themen/ukraine/feed/", 3)])
def test_feed_queries_do_not_grow_with_the_number_of_items(client, django_assert_num_queries, path, queries):
    topic = TopicFactory(slug="ukraine")
    ArticleFactory(topic=topic, hero_clip=VideoClipFactory())
    with django_assert_num_queries(queries):
        client.get(path)
    for _ in range(6):
        ArticleFactory(topic=topic, hero_clip=VideoClipFactory())
    # the stamp (newsroom.caching), articles with topic and hero clip (plus the topic for the topic feed)
    with django_assert_num_queries(queries):
        assert len(parse(client, path).entries) == 7


def test_feeds_are_linked_from_the_head_of_every_public_page(client):
    article = ArticleFactory(topic=TopicFactory(slug="ukraine", name="Ukraine"))
    feeds = [
        '<link rel="alternate" type="application/rss+xml" title="Newsroom: Neueste Artikel (RSS)" href="/feeds/rss/">',
        '<link rel="alternate" type="application/atom+xml" title="Newsroom: Neueste Artikel (Atom)" '
        'href="/feeds/atom/">',
    ]
    topic_feed = (
        '<link rel="alternate" type="application/rss+xml" title="Newsroom: Ukraine (RSS)" href="/themen/ukraine/feed/">'
    )
    for path in ("/", "/themen/ukraine/", article.get_absolute_url()):
        page = client.get(path).content.decode()
        head = page[: page.index("</head>")]
        assert all(link in head for link in feeds), path
        assert (topic_feed in head) == (path == "/themen/ukraine/"), path


def test_the_enclosure_is_the_largest_jpeg_rendition_without_a_storage_call_per_item(client, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from media_clips.services import renditions_refresh
    from tests.factories import image_file

    for _ in range(3):
        clip = VideoClipFactory(poster=image_file(size=(1600, 900)))
        renditions_refresh(obj=clip, field_name="poster")
        ArticleFactory(hero_clip=clip)
    calls = []
    original_size = FileSystemStorage.size
    monkeypatch.setattr(FileSystemStorage, "size", lambda self, name: calls.append(name) or original_size(self, name))
    entries = parse(client, "/feeds/rss/").entries
    assert calls == []
    for entry in entries:
        (enclosure,) = entry.enclosures
        assert enclosure.href.endswith("-1280w.jpg")
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) > 0
