"""RSS 2.0 and Atom feeds of the newest published articles, site-wide and per topic."""

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from media_clips.fields import renditions_of
from newsroom.caching import listing_stamp, public_response
from newsroom.models import Article, Topic
from newsroom.security.origin import absolute_url
from newsroom.text import strip_control_characters

FEED_SIZE = 50


def _xml_safe(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


class XMLSafe:
    """A feed generator that drops control characters from every text it is given.

    Text is stored without them, but a row written before that (or by raw SQL) must not
    turn the feed into a 500: Django's XML writer refuses control characters.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*[_xml_safe(arg) for arg in args], **{key: _xml_safe(v) for key, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[_xml_safe(arg) for arg in args], **{key: _xml_safe(v) for key, v in kwargs.items()})


class RSSFeed(XMLSafe, Rss201rev2Feed):
    pass


class AtomFeed(XMLSafe, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    """The newest published articles as RSS 2.0, with the hero poster as enclosure."""

    feed_type = RSSFeed
    language = "de"

    def __call__(self, request, *args, **kwargs):
        # Django keeps one Feed instance per URL pattern; a copy per request lets the
        # methods read this request's path without sharing state.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self):
        return f"{settings.NEWSROOM_SITE_NAME}: Neueste Artikel"

    def description(self):
        return f"Die neuesten Erklärstücke und FAQ von {settings.NEWSROOM_SITE_NAME}."

    def subtitle(self):
        return self.description()

    # Every URL in a feed is absolute on the configured origin (newsroom.security.origin): Django's
    # syndication would otherwise complete paths with the request's Host header.
    def link(self):
        return absolute_url(reverse("newsroom:home"))

    def feed_url(self):
        return absolute_url(self.request.path)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def author_name(self):
        return settings.NEWSROOM_SITE_NAME

    def articles(self):
        # The one visibility rule, and everything the items read, in one query.
        return Article.objects.published().select_related("topic", "hero_clip")

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, article):
        # Feed readers render an RSS title and every description as HTML; editors' text is plain.
        return escape(str(article))

    def item_description(self, article):
        return escape(article.teaser)

    def item_pubdate(self, article):
        return article.date_published

    def item_updateddate(self, article):
        return max(article.updated_at, self.item_pubdate(article))

    def item_categories(self, article):
        return [article.topic.name] if article.topic else []

    def item_enclosures(self, article):
        clip = article.hero_clip
        if clip is None or not clip.poster:
            return []
        # The largest JPEG rendition (the page's still): its size is recorded, so no storage call per item.
        renditions = renditions_of(clip.poster)
        largest = renditions.largest("jpeg")
        if largest is not None and largest.bytes is not None:
            url = absolute_url(renditions.url(largest))
            return [Enclosure(url, str(largest.bytes), largest.media_type)]
        try:
            length = clip.poster.size
        except OSError:
            # A poster missing from storage is no reason to break the feed.
            return []
        mime_type = mimetypes.guess_type(clip.poster.name)[0] or "application/octet-stream"
        return [Enclosure(absolute_url(clip.poster_url), str(length), mime_type)]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0."""

    feed_type = AtomFeed

    def item_title(self, article):
        # An Atom title is plain text (no type="html"); only the summary is HTML.
        return str(article)


class TopicFeed(LatestArticlesFeed):
    """The newest published articles of one topic as RSS 2.0; an unknown topic is a 404."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.with_published_articles(), slug=slug)

    def title(self, topic):
        return f"{settings.NEWSROOM_SITE_NAME}: {topic.headline}"

    def description(self, topic):
        return f"Die neuesten Erklärstücke und FAQ zum Thema {topic.name} von {settings.NEWSROOM_SITE_NAME}."

    def subtitle(self, topic):
        return self.description(topic)

    def link(self, topic):
        return absolute_url(topic.get_absolute_url())

    def items(self, topic):
        return self.articles().filter(topic=topic)[:FEED_SIZE]


def _stamp(request, *args, **kwargs):
    return listing_stamp("feed")


# The views: each feed a public_response (newsroom.caching), so a feed reader's poll is a 304.
latest_rss = require_safe(public_response(_stamp)(LatestArticlesFeed()))
latest_atom = require_safe(public_response(_stamp)(LatestArticlesAtomFeed()))
topic_rss = require_safe(public_response(_stamp)(TopicFeed()))
