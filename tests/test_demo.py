"""``manage.py load_demo``: the sample as a published article, placeholder posters, the demo editor."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from media_clips.models import VideoClip
from newsroom.models import Article, LiveblogLink, Topic

pytestmark = pytest.mark.django_db


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_publishes_the_sample_article(client):
    output = load_demo()
    article = Article.objects.published().get()
    assert article.topline == "Gipfel in Paris"
    assert article.get_absolute_url() in output
    home = client.get("/").content.decode()
    assert f'href="{article.get_absolute_url()}"' in home


def test_load_demo_is_idempotent():
    load_demo()
    before = [model.objects.count() for model in (Article, VideoClip, Topic, LiveblogLink)]
    output = load_demo()
    assert [model.objects.count() for model in (Article, VideoClip, Topic, LiveblogLink)] == before
    assert "schon da" in output


def test_placeholder_posters_are_16_9_and_labelled():
    load_demo()
    clips = VideoClip.objects.all()
    assert clips.count() == 6
    for clip in clips:
        with Image.open(clip.poster.path) as image:
            assert image.size == (1280, 720)
            # The yellow "PLATZHALTER" bar runs along the top edge.
            assert image.getpixel((640, 4))[0] > 200
    link = LiveblogLink.objects.get()
    assert link.url == "/themen/ukraine/" and link.image


def test_demo_editor_only_with_debug(settings):
    settings.DEBUG = False
    output = load_demo()
    assert not get_user_model().objects.filter(username="redaktion").exists()
    assert "DJANGO_DEBUG=1" in output


def test_demo_editor_can_log_in_with_the_printed_password(settings, client):
    settings.DEBUG = True
    output = load_demo()
    password = output.split("Passwort „", 1)[1].split("“", 1)[0]
    assert client.login(username="redaktion", password=password)
    assert client.get("/admin/").status_code == 200
    # A second run prints the same, still working password.
    assert f"Passwort „{password}“" in load_demo()
