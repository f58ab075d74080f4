"""Control characters (a vertical tab pasted from Word, \\x01 …) are not stored, and cannot break a feed or sitemap."""

import pytest
from django.db import connection
from lxml import etree

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.models import Article
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory, VideoClipFactory

pytestmark = pytest.mark.django_db

PASTED = "Gipfel\x0bin Paris\x01\x08\x1b\x7f\x85 – erklärt\r\nZeile zwei\tmit Tab"
CLEAN = "Gipfel in Paris – erklärt\nZeile zwei\tmit Tab"
XML_SURFACES = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/themen/gipfel/feed/",
    "/sitemap-news.xml",
    "/sitemap-artikel.xml",
]


def test_text_is_stored_without_control_characters_on_every_write_path():
    article = ArticleFactory(title=PASTED, teaser=PASTED, intro=f"<p>{PASTED}</p>")
    article.refresh_from_db()
    assert (article.title, article.teaser) == (CLEAN, CLEAN)
    assert "\x0b" not in article.intro and "\x01" not in article.intro

    Article.objects.filter(pk=article.pk).update(topline=PASTED)
    assert Article.objects.get(pk=article.pk).topline == CLEAN

    [clip] = VideoClip.objects.bulk_create([VideoClipFactory.build(title=PASTED, description=PASTED)])
    assert VideoClip.objects.values_list("title", "description").get(pk=clip.pk) == (CLEAN, CLEAN)

    item = FAQItemFactory(article=article, question=PASTED)
    assert FAQItem.objects.get(pk=item.pk).question == CLEAN


def _write_raw(table, column, pk, value):
    """What an old row or a direct SQL write may hold: past the model layer."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.mark.parametrize("path", XML_SURFACES)
def test_no_stored_control_character_breaks_a_feed_or_sitemap(client, path):
    topic = TopicFactory(slug="gipfel", name="Gipfel")
    clip = VideoClipFactory(video_url="https://media.example.org/gipfel.mp4")
    article = ArticleFactory(topic=topic, hero_clip=clip)
    FAQItemFactory(article=article, clip=clip)
    for column in ("title", "topline", "teaser"):
        _write_raw(Article._meta.db_table, column, article.pk, PASTED)
    for column in ("title", "description"):
        _write_raw(VideoClip._meta.db_table, column, clip.pk, PASTED)
    _write_raw("newsroom_topic", "name", topic.pk, PASTED)

    response = client.get(path)

    assert response.status_code == 200
    document = etree.fromstring(response.content)  # strict: malformed XML raises
    assert article.get_absolute_url() in "".join(document.itertext())
