"""Link targets an editor or an import writes (liveblog cards, video addresses) are only http(s) or site paths.

The model refuses anything else on every save path; a row that holds one anyway (an old row, a
direct SQL write) renders as plain text, and the API and ninjs never hand it to a partner.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from lxml import html

from media_clips.models import VideoClip
from newsroom.models import LiveblogLink
from newsroom.richtext import safe_link
from tests.factories import ArticleFactory, ArticleLiveblogLinkFactory, LiveblogLinkFactory, VideoClipFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "/\\evil.example/",
    "/\t/evil.example/",
    "//evil.example/",
    "https:evil.example",
    "https://",
]
GOOD = ["https://www.example.org/liveblog", "HTTPS://EXAMPLE.ORG/Liveblog", "/themen/ukraine/", "http://example.org"]


def _write_raw(table, column, pk, value):
    """What an old row or a direct SQL write may hold: past the model layer."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.mark.parametrize("value", HOSTILE)
def test_the_link_filter_keeps_no_hostile_target(value):
    assert safe_link(value) == ""


@pytest.mark.parametrize("value", [*GOOD, "mailto:redaktion@example.org", "#inhalt"])
def test_the_link_filter_keeps_http_mailto_and_site_paths(value):
    assert safe_link(value) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_the_model_refuses_a_hostile_link_on_every_save_path(value):
    card = LiveblogLinkFactory()
    clip = VideoClipFactory(video_url="https://media.example.org/gipfel.mp4")

    for model, instance, field in ((LiveblogLink, card, "url"), (VideoClip, clip, "video_url")):
        setattr(instance, field, value)
        with pytest.raises(ValidationError) as raised, transaction.atomic():
            instance.save()
        assert field in raised.value.message_dict
        with pytest.raises(ValidationError), transaction.atomic():
            model.objects.filter(pk=instance.pk).update(**{field: value})
    with pytest.raises(ValidationError), transaction.atomic():
        LiveblogLink.objects.bulk_create([LiveblogLinkFactory.build(url=value)])
    with pytest.raises(ValidationError), transaction.atomic():
        VideoClip.objects.bulk_create([VideoClipFactory.build(video_url=value)])

    # Nothing hostile reached the database, and what was saved before is still there.
    assert LiveblogLink.objects.get(pk=card.pk).url == "https://www.example.org/liveblog"
    assert VideoClip.objects.get(pk=clip.pk).video_url == "https://media.example.org/gipfel.mp4"
    assert not LiveblogLink.objects.exclude(pk=card.pk).exists()


@pytest.mark.parametrize("value", GOOD)
def test_the_model_accepts_http_links_and_site_paths(value):
    card = LiveblogLinkFactory(url=value)
    LiveblogLink.objects.filter(pk=card.pk).update(url=value)
    assert LiveblogLink.objects.get(pk=card.pk).url == value


def test_the_admin_form_names_the_field_and_what_it_expects():
    card = LiveblogLinkFactory.build(url="javascript:alert(1)")
    with pytest.raises(ValidationError) as raised:
        card.full_clean()
    assert raised.value.message_dict["url"] == ["Bitte eine Adresse mit https:// oder einen Pfad mit / angeben."]


def _hrefs(content):
    return [link.get("href") for link in html.fromstring(content).iter("a") if link.get("href") is not None]


def _sources(content):
    return [element.get("src") for element in html.fromstring(content).iter() if element.get("src") is not None]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_stored_hostile_link_renders_as_no_link_anywhere(client, api, value):
    clip = VideoClipFactory(video_url="https://media.example.org/gipfel.mp4")
    article = ArticleFactory(hero_clip=clip)
    placement = ArticleLiveblogLinkFactory(article=article)
    _write_raw(LiveblogLink._meta.db_table, "url", placement.liveblog_link.pk, value)
    _write_raw(VideoClip._meta.db_table, "video_url", clip.pk, value)

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "liveblog-card" in content  # the card is still there, as text
    assert _hrefs(content) and not [href for href in _hrefs(content) if not safe_link(href)]
    assert not [src for src in _sources(content) if not safe_link(src)]
    assert "javascript:" not in content.lower() and "evil.example" not in content

    detail = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert detail["liveblog_links"][0]["liveblog_link"]["url"] is None
    assert detail["hero_clip"]["video_url"] is None

    ninjs = api.get(f"/api/v1/articles/{article.pk}/ninjs/")
    assert ninjs.status_code == 200
    text = json.dumps(ninjs.json())
    assert "javascript:" not in text.lower() and "evil.example" not in text and "data:text" not in text.lower()


def test_a_good_link_stays_a_link(client, api):
    article = ArticleFactory()
    ArticleLiveblogLinkFactory(article=article, liveblog_link=LiveblogLinkFactory(url="/themen/ukraine/"))

    assert "/themen/ukraine/" in _hrefs(client.get(article.get_absolute_url()).content)
    card = api.get(f"/api/v1/articles/{article.pk}/").json()["liveblog_links"][0]["liveblog_link"]
    assert card["url"] == "http://testserver/themen/ukraine/"
