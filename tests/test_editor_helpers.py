"""Editors' helpers: protected clips, alt-text hints, the dashboard on the admin start page."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from media_clips.alt_text import alt_text_hints
from media_clips.models import VideoClip
from newsroom.models import Article
from tests.factories import ArticleFactory, FAQItemFactory, VideoClipFactory

pytestmark = pytest.mark.django_db


def test_a_clip_in_use_cannot_be_deleted_and_the_admin_says_where(admin_client):
    clip = VideoClipFactory(title="Thomas Walde ordnet ein")
    article = ArticleFactory(title="Gipfel in Paris erklärt", hero_clip=clip)
    FAQItemFactory(article=article, clip=clip, question="Wo liegen die Streitpunkte?")
    url = reverse("admin:media_clips_videoclip_delete", args=[clip.pk])
    page = admin_client.get(url).content.decode()
    assert "geschützten" in page  # Django's German "protected related objects" notice
    change_url = reverse("admin:newsroom_article_change", args=[article.pk])
    assert f'Artikel <a href="{change_url}">{article}</a>' in page
    assert "Aufmacher-Clip, nach der Frage „Wo liegen die Streitpunkte?“" in page
    admin_client.post(url, {"post": "yes"})
    assert VideoClip.objects.filter(pk=clip.pk).exists()


def test_an_unused_clip_can_be_deleted(admin_client):
    clip = VideoClipFactory()
    admin_client.post(reverse("admin:media_clips_videoclip_delete", args=[clip.pk]), {"post": "yes"})
    assert not VideoClip.objects.filter(pk=clip.pk).exists()


@pytest.mark.parametrize(
    ("alt", "caption", "fragment"),
    [
        ("SGS Walde", "", "interner Bildname"),
        ("IMG_1234.jpg", "", "Dateiname"),
        ("ukraine_kiew_0123", "", "Dateiname"),
        ("DSC00042", "", "Dateiname"),
        ("ZDF-Korrespondent Thomas Walde ordnet ein.", "ZDF-Korrespondent Thomas Walde ordnet ein.", "wiederholt"),
        ("Menschen", "", "sehr kurz"),
    ],
)
def test_suspicious_alt_texts_get_a_hint(alt, caption, fragment):
    assert any(fragment in hint for hint in alt_text_hints(alt, caption))


@pytest.mark.parametrize(
    "alt",
    [
        "Thomas Walde vor dem Tagungsort in Paris",
        "Emmanuel Macron und Wolodymyr Selenskyj vor dem Élysée-Palast",
        "Helfer tragen in einem ausgebrannten Treppenhaus in Kiew Trümmer ins Freie",
    ],
)
def test_real_descriptions_get_no_hint(alt):
    assert alt_text_hints(alt, "ZDF-Korrespondent Thomas Walde ordnet ein.") == []


def test_the_hint_warns_but_does_not_block_the_save(admin_client):
    clip = VideoClipFactory(poster_alt="Menschen vor einem Gebäude in Paris")
    response = admin_client.post(
        reverse("admin:media_clips_videoclip_change", args=[clip.pk]),
        {
            "title": clip.title,
            "description": clip.description,
            "duration": "00:01:46",
            "published_at_0": "06.01.2026",
            "published_at_1": "10:00:00",
            "credit": "",
            "poster_alt": "IMG_1234.jpg",
            "video_url": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    clip.refresh_from_db()
    assert clip.poster_alt == "IMG_1234.jpg"
    assert any("Dateiname" in str(message) for message in get_messages(response.wsgi_request))


def test_dashboard_lists_my_drafts_review_and_scheduled(admin_client, admin_user):
    mine = ArticleFactory(draft=True, title="Mein Entwurf", created_by=admin_user)
    ArticleFactory(draft=True, title="Fremder Entwurf")
    review = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="Wartet auf Prüfung")
    scheduled = ArticleFactory(publish_at=timezone.now() + dt.timedelta(hours=3), title="Kommt heute Abend")
    ArticleFactory(title="Schon online")
    html = admin_client.get(reverse("admin:index")).content.decode()
    section = html[html.index('id="redaktion-uebersicht"') :]
    section = section[: section.index("</div>")]
    for article in (mine, review, scheduled):
        assert article.title in section
    assert "Fremder Entwurf" not in section
    assert "Schon online" not in section
    assert section.index("Meine Entwürfe") < section.index("In Prüfung") < section.index("Geplant")


def test_dashboard_empty_states(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Noch keine eigenen Entwürfe." in html
    assert "Nichts wartet auf Prüfung." in html
    assert "Nichts ist zur Veröffentlichung geplant." in html
