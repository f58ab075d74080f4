"""One rule, one place: article states, workflow fields, "date published", clip slots, renditions, permissions."""

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import feedparser
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from media_clips.models import VideoClip
from media_clips.usage import clip_slots, usage_places
from newsroom.api.ninjs import article_ninjs
from newsroom.models import CLIP_SLOTS, WORKFLOW_FIELDS, Article, article_state, load_page
from newsroom.revisions import versions_for
from newsroom.services import article_publish, article_restore, article_unpublish
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    TopicFactory,
    VideoClipFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
APP_DIRS = [settings.BASE_DIR / name for name in ("newsroom", "faq", "media_clips")]


# Article states ----------------------------------------------------------------------------


def _combinations():
    now = timezone.now()
    moments = {
        "none": None,
        "past": now - 2 * HOUR,
        "recent": now - HOUR,
        "future": now + HOUR,
        "later": now + 2 * HOUR,
    }
    for status, (publish, unpublish) in itertools.product(Article.Status.values, itertools.product(moments, repeat=2)):
        publish_at, unpublish_at = moments[publish], moments[unpublish]
        if status == Article.Status.PUBLISHED and publish_at is None:
            continue  # refused by a check constraint
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            continue  # refused by a check constraint
        yield status, publish_at, unpublish_at


def test_the_state_of_an_article_and_the_querysets_agree_for_every_combination():
    articles = [
        ArticleFactory(status=status, publish_at=publish_at, unpublish_at=unpublish_at, first_published_at=None)
        for status, publish_at, unpublish_at in _combinations()
    ]
    assert len(articles) > 20
    for article in articles:
        members = {state for state in Article.State if Article.objects.in_state(state).filter(pk=article.pk).exists()}
        assert members == {article.state}, (article.status, article.publish_at, article.unpublish_at)
        assert Article.objects.published().filter(pk=article.pk).exists() == (article.state == Article.State.LIVE)
        assert article.is_live == (article.state == Article.State.LIVE)
        assert article.is_scheduled == (article.state == Article.State.SCHEDULED)


def test_the_article_stamp_and_the_page_loader_see_exactly_what_published_shows():
    from newsroom.caching import article_stamp

    articles = [
        ArticleFactory(status=status, publish_at=publish_at, unpublish_at=unpublish_at, first_published_at=None)
        for status, publish_at, unpublish_at in _combinations()
    ]
    for article in articles:
        visible = Article.objects.published().filter(pk=article.pk).exists()
        assert (article_stamp(article.pk) is not None) == visible, (article.status, article.publish_at)
        assert (load_page(article.pk) is not None) == visible, (article.status, article.publish_at)
        assert load_page(article.pk, published=False) == article  # previews see every state


def _page_objects(article):
    """What an article page renders from: the article's fields and every related row, as plain values."""

    def values(instance):
        if instance is None:
            return None
        return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}

    return {
        "article": values(article),
        "related": [values(article.topic), values(article.hero_clip), values(article.intro_clip)],
        "items": [(values(item), values(item.clip)) for item in article.faq_items.all()],
        "placements": [
            (values(placement), values(placement.liveblog_link)) for placement in article.liveblog_placements.all()
        ],
        "mentions": [values(mention) for mention in article.broadcast_mentions.all()],
    }


def test_the_page_loader_loads_what_for_page_loads_in_four_queries(django_assert_num_queries):
    clip = VideoClipFactory(duration=dt.timedelta(minutes=1, seconds=30))
    article = ArticleFactory(topic=TopicFactory(), hero_clip=clip, intro_clip=VideoClipFactory())
    FAQItemFactory(article=article, position=2, clip=clip, question="Und dann?")
    FAQItemFactory(article=article, position=1, clip=None, question="Was ist passiert?")
    ArticleLiveblogLinkFactory(article=article)
    BroadcastMentionFactory(article=article)
    expected = _page_objects(Article.objects.published().for_page().get(pk=article.pk))

    with django_assert_num_queries(4):
        loaded = load_page(article.pk)
        found = _page_objects(loaded)
    assert found == expected
    assert [item.question for item in loaded.faq_items.all()] == ["Was ist passiert?", "Und dann?"]
    assert loaded.faq_items.all()[1].clip.duration == dt.timedelta(minutes=1, seconds=30)
    assert timezone.is_aware(loaded.publish_at)


def test_state_names_read_as_the_admin_list_shows_them():
    now = timezone.now()
    assert article_state("draft", None, None, now).label == "Entwurf"
    assert article_state("review", None, None, now).label == "In Prüfung"
    assert article_state("published", now + HOUR, None, now).label == "geplant"
    assert article_state("published", now - HOUR, None, now).label == "Veröffentlicht"
    assert article_state("published", now - 2 * HOUR, now - HOUR, now).label == "offline"


def test_the_admin_list_preview_and_workflow_panel_name_an_expired_article_alike(admin_client):
    now = timezone.now()
    article = ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    listing = admin_client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert '<td class="field-status_column">offline</td>' in listing
    form = admin_client.get(reverse("admin:newsroom_article_change", args=[article.pk])).content.decode()
    assert "Status: Offline seit" in form


# Workflow fields ---------------------------------------------------------------------------


def test_restoring_keeps_every_workflow_field_including_the_visibility_stamp(admin_user):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, first_published_at=None)
    article_publish(article=article, user=admin_user)  # first revision, live
    article.title = "Ein neuer Titel"
    article.save()
    article_unpublish(article=article, user=admin_user)
    article_publish(article=article, user=admin_user)
    before = Article.objects.get(pk=article.pk)
    oldest = versions_for(article).last()
    restored = article_restore(article=before, version=oldest, user=admin_user)
    restored.refresh_from_db()
    for name in WORKFLOW_FIELDS:
        assert getattr(restored, name) == getattr(before, name), name


def test_the_article_form_shows_every_workflow_field_it_offers_read_only(admin_client):
    article = ArticleFactory()
    response = admin_client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    form_fields = set(response.context["adminform"].form.fields)
    assert not form_fields & set(WORKFLOW_FIELDS)


# Date published ------------------------------------------------------------------------------


def test_every_surface_names_the_same_date_published(client, rf):
    now = timezone.now().replace(microsecond=0)
    # Re-published after a take-down: the go-live moved, the first publication did not.
    first = now - dt.timedelta(hours=20)
    article = ArticleFactory(publish_at=now - HOUR, first_published_at=first, topic=TopicFactory(slug="politik"))
    iso = timezone.localtime(first).isoformat()
    assert article.date_published == first

    page = client.get(article.get_absolute_url()).content.decode()
    ld = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)]
    assert next(data for data in ld if data["@type"] == "NewsArticle")["datePublished"] == iso
    assert f'<meta property="article:published_time" content="{iso}">' in page

    feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert dt.datetime(*feed.entries[0].published_parsed[:6], tzinfo=dt.UTC) == first

    news = etree.fromstring(client.get("/sitemap-news.xml").content)
    dates = news.xpath(
        "//n:publication_date/text()", namespaces={"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    )
    assert dates == [iso]

    loaded = Article.objects.for_page().get(pk=article.pk)
    assert article_ninjs(loaded, base_url="https://news.example.org")["firstCreated"] == iso

    home = client.get("/").content.decode()
    assert f'<time datetime="{iso}">' in home


# Clip slots ----------------------------------------------------------------------------------


def test_every_foreign_key_to_a_clip_is_a_declared_slot():
    declared = {(slot.model, slot.field) for slot in CLIP_SLOTS}
    found = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is VideoClip
    }
    assert found == declared
    assert clip_slots() == CLIP_SLOTS  # registered for media_clips when newsroom is ready


def test_the_clip_admin_and_the_page_read_the_same_slots():
    clip = VideoClipFactory()
    article = ArticleFactory(hero_clip=clip)
    item = FAQItemFactory(article=article, clip=clip, question="Was ist vereinbart?")
    loaded = Article.objects.for_page().get(pk=article.pk)
    assert [(slot.name, row) for slot, row, _ in loaded.clip_placements()] == [("hero", loaded), ("faq", item)]
    assert usage_places(clip) == [(article, ["Aufmacher-Clip", "nach der Frage „Was ist vereinbart?“"])]


# Renditions ----------------------------------------------------------------------------------


def test_feed_enclosure_and_page_image_are_the_same_rendition(client):
    from media_clips.services import renditions_refresh

    clip = VideoClipFactory(poster=image_file(size=(1600, 900)))
    renditions_refresh(obj=clip, field_name="poster")
    article = ArticleFactory(hero_clip=clip)
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    enclosure = feed.entries[0].enclosures[0]
    page = client.get(article.get_absolute_url()).content.decode()
    src = re.search(r'<img class="clip__poster" src="([^"]+)"', page).group(1)
    assert enclosure.href.endswith(src)
    assert src.endswith("-1280w.jpg")


# Permissions ---------------------------------------------------------------------------------


def test_permission_names_are_spelled_only_in_roles_py():
    spelled = re.compile(r"[\"'](newsroom|faq|media_clips)\.(view|add|change|delete|publish)_\w+[\"']")
    offenders = []
    for app_dir in APP_DIRS:
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts or path.name == "roles.py":
                continue
            if spelled.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []


@pytest.mark.parametrize("screen", ["history", "preview", "revision_compare", "submit", "publish", "unpublish"])
def test_every_article_screen_sends_a_missing_article_back_to_the_list(admin_client, screen):
    url = reverse(f"admin:newsroom_article_{screen}", args=[987654])
    response = admin_client.post(url) if screen in ("submit", "publish", "unpublish") else admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert "existiert nicht" in " ".join(str(message) for message in response.wsgi_request._messages)


def test_the_project_tree_has_one_shape():
    top = sorted(path.stem for path in (settings.BASE_DIR / "newsroom").glob("*.py") if path.stem != "__init__")
    packages = sorted(
        path.name for path in (settings.BASE_DIR / "newsroom").iterdir() if (path / "__init__.py").exists()
    )
    assert len(top) <= 21, top
    assert {"admin", "api", "services"} <= set(packages)
    assert not [name for name in top if name.startswith(("admin_", "api_"))]
    assert Path(settings.BASE_DIR / "newsroom" / "fields.py").exists()  # migrations import from here
