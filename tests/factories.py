"""factory_boy factories for every model; images are drawn in memory with Pillow."""

import datetime as dt
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic


def image_file(name="bild.jpg", size=(320, 180), color=(30, 60, 90), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return ContentFile(buffer.getvalue(), name=name)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    headline = factory.LazyAttribute(lambda topic: f"Aktuelle Nachrichten zu {topic.name}")


class VideoClipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoClip

    title = factory.Sequence(lambda n: f"Clip {n}")
    description = factory.Sequence(lambda n: f"Bildunterschrift zu Clip {n}.")
    poster = factory.LazyFunction(image_file)
    poster_alt = factory.Sequence(lambda n: f"Menschen vor einem Gebäude, Szene {n}")
    duration = dt.timedelta(minutes=1, seconds=46)
    published_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 1, 6, 9, 0)))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    kind = Article.Kind.FAQ
    topline = factory.Sequence(lambda n: f"Dachzeile {n}")
    title = factory.Sequence(lambda n: f"Titel des Artikels {n}")
    slug = factory.Sequence(lambda n: f"titel-des-artikels-{n}")
    teaser = "Ein Teaser, der den Artikel in einem Satz zusammenfasst."
    intro = "<p>Ein einleitender Absatz.</p>"
    topic = factory.SubFactory(TopicFactory)
    source = "dpa"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    first_published_at = factory.SelfAttribute("publish_at")

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None, first_published_at=None)


class FAQItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQItem

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    question = factory.Sequence(lambda n: f"Was ist Frage Nummer {n}?")
    answer = factory.Sequence(lambda n: f"<p>Die Antwort auf Frage {n}.</p>")


class LiveblogLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveblogLink

    topline = "Krieg gegen die Ukraine"
    title = factory.Sequence(lambda n: f"Alle Entwicklungen im Liveblog {n}")
    teaser = "Nachrichten und Hintergründe im Überblick."
    url = "https://www.example.org/liveblog"
    image = factory.LazyFunction(image_file)
    image_alt = "Rettungskräfte vor einem zerstörten Wohnhaus"


class ArticleLiveblogLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleLiveblogLink

    article = factory.SubFactory(ArticleFactory)
    liveblog_link = factory.SubFactory(LiveblogLinkFactory)
    lead_in = "Alle aktuellen Entwicklungen lesen Sie in unserem Liveblog:"
    position = factory.Sequence(int)


class BroadcastMentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BroadcastMention

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    determiner = "das"
    show = "heute journal"
    aired_on = dt.date(2026, 1, 6)
    starts_at = dt.time(21, 45)
