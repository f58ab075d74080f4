"""``manage.py load_demo``: the sample as a published article, placeholder posters, the two demo editors."""

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


def test_demo_editors_only_with_debug(settings):
    settings.DEBUG = False
    output = load_demo()
    assert not get_user_model().objects.filter(username__in=["redaktion", "cvd"]).exists()
    assert "DJANGO_DEBUG=1" in output


def printed_password(output, username):
    return output.split(f"Benutzer „{username}“, Passwort „", 1)[1].split("“", 1)[0]


@pytest.mark.parametrize(("username", "role"), [("redaktion", "Redaktion"), ("cvd", "Chef vom Dienst")])
def test_each_demo_editor_logs_in_with_the_printed_password_in_their_role(settings, client, username, role):
    settings.DEBUG = True
    output = load_demo()
    password = printed_password(output, username)
    assert f"Demo-Login ({role}): Benutzer „{username}“" in output
    assert client.login(username=username, password=password)
    assert client.get("/admin/").status_code == 200
    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [role]
    # A second run prints the same, still working password.
    assert f"Passwort „{password}“" in load_demo()


def test_only_the_duty_editor_demo_account_may_publish(settings):
    settings.DEBUG = True
    load_demo()
    users = get_user_model().objects
    assert users.get(username="cvd").has_perm("newsroom.publish_article")
    assert not users.get(username="redaktion").has_perm("newsroom.publish_article")
    assert users.get(username="redaktion").has_perm("newsroom.change_article")


def test_a_second_run_changes_no_account(settings):
    settings.DEBUG = True
    load_demo()
    before = list(get_user_model().objects.order_by("username").values("username", "password", "is_superuser"))
    load_demo()
    assert list(get_user_model().objects.order_by("username").values("username", "password", "is_superuser")) == before
    assert len(before) == 2


def test_an_older_superuser_demo_account_is_brought_into_its_role(settings):
    settings.DEBUG = True
    get_user_model().objects.create_superuser("redaktion", "r@example.org", "altes-passwort")
    output = load_demo()
    user = get_user_model().objects.get(username="redaktion")
    assert not user.is_superuser and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Redaktion"]
    # Its own password stays; the command says how to reset it.
    assert "manage.py changepassword redaktion" in output
    assert user.check_password("altes-passwort")


def test_the_summary_prints_both_logins(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--base-url", "http://127.0.0.1:8000/", stdout=out)
    output = out.getvalue()
    summary = output.split("Newsroom läuft gleich unter:", 1)[1]
    assert "  Admin:        http://127.0.0.1:8000/admin/" in summary
    assert f"  Logins:       redaktion / {printed_password(output, 'redaktion')}  (Redaktion)" in summary
    assert f"                cvd / {printed_password(output, 'cvd')}  (Chef vom Dienst)" in summary


def test_the_summary_prints_no_login_without_debug(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("load_demo", "--base-url", "http://127.0.0.1:8000", stdout=out)
    assert "Logins:" not in out.getvalue() and "Passwort" not in out.getvalue()
