"""Model rules: German validation messages, database constraints and sanitised rich text."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.models import Article, BroadcastMention, LiveblogLink
from newsroom.richtext import sanitize_html
from tests.factories import ArticleFactory, FAQItemFactory, VideoClipFactory, image_file

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def test_a_poster_needs_an_alt_text():
    clip = VideoClipFactory.build(poster=image_file(), poster_alt="  ")
    assert errors_of(clip)["poster_alt"] == ["Zu einem Vorschaubild gehört ein Alternativtext."]


def test_a_clip_without_poster_needs_no_alt_text():
    clip = VideoClipFactory.build(poster=None, poster_alt="")
    clip.full_clean()


@pytest.mark.parametrize("duration", [dt.timedelta(0), dt.timedelta(seconds=-5)])
def test_duration_must_be_positive(duration):
    clip = VideoClipFactory.build(duration=duration)
    assert "Die Dauer muss größer als null sein." in errors_of(clip)["duration"]


def test_duration_is_also_enforced_by_the_database():
    clip = VideoClipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VideoClip.objects.filter(pk=clip.pk).update(duration=dt.timedelta(0))


def test_poster_dimensions_are_stored():
    clip = VideoClipFactory(poster=image_file(size=(640, 360)))
    assert (clip.poster_width, clip.poster_height) == (640, 360)


def test_question_must_not_be_empty():
    item = FAQItemFactory.build(article=ArticleFactory(), question="   ")
    assert errors_of(item)["question"] == ["Bitte eine Frage eingeben."]


def test_empty_question_is_refused_by_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FAQItem.objects.create(article=article, question="", answer="<p>x</p>", anchor="leer")


def test_anchor_is_derived_from_the_question_with_german_transliteration():
    item = FAQItemFactory(question="Worüber wird in Paris beraten? Größe & Maß", anchor="")
    assert item.anchor == "worueber-wird-in-paris-beraten-groesse-mass"


def test_anchors_are_unique_per_article_in_the_database():
    item = FAQItemFactory(anchor="frage")
    FAQItemFactory(anchor="frage")  # another article may use the same anchor
    with pytest.raises(IntegrityError), transaction.atomic():
        FAQItemFactory(article=item.article, anchor="frage")


def test_duplicate_anchor_gets_a_german_validation_message():
    item = FAQItemFactory(anchor="frage")
    duplicate = FAQItemFactory.build(article=item.article, anchor="frage")
    assert errors_of(duplicate)["__all__"] == ["Diese Sprungmarke gibt es in diesem Artikel schon."]


def test_topline_may_not_contain_a_colon():
    article = ArticleFactory.build(topline="Gipfel: Paris", topic=None)
    assert errors_of(article)["topline"] == ["Die Dachzeile darf keinen Doppelpunkt enthalten."]


def test_unpublish_must_come_after_publish():
    article = ArticleFactory.build(topic=None)
    article.unpublish_at = article.publish_at - dt.timedelta(minutes=1)
    assert "muss nach" in errors_of(article)["unpublish_at"][0]


def test_publishing_without_a_time_means_now():
    article = ArticleFactory.build(topic=None, status=Article.Status.PUBLISHED, publish_at=None)
    article.full_clean()
    assert article.publish_at is not None


def test_a_published_article_without_publish_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=None)


def test_liveblog_image_needs_alt_text():
    link = LiveblogLink(topline="A", title="B", teaser="C", image=image_file(), image_alt="")
    assert errors_of(link)["image_alt"] == ["Zu einem Bild gehört ein Alternativtext."]


def test_liveblog_address_must_be_a_url_or_a_site_path():
    link = LiveblogLink(topline="A", title="B", teaser="C", url="javascript:alert(1)")
    assert "url" in errors_of(link)
    for good in ("https://www.example.org/liveblog", "/themen/ukraine/"):
        LiveblogLink(topline="A", title="B", teaser="C", url=good).full_clean()
    assert "url" in errors_of(LiveblogLink(topline="A", title="B", teaser="C", url="//evil.example/"))


def test_show_names_keep_their_determiner_in_its_own_field():
    mention = BroadcastMention(
        article=ArticleFactory(), show="das heute journal", aired_on=dt.date(2026, 1, 6), starts_at=dt.time(19)
    )
    assert "Artikel der Sendung" in errors_of(mention)["show"][0]


DIRTY = (
    '<p onclick="steal()">Hallo <b>fett</b> <strong>stark</strong></p><script>alert(1)</script>'
    '<img src=x onerror=alert(2)><a href="javascript:alert(3)">böse</a><a href="https://example.org">gut</a>'
    "<iframe src=https://evil.example></iframe><!-- Kommentar -->"
)


def assert_clean(html):
    for forbidden in ("onclick", "<script", "<img", "javascript:", "<iframe", "<b>", "Kommentar"):
        assert forbidden not in html
    assert "<strong>stark</strong>" in html
    assert 'href="https://example.org"' in html


def test_rich_text_is_sanitised_on_save():
    item = FAQItemFactory(answer=DIRTY)
    item.refresh_from_db()
    assert_clean(item.answer)


def test_rich_text_is_sanitised_by_queryset_update_and_bulk_create():
    item = FAQItemFactory()
    FAQItem.objects.filter(pk=item.pk).update(answer=DIRTY)
    item.refresh_from_db()
    assert_clean(item.answer)
    (bulk,) = FAQItem.objects.bulk_create([FAQItem(article=item.article, question="Q?", answer=DIRTY, anchor="q")])
    assert_clean(FAQItem.objects.get(pk=bulk.pk).answer)


def test_article_intro_is_sanitised_too():
    article = ArticleFactory(intro=DIRTY)
    article.refresh_from_db()
    assert_clean(article.intro)


def test_plain_text_becomes_paragraphs():
    assert sanitize_html("Erster Absatz.\n\nZweiter & letzter.") == "<p>Erster Absatz.</p><p>Zweiter &amp; letzter.</p>"
    assert sanitize_html("") == ""


def test_rich_text_keeps_no_attribute_but_a_links_target():
    # What the editor's link dialog sends (an empty title) and what a paste from a web page
    # brings (lang, title, class, style) is gone; the link keeps its address.
    html = sanitize_html(
        '<p lang="en" title="Absatz" class="MsoNormal" style="color:red">Mehr im '
        '<a href="https://www.zdfheute.de/" title="" target="_blank" class="x">Liveblog</a></p>'
    )
    assert html == '<p>Mehr im <a href="https://www.zdfheute.de/" rel="noopener noreferrer">Liveblog</a></p>'
