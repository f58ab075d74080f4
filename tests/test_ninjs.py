"""The IPTC ninjs 3.2 rendition: valid against the vendored schema, complete, escaped, query-free."""

import copy
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from newsroom.api.ninjs import article_ninjs
from newsroom.broadcasts import broadcast_sentence
from newsroom.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    VideoClipFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
NINJS_SCHEMA = json.loads((SCHEMAS / "ninjs-schema-3.2.json").read_text(encoding="utf-8"))
GEOJSON_SCHEMA = json.loads((SCHEMAS / "geojson-schema.json").read_text(encoding="utf-8"))

# ninjs 3.2 $refs the GeoJSON schema by URL; registered locally, nothing is downloaded.
REGISTRY = Registry().with_resource(GEOJSON_SCHEMA["$id"], Resource.from_contents(GEOJSON_SCHEMA))

# RFC 3986 absolute URI: scheme ":" then only characters a URI may contain.
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def _is_absolute_uri(value):
    return not isinstance(value, str) or bool(_ABSOLUTE_URI.match(value))


# The draft's own checker, plus "uri": jsonschema only checks that format when the
# optional rfc3987 package is installed, and otherwise lets any string pass silently.
FORMAT_CHECKER = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)
FORMAT_CHECKER.checks("uri")(_is_absolute_uri)
VALIDATOR = Draft202012Validator(NINJS_SCHEMA, registry=REGISTRY, format_checker=FORMAT_CHECKER)


def validation_errors(document):
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in VALIDATOR.iter_errors(document)
    ]


def assert_valid_ninjs(document):
    errors = validation_errors(document)
    assert not errors, "\n".join(errors)
    # Only JSON types: a round trip through json gives back the very same document.
    assert json.loads(json.dumps(document)) == document


def render(article):
    return article_ninjs(Article.objects.for_page().get(pk=article.pk), base_url=BASE_URL)


def load_demo_article():
    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.for_page().get()


def body_html(document):
    [body] = document["bodies"]
    return body["value"]


def renditions_by_name(association):
    return {rendition["name"]: rendition for rendition in association.get("renditions", [])}


# --- the validator itself ----------------------------------------------------------


def test_vendored_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(NINJS_SCHEMA)
    Draft202012Validator.check_schema(GEOJSON_SCHEMA)


def test_validator_resolves_geojson_offline():
    document = {
        "uri": "https://news.example.org/x",
        "places": [{"name": "Paris", "geoJSON": {"type": "Point", "coordinates": [2.35, 48.85]}}],
    }
    assert validation_errors(document) == []
    document["places"][0]["geoJSON"] = {"type": "Point", "coordinates": "Paris"}
    assert validation_errors(document)


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda doc: doc.pop("uri"), id="missing-uri"),
        pytest.param(lambda doc: doc.update(kicker="FAQ"), id="unknown-top-level-key"),
        pytest.param(lambda doc: doc["associations"][0].update(poster="x.jpg"), id="unknown-association-key"),
        pytest.param(lambda doc: doc["associations"][0].pop("name"), id="association-without-name"),
        pytest.param(lambda doc: doc["headlines"].append({"role": "main"}), id="headline-without-value"),
        pytest.param(lambda doc: doc.update(pubStatus="published"), id="pubstatus-not-in-enum"),
        pytest.param(lambda doc: doc.update(firstCreated="06.01.2026"), id="date-time-format"),
        pytest.param(
            lambda doc: doc["associations"][0]["renditions"][0].update(href="/media/bild.jpg"),
            id="relative-href-uri-format",
        ),
        pytest.param(
            lambda doc: doc["associations"][0]["renditions"][0].update(duration="PT1M46S"),
            id="duration-not-a-number",
        ),
    ],
)
def test_broken_documents_fail_validation(breakage):
    """Negative controls: the validator is active, formats included."""
    article = ArticleFactory(hero_clip=VideoClipFactory())
    document = render(article)
    assert_valid_ninjs(document)
    broken = copy.deepcopy(document)
    breakage(broken)
    assert validation_errors(broken)


# --- the demo article ----------------------------------------------------------------


def test_demo_article_is_valid_and_complete():
    article = load_demo_article()
    document = article_ninjs(article, base_url=BASE_URL)
    assert_valid_ninjs(document)

    assert document["standard"] == {"name": "ninjs", "version": "3.2", "schema": NINJS_SCHEMA["$id"]}
    assert document["uri"] == BASE_URL + article.get_absolute_url()
    assert (document["type"], document["language"], document["pubStatus"]) == ("text", "de", "usable")
    assert {"role": "main", "value": article.title} in document["headlines"]
    assert {"role": "topline", "value": "Gipfel in Paris"} in document["headlines"]
    assert document["descriptions"] == [{"role": "teaser", "contentType": "text/plain", "value": article.teaser}]
    assert document["infoSources"] == [{"name": "dpa", "role": "source"}]
    assert document["subjects"] == [{"name": "Ukraine", "uri": f"{BASE_URL}/themen/ukraine/", "literal": "ukraine"}]
    assert document["genres"] == [{"name": "Background", "uri": "http://cv.iptc.org/newscodes/genre/Background"}]

    body = body_html(document)
    items = list(article.faq_items.all())
    assert len(items) >= 5
    for item in items:
        assert f'<h2 id="{item.anchor}">{escape(item.question)}</h2>' in body
    assert body.startswith(article.intro)
    assert "<p>Quelle: dpa</p>" in body
    assert f"<p>{escape(broadcast_sentence(article.broadcast_mentions.all()))}</p>" in body
    for placement in article.liveblog_placements.all():
        assert f"<p>{escape(placement.lead_in)}</p>" in body
        assert f'href="{BASE_URL}/themen/ukraine/"' in body
    assert document["bodies"][0]["wordCount"] > 200
    assert document["bodies"][0]["charCount"] > document["bodies"][0]["wordCount"]


def test_demo_article_has_six_video_associations_in_page_order():
    article = load_demo_article()
    associations = article_ninjs(article, base_url=BASE_URL)["associations"]
    clips = article.clips()
    assert len(associations) == len(clips) == 6
    assert [association["uri"] for association in associations] == [
        f"{BASE_URL}/api/v1/clips/{clip.pk}/" for clip in clips
    ]
    names = [association["name"] for association in associations]
    assert names[:2] == ["hero", "intro"]
    assert all(name.startswith("faq-") for name in names[2:])
    assert len(set(names)) == len(names)
    for association, clip in zip(associations, clips, strict=True):
        assert association["type"] == "video"
        assert association["headlines"] == [{"role": "main", "value": clip.title}]
        assert {"role": "caption", "contentType": "text/plain", "value": clip.description} in association[
            "descriptions"
        ]
        assert dt.datetime.fromisoformat(association["firstCreated"]) == clip.published_at
        poster = renditions_by_name(association)["poster"]
        assert poster["href"].startswith(f"{BASE_URL}/media/")
        assert poster["title"] == clip.poster_alt
        assert (poster["contentType"], poster["width"], poster["height"]) == ("image/jpeg", 1280, 720)
        assert poster["duration"] == clip.duration.total_seconds()


def test_demo_article_renders_without_queries(django_assert_num_queries):
    article = load_demo_article()
    with django_assert_num_queries(0):
        article_ninjs(article, base_url=BASE_URL)


# --- generated articles ------------------------------------------------------------------


def full_article(**kwargs):
    """An article with every block: clips in three places, FAQ, liveblog card, broadcast notes."""
    article = ArticleFactory(
        hero_clip=VideoClipFactory(video_url="https://media.example.org/clip.m3u8"),
        intro_clip=VideoClipFactory(duration=dt.timedelta(hours=1, minutes=2, seconds=3)),
        **kwargs,
    )
    FAQItemFactory(article=article, clip=VideoClipFactory(video_file=ContentFile(b"\x00" * 16, name="clip.mp4")))
    FAQItemFactory(article=article)
    ArticleLiveblogLinkFactory(article=article)
    BroadcastMentionFactory(article=article, position=0)
    BroadcastMentionFactory(article=article, position=1, determiner="", show="heute Xpress")
    return article


def test_generated_article_with_clips_is_valid():
    article = full_article()
    document = render(article)
    assert_valid_ninjs(document)
    assert [association["name"] for association in document["associations"]] == [
        "hero",
        "intro",
        f"faq-{article.faq_items.first().anchor}",
    ]


def test_hls_clip_keeps_its_absolute_url_and_duration():
    article = ArticleFactory(hero_clip=VideoClipFactory(video_url="https://media.example.org/clip.m3u8"))
    [association] = render(article)["associations"]
    renditions = renditions_by_name(association)
    assert renditions["video"] == {
        "name": "video",
        "href": "https://media.example.org/clip.m3u8",
        "contentType": "application/x-mpegURL",
        "duration": 106,
    }
    # With a playable video, the length belongs to the video, not to the still.
    assert "duration" not in renditions["poster"]


def test_uploaded_mp4_gets_an_absolute_media_url():
    clip = VideoClipFactory(video_file=ContentFile(b"\x00" * 16, name="clip.mp4"))
    article = ArticleFactory(hero_clip=clip)
    video = renditions_by_name(render(article)["associations"][0])["video"]
    assert video["href"] == BASE_URL + clip.video_file.url
    assert video["href"].startswith(f"{BASE_URL}/media/videos/")
    assert video["contentType"] == "video/mp4"


def test_hour_long_clip_duration_in_seconds():
    article = ArticleFactory(hero_clip=VideoClipFactory(duration=dt.timedelta(hours=1, minutes=2, seconds=3)))
    document = render(article)
    assert_valid_ninjs(document)
    poster = renditions_by_name(document["associations"][0])["poster"]
    assert poster["duration"] == 3723


def test_clip_without_poster_or_video_still_carries_its_duration():
    clip = VideoClipFactory(poster="", poster_alt="", duration=dt.timedelta(seconds=95, milliseconds=500))
    document = render(ArticleFactory(hero_clip=clip))
    assert_valid_ninjs(document)
    assert document["associations"][0]["renditions"] == [{"name": "video", "duration": 95.5}]


def test_png_poster_content_type_and_credit_line():
    clip = VideoClipFactory(poster=image_file(name="standbild.png", fmt="PNG"), credit="ZDF/dpa")
    [association] = render(ArticleFactory(hero_clip=clip))["associations"]
    assert renditions_by_name(association)["poster"]["contentType"] == "image/png"
    assert {"role": "creditline", "contentType": "text/plain", "value": "ZDF/dpa"} in association["descriptions"]


def test_clip_used_twice_is_associated_once_under_its_first_place():
    clip = VideoClipFactory()
    article = ArticleFactory(hero_clip=clip)
    FAQItemFactory(article=article, clip=clip)
    document = render(article)
    assert_valid_ninjs(document)
    assert [association["name"] for association in document["associations"]] == ["hero"]


def test_article_without_clips_is_valid_and_has_no_associations():
    article = ArticleFactory()
    FAQItemFactory(article=article)
    document = render(article)
    assert_valid_ninjs(document)
    assert "associations" not in document


def test_article_without_topic_or_source_is_valid():
    article = ArticleFactory(topic=None, source="", intro="")
    document = render(article)
    assert_valid_ninjs(document)
    assert "subjects" not in document
    assert "infoSources" not in document
    assert "Quelle:" not in document.get("bodies", [{"value": ""}])[0]["value"]


def test_bare_article_omits_empty_values():
    article = ArticleFactory(topic=None, source="", intro="")
    document = render(article)
    assert_valid_ninjs(document)
    assert "bodies" not in document
    assert all(value not in ("", [], {}, None) for value in document.values())


@pytest.mark.parametrize(
    ("kind", "genre"),
    [("faq", "Background"), ("explainer", "Background"), ("news", "Current"), ("analysis", "Analysis")],
)
def test_genre_follows_the_kind(kind, genre):
    document = render(ArticleFactory(kind=kind))
    assert_valid_ninjs(document)
    assert document["genres"] == [{"name": genre, "uri": f"http://cv.iptc.org/newscodes/genre/{genre}"}]


def test_timestamps_carry_the_berlin_offset():
    published = timezone.make_aware(dt.datetime(2026, 1, 6, 9, 30), dt.UTC)
    article = ArticleFactory(
        publish_at=published,
        first_published_at=published,
        unpublish_at=published + dt.timedelta(days=30),
    )
    document = render(article)
    assert_valid_ninjs(document)
    assert document["firstCreated"] == "2026-01-06T10:30:00+01:00"
    assert dt.datetime.fromisoformat(document["versionCreated"]) == article.updated_at.replace(microsecond=0)
    assert document["expires"] == "2026-02-05T10:30:00+01:00"


def test_first_created_is_the_date_published_that_every_surface_uses():
    # An article published before first_published_at existed: like feeds, sitemaps and
    # JSON-LD, ninjs falls back to the go-live time (Article.date_published).
    article = ArticleFactory(first_published_at=None)
    document = render(article)
    assert dt.datetime.fromisoformat(document["firstCreated"]) == article.publish_at.replace(microsecond=0)
    assert article.date_published == article.publish_at


def test_rendering_runs_no_queries(django_assert_num_queries):
    article = Article.objects.for_page().get(pk=full_article().pk)
    with django_assert_num_queries(0):
        document = article_ninjs(article, base_url=BASE_URL)
    assert len(document["associations"]) == 3


def test_editor_text_is_escaped_in_the_body():
    article = ArticleFactory(source="Agenturen & <b>dpa</b>")
    FAQItemFactory(article=article, question='Ist <script>alert("x")</script> gefährlich?')
    ArticleLiveblogLinkFactory(
        article=article,
        lead_in="Mehr <img src=x onerror=alert(1)>:",
        liveblog_link=LiveblogLinkFactory(title="Liveblog <i>live</i>", url="https://example.org/?a=1&b=2"),
    )
    document = render(article)
    assert_valid_ninjs(document)
    body = body_html(document)
    assert "<script>" not in body and "<img" not in body and "<b>" not in body and "<i>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<p>Quelle: Agenturen &amp; &lt;b&gt;dpa&lt;/b&gt;</p>" in body
    assert 'href="https://example.org/?a=1&amp;b=2"' in body
    # Plain-text fields stay plain text in ninjs: JSON needs no HTML escaping.
    assert document["infoSources"] == [{"name": "Agenturen & <b>dpa</b>", "role": "source"}]


def test_site_relative_links_in_rich_text_become_absolute():
    article = ArticleFactory(intro='<p>Mehr zum <a href="/themen/ukraine/">Thema</a>.</p>')
    FAQItemFactory(article=article, answer='<p>Siehe <a href="https://example.org/">dort</a>.</p>')
    body = body_html(render(article))
    assert f'href="{BASE_URL}/themen/ukraine/"' in body
    assert 'href="https://example.org/"' in body


def test_base_url_with_trailing_slash_is_tolerated():
    article = Article.objects.for_page().get(pk=ArticleFactory().pk)
    assert article_ninjs(article, base_url=BASE_URL + "/")["uri"] == BASE_URL + article.get_absolute_url()


def test_the_api_endpoint_serves_valid_ninjs_for_the_demo_article(client):
    from newsroom.models import Partner, PartnerAPIKey

    article = load_demo_article()
    partner = Partner.objects.create(name="Agentur", contact_email="agentur@example.org")
    _, key = PartnerAPIKey.objects.create_key(partner=partner, name="Test")
    response = client.get(f"/api/v1/articles/{article.pk}/ninjs/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert_valid_ninjs(document)
    assert document["uri"] == f"http://testserver{article.get_absolute_url()}"
    assert len([a for a in document["associations"] if a["type"] == "video"]) == 6
