"""JSON-LD, Open Graph, Twitter cards, meta descriptions and canonical links on the public pages."""

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from newsroom.models import Article
from newsroom.structured_data import HEADLINE_MAX_LENGTH, headline
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory, VideoClipFactory

pytestmark = pytest.mark.django_db

ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+S)?$")
ABSOLUTE = re.compile(r"^https?://testserver/")


class HeadTags(HTMLParser):
    """The <meta> and <link> tags of a page, keyed by name/property and rel."""

    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)


def head_tags(html):
    parser = HeadTags()
    parser.feed(html)
    return parser


def json_ld(html):
    """Every JSON-LD object on the page; a block that editor text broke open fails json.loads."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


def of_type(objects, schema_type):
    return [data for data in objects if data["@type"] == schema_type]


def aware(value):
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, f"{value} has no offset"
    return parsed


@pytest.fixture
def demo(client):
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.published().for_page().get()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return article, response.content.decode()


def test_demo_article_is_a_news_article_with_googles_properties(demo):
    article, html = demo
    canonical = f"http://testserver{article.get_absolute_url()}"
    (news,) = of_type(json_ld(html), "NewsArticle")
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == f"{article.topline}: {article.title}"
    assert len(news["headline"]) <= HEADLINE_MAX_LENGTH
    assert news["description"] == article.teaser
    assert news["mainEntityOfPage"]["@id"] == canonical
    assert news["inLanguage"] == "de"
    assert aware(news["datePublished"]) == article.first_published_at.replace(microsecond=0)
    assert aware(news["dateModified"]) >= aware(news["datePublished"])
    # A rendition, never the uploaded original.
    assert news["image"] == [f"http://testserver{article.hero_clip.poster_still.url}"]
    for party in (news["author"], news["publisher"]):
        assert party["@type"] == "Organization"
        assert party["name"] == "Newsroom"
        assert party["url"] == "http://testserver/"
    logo = news["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"] == "http://testserver/static/img/logo.png"
    # The declared size is the real size of the shipped logo.
    with Image.open(finders.find("img/logo.png")) as image:
        assert image.size == (logo["width"], logo["height"])


def test_demo_faq_page_has_every_question_with_its_answer(demo):
    article, html = demo
    (faq,) = of_type(json_ld(html), "FAQPage")
    questions = faq["mainEntity"]
    assert [question["name"] for question in questions] == [item.question for item in article.faq_items.all()]
    assert len(questions) == 6
    for question, item in zip(questions, article.faq_items.all(), strict=True):
        assert question["@type"] == "Question"
        assert question["acceptedAnswer"]["@type"] == "Answer"
        assert question["acceptedAnswer"]["text"] == item.answer


def test_demo_has_exactly_six_video_objects_with_googles_properties(demo):
    article, html = demo
    videos = of_type(json_ld(html), "VideoObject")
    assert len(videos) == 6
    assert [video["name"] for video in videos] == [clip.title for clip in article.clips()]
    for video, clip in zip(videos, article.clips(), strict=True):
        assert video["description"] == clip.description
        assert video["thumbnailUrl"] == [f"http://testserver{clip.poster_still.url}"]
        assert aware(video["uploadDate"]) == clip.published_at
        assert ISO_DURATION.match(video["duration"])
        assert "contentUrl" not in video  # the demo clips have no video file or address
    assert videos[0]["duration"] == "PT1M46S"


def test_demo_breadcrumbs_lead_home_topic_article(demo):
    article, html = demo
    (breadcrumbs,) = of_type(json_ld(html), "BreadcrumbList")
    items = breadcrumbs["itemListElement"]
    assert [(item["@type"], item["position"], item["name"]) for item in items] == [
        ("ListItem", 1, "Startseite"),
        ("ListItem", 2, "Ukraine"),
        ("ListItem", 3, article.title),
    ]
    assert [item["item"] for item in items] == [
        "http://testserver/",
        "http://testserver/themen/ukraine/",
        f"http://testserver{article.get_absolute_url()}",
    ]


def test_an_article_without_topic_has_two_breadcrumbs(client):
    article = ArticleFactory(topic=None)
    (breadcrumbs,) = of_type(json_ld(client.get(article.get_absolute_url()).content.decode()), "BreadcrumbList")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Startseite", article.title]


def test_a_clip_with_a_video_names_its_absolute_content_url(client):
    hosted = VideoClipFactory(video_url="https://media.example.org/gipfel.mp4")
    uploaded = VideoClipFactory(video_file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="walde.mp4"))
    article = ArticleFactory(hero_clip=hosted, intro_clip=uploaded)
    videos = of_type(json_ld(client.get(article.get_absolute_url()).content.decode()), "VideoObject")
    assert videos[0]["contentUrl"] == "https://media.example.org/gipfel.mp4"
    assert videos[1]["contentUrl"] == f"http://testserver{uploaded.video_file.url}"


def test_a_clip_used_twice_is_one_video_object(client):
    clip = VideoClipFactory()
    article = ArticleFactory(hero_clip=clip)
    FAQItemFactory(article=article, clip=clip)
    assert len(of_type(json_ld(client.get(article.get_absolute_url()).content.decode()), "VideoObject")) == 1


def test_only_faq_articles_have_an_faq_page(client):
    item = FAQItemFactory(article__kind=Article.Kind.ANALYSIS)
    objects = json_ld(client.get(item.article.get_absolute_url()).content.decode())
    assert of_type(objects, "FAQPage") == []
    assert len(of_type(objects, "NewsArticle")) == 1


def test_headline_fits_googles_limit():
    fits = Article(topline="Gipfel in Paris", title="Was beschlossen wurde")
    assert headline(fits) == "Gipfel in Paris: Was beschlossen wurde"
    long_topline = Article(topline="Dachzeile " * 5, title="T" * 100)
    assert headline(long_topline) == "T" * 100
    long_title = Article(topline="Haushalt", title="Warum der Bundestag den Haushalt " + "noch einmal " * 20)
    shortened = headline(long_title)
    assert len(shortened) <= HEADLINE_MAX_LENGTH
    assert shortened.endswith("einmal…")
    assert shortened.startswith("Warum der Bundestag den Haushalt noch einmal")


def test_editor_text_cannot_close_the_json_ld_script(client):
    attack = "</script><script>alert(1)</script>"
    article = ArticleFactory(title=f"Titel {attack}", teaser=f"Teaser {attack} & mehr")
    FAQItemFactory(article=article, question=f"Frage {attack}?")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    objects = json_ld(html)
    (news,) = of_type(objects, "NewsArticle")
    assert news["headline"] == f"{article.topline}: Titel {attack}"
    assert news["description"] == f"Teaser {attack} & mehr"
    (faq,) = of_type(objects, "FAQPage")
    assert faq["mainEntity"][0]["name"] == f"Frage {attack}?"
    # Nothing but JSON-LD scripts: the attack opened no element of its own.
    assert html.count("<script") == len(objects)


@pytest.mark.parametrize("status", ["draft", "scheduled", "expired"])
def test_hidden_articles_are_404_without_json_ld(client, status):
    now = dt.datetime.now(dt.UTC)
    article = {
        "draft": lambda: ArticleFactory(draft=True),
        "scheduled": lambda: ArticleFactory(publish_at=now + dt.timedelta(hours=1)),
        "expired": lambda: ArticleFactory(
            publish_at=now - dt.timedelta(days=2), unpublish_at=now - dt.timedelta(hours=1)
        ),
    }[status]()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    assert json_ld(html) == []
    assert article.title not in html


def test_json_ld_adds_no_queries_per_question_or_clip(client, django_assert_num_queries):
    article = ArticleFactory(hero_clip=VideoClipFactory(), intro_clip=VideoClipFactory())
    for _ in range(30):
        FAQItemFactory(article=article, clip=VideoClipFactory())
    # the stamp, then article with topic and clips, FAQ items with clips, liveblog placements, broadcast mentions
    with django_assert_num_queries(5):
        html = client.get(article.get_absolute_url()).content.decode()
    assert len(of_type(json_ld(html), "VideoObject")) == 32


def test_article_page_has_open_graph_twitter_description_and_canonical(demo):
    article, html = demo
    tags = head_tags(html)
    canonical = f"http://testserver{article.get_absolute_url()}"
    poster = f"http://testserver{article.hero_clip.poster_still.url}"  # a rendition, not the original
    assert "/renditions/" in poster
    assert {"rel": "canonical", "href": canonical} in tags.links
    assert tags.meta["description"] == article.teaser
    expected = {
        "og:type": "article",
        "og:title": str(article),
        "og:description": article.teaser,
        "og:url": canonical,
        "og:site_name": "Newsroom",
        "og:locale": "de_DE",
        "og:image": poster,
        "og:image:width": "1280",
        "og:image:height": "720",
        "og:image:alt": article.hero_clip.poster_alt,
        "twitter:card": "summary_large_image",
        "twitter:title": str(article),
        "twitter:description": article.teaser,
        "twitter:image": poster,
        "twitter:image:alt": article.hero_clip.poster_alt,
    }
    assert {key: tags.meta.get(key) for key in expected} == expected
    assert aware(tags.meta["article:published_time"]) == article.first_published_at.replace(microsecond=0)
    assert aware(tags.meta["article:modified_time"]) >= aware(tags.meta["article:published_time"])


def test_an_article_without_a_poster_shares_the_logo_as_a_small_card(client):
    article = ArticleFactory(hero_clip=None)
    tags = head_tags(client.get(article.get_absolute_url()).content.decode())
    assert tags.meta["og:image"] == "http://testserver/static/img/logo.png"
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == ("512", "512")
    assert tags.meta["twitter:card"] == "summary"
    (news,) = of_type(json_ld(client.get(article.get_absolute_url()).content.decode()), "NewsArticle")
    assert "image" not in news


@pytest.mark.parametrize("path", ["/", "/themen/ukraine/"])
def test_listing_pages_have_open_graph_twitter_description_and_canonical(client, path):
    topic = TopicFactory(slug="ukraine", name="Ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    ArticleFactory(topic=topic)
    tags = head_tags(client.get(path).content.decode())
    assert {"rel": "canonical", "href": f"http://testserver{path}"} in tags.links
    assert tags.meta["description"]
    assert tags.meta["og:type"] == "website"
    assert tags.meta["og:url"] == f"http://testserver{path}"
    assert tags.meta["og:title"] and tags.meta["og:description"]
    assert tags.meta["og:image"] == "http://testserver/static/img/logo.png"
    assert tags.meta["og:image:alt"] == "Logo von Newsroom"
    assert tags.meta["twitter:card"] == "summary"
    assert "robots" not in tags.meta


def test_topic_page_names_its_topic_in_open_graph(client):
    ArticleFactory(topic=TopicFactory(slug="ukraine", name="Ukraine", headline="Aktuelle Nachrichten zur Ukraine"))
    tags = head_tags(client.get("/themen/ukraine/").content.decode())
    assert tags.meta["og:title"] == "Aktuelle Nachrichten zur Ukraine"
    assert tags.meta["og:description"] == "Alle Erklärstücke und FAQ zum Thema Ukraine."


def test_not_found_page_is_noindex_without_canonical(client):
    tags = head_tags(client.get("/nachrichten/gibt-es-nicht-999999/").content.decode())
    assert tags.meta["robots"] == "noindex"
    assert not [link for link in tags.links if link.get("rel") == "canonical"]


def test_every_page_names_the_site_icon(client):
    tags = head_tags(client.get("/").content.decode())
    assert {"rel": "icon", "type": "image/png", "href": "/static/img/logo.png"} in tags.links
    assert finders.find("img/logo.png")
