"""The editorial workflow: roles, draft → review → published, scheduling and taking down.

Each role can do exactly what it should, through the services and through the admin,
including forged requests the admin never offers; scheduled changes reach every public
surface with no worker, only the clock.
"""

import datetime as dt
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Article, Partner, PartnerAPIKey, Topic
from newsroom.roles import CHEF_VOM_DIENST, REDAKTION, ROLE_PERMISSIONS, role_group
from newsroom.services import (
    article_import,
    article_publish,
    article_schedule_unpublish,
    article_submit,
    article_transitions,
    article_unpublish,
)
from tests.adminforms import admin_form_data
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory
from tests.test_admin import article_form_data
from tests.test_importer import sample_text

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
ARTICLES = reverse("admin:newsroom_article_changelist")
ADD_ARTICLE = reverse("admin:newsroom_article_add")


# Helpers and fixtures


def change_url(article):
    return reverse("admin:newsroom_article_change", args=[article.pk])


def submit_url(article):
    return reverse("admin:newsroom_article_submit", args=[article.pk])


def publish_url(article):
    return reverse("admin:newsroom_article_publish", args=[article.pk])


def unpublish_url(article):
    return reverse("admin:newsroom_article_unpublish", args=[article.pk])


def datetime_local(value):
    """What a browser sends from ``<input type="datetime-local">``: local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_form_data(client, article, **changes):
    """The change form's POST data as a browser sends it back (the page's fields), then ``changes``."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return {**admin_form_data(response.content.decode()), **changes}


def move_clock(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def make_editor(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password="geheim", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def redakteurin(django_user_model):
    return make_editor(django_user_model, "redakteurin", REDAKTION)


@pytest.fixture
def cvd(django_user_model):
    return make_editor(django_user_model, "chefin", CHEF_VOM_DIENST)


@pytest.fixture
def redaktion_client(redakteurin):
    client = Client()
    client.force_login(redakteurin)
    return client


@pytest.fixture
def cvd_client(cvd):
    client = Client()
    client.force_login(cvd)
    return client


def draft(**fields):
    return ArticleFactory(draft=True, **fields)


def stored(article):
    return Article.objects.get(pk=article.pk)


# Roles


def test_the_migration_made_both_roles_with_the_permissions_roles_py_names():
    for role in (REDAKTION, CHEF_VOM_DIENST):
        group = Group.objects.get(name=role)
        granted = {f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.all()}
        assert granted == ROLE_PERMISSIONS[role], role


def test_a_deleted_role_is_made_again_with_its_permissions():
    Group.objects.filter(name=CHEF_VOM_DIENST).delete()

    group = role_group(CHEF_VOM_DIENST)

    granted = {f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.all()}
    assert granted == ROLE_PERMISSIONS[CHEF_VOM_DIENST]


def test_only_the_duty_editor_may_publish(redakteurin, cvd):
    assert Permission.objects.get(codename="publish_article").name == "Artikel veröffentlichen"
    assert cvd.has_perm("newsroom.publish_article")
    assert not redakteurin.has_perm("newsroom.publish_article")
    assert redakteurin.has_perm("newsroom.change_article") and redakteurin.has_perm("faq.delete_faqitem")
    assert not redakteurin.is_superuser and not cvd.is_superuser


def test_redaktion_cannot_delete_articles_and_is_not_offered_to(redaktion_client, cvd_client):
    article = draft()
    delete = reverse("admin:newsroom_article_delete", args=[article.pk])

    change_page = redaktion_client.get(change_url(article)).content.decode()
    assert f'href="{delete}"' not in change_page
    assert 'value="delete_selected"' not in redaktion_client.get(ARTICLES).content.decode()
    assert redaktion_client.post(delete, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()

    assert f'href="{delete}"' in cvd_client.get(change_url(article)).content.decode()
    assert cvd_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_redaktion_makes_topics_and_the_duty_editor_changes_them(redaktion_client, cvd_client, client):
    add_topic = reverse("admin:newsroom_topic_add")
    data = {"name": "Ukraine", "slug": "ukraine", "headline": "Aktuelle Nachrichten zur Ukraine"}

    assert redaktion_client.post(add_topic, data).status_code == 302
    topic = Topic.objects.get(slug="ukraine")
    assert client.get(topic.get_absolute_url()).status_code == 404  # hidden until an article in it is live
    change_topic = reverse("admin:newsroom_topic_change", args=[topic.pk])
    assert redaktion_client.post(change_topic, {**data, "name": "Krieg"}).status_code == 403
    assert cvd_client.post(change_topic, {**data, "name": "Krieg"}).status_code == 302


# Services: who may do what


def test_redaktion_writes_a_draft_and_sends_it_to_review(redakteurin):
    article = draft()

    article_submit(article=article, user=redakteurin)

    assert article.status == stored(article).status == Article.Status.REVIEW
    assert article not in Article.objects.published()


@pytest.mark.parametrize(
    ("service", "kwargs", "message"),
    [
        (article_publish, {}, "Sie dürfen Artikel nicht veröffentlichen"),
        (article_publish, {"at": "future"}, "Sie dürfen Artikel nicht veröffentlichen"),
        (article_unpublish, {}, "Sie dürfen Artikel nicht zurückziehen"),
        (article_schedule_unpublish, {"at": "future"}, "Sie dürfen das Offline-Nehmen nicht planen"),
    ],
)
def test_redaktion_may_not_publish_schedule_or_take_down(redakteurin, service, kwargs, message):
    live = ArticleFactory()
    in_review = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)
    kwargs = {name: timezone.now() + HOUR if value == "future" else value for name, value in kwargs.items()}
    target = in_review if service is article_publish else live
    before = stored(target)

    with pytest.raises(PermissionDenied, match=message):
        service(article=target, user=redakteurin, **kwargs)

    after = stored(target)
    assert (after.status, after.publish_at, after.unpublish_at, after.first_published_at) == (
        before.status,
        before.publish_at,
        before.unpublish_at,
        before.first_published_at,
    )


def test_without_the_change_permission_nobody_submits(django_user_model):
    reader = django_user_model.objects.create_user("praktikant", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    article = draft()

    with pytest.raises(PermissionDenied, match="nicht zur Prüfung geben"):
        article_submit(article=article, user=reader)
    assert stored(article).status == Article.Status.DRAFT


def test_the_acting_user_must_always_be_named():
    # No default: a caller that forgets the user must not publish as the system.
    with pytest.raises(TypeError):
        article_publish(article=draft())


def test_user_none_is_the_system_as_used_by_the_commands():
    article = draft()

    article_publish(article=article, user=None)

    assert article in Article.objects.published()


def test_an_editor_importing_with_publish_needs_the_permission(redakteurin, cvd):
    with pytest.raises(PermissionDenied):
        article_import(text=sample_text(), user=redakteurin, publish=True)
    assert not Article.objects.exists()

    article = article_import(text=sample_text(), user=cvd, publish=True).article
    assert article in Article.objects.published()


# Services: the transitions


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"status": Article.Status.REVIEW, "publish_at": None, "first_published_at": None}, "bereits in Prüfung"),
        ({}, "bitte zuerst zurückziehen"),
        ({"publish_at": "future"}, "bitte zuerst zurückziehen"),
    ],
)
def test_only_a_draft_can_be_sent_to_review(cvd, state, message):
    state = {name: timezone.now() + HOUR if value == "future" else value for name, value in state.items()}
    article = ArticleFactory(**state)
    status = article.status

    with pytest.raises(ValidationError, match=message):
        article_submit(article=article, user=cvd)
    assert stored(article).status == status


def test_publishing_now_stamps_go_live_and_first_publication(cvd):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)
    before = timezone.now()

    article_publish(article=article, user=cvd)

    article = stored(article)
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.publish_at <= timezone.now()
    assert article.first_published_at == article.publish_at
    assert article in Article.objects.published()


def test_publishing_a_live_article_again_is_refused(cvd):
    with pytest.raises(ValidationError, match="bereits veröffentlicht"):
        article_publish(article=ArticleFactory(), user=cvd)


def test_first_publication_is_stamped_once(monkeypatch, cvd):
    start = timezone.now()
    article = draft()
    article_publish(article=article, user=cvd)
    first = stored(article).first_published_at

    move_clock(monkeypatch, start + 5 * HOUR)
    article_unpublish(article=article, user=cvd)
    assert stored(article).first_published_at == first
    move_clock(monkeypatch, start + 30 * HOUR)
    article_publish(article=article, user=cvd)

    article = stored(article)
    assert article.first_published_at == first
    # Re-published, not new: it keeps its place among the articles of its day.
    assert article.publish_at == first
    assert article in Article.objects.published()


def test_scheduling_plans_the_go_live_and_its_first_publication(cvd):
    at = timezone.now() + 2 * HOUR
    article = draft()

    article_publish(article=article, user=cvd, at=at)

    article = stored(article)
    assert (article.status, article.publish_at, article.first_published_at) == (Article.Status.PUBLISHED, at, at)
    assert article.is_scheduled
    assert article not in Article.objects.published()


def test_rescheduling_moves_the_planned_first_publication_with_it(cvd):
    article = draft()
    article_publish(article=article, user=cvd, at=timezone.now() + 2 * HOUR)
    later = timezone.now() + 5 * HOUR

    article_publish(article=article, user=cvd, at=later)

    assert stored(article).first_published_at == later


def test_publishing_a_scheduled_article_now_brings_it_forward(cvd):
    article = draft()
    article_publish(article=article, user=cvd, at=timezone.now() + 2 * HOUR)

    article_publish(article=article, user=cvd)

    article = stored(article)
    assert article.publish_at <= timezone.now()
    assert article.first_published_at == article.publish_at
    assert article in Article.objects.published()


def test_calling_off_a_scheduled_article_forgets_the_plan(cvd):
    article = draft()
    article_publish(article=article, user=cvd, at=timezone.now() + 2 * HOUR)

    article_unpublish(article=article, user=cvd)

    article = stored(article)
    assert (article.status, article.publish_at, article.first_published_at) == (Article.Status.DRAFT, None, None)


@pytest.mark.parametrize(
    ("make", "at", "message"),
    [
        (draft, -HOUR, "muss in der Zukunft liegen"),
        (ArticleFactory, 2 * HOUR, "schon online"),
        (lambda: draft(unpublish_at=timezone.now() + HOUR), 2 * HOUR, "muss nach „Veröffentlichen ab“ liegen"),
    ],
)
def test_scheduling_refuses_what_cannot_work(cvd, make, at, message):
    article = make()
    status = article.status

    with pytest.raises(ValidationError, match=message):
        article_publish(article=article, user=cvd, at=timezone.now() + at)
    assert stored(article).status == status


def test_only_a_published_article_can_be_taken_down(cvd):
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        article_unpublish(article=draft(), user=cvd)


def test_taking_down_returns_the_article_to_draft(cvd):
    article = ArticleFactory(unpublish_at=timezone.now() + HOUR)

    article_unpublish(article=article, user=cvd)

    article = stored(article)
    assert (article.status, article.unpublish_at) == (Article.Status.DRAFT, None)
    assert article.first_published_at is not None
    assert article not in Article.objects.published()


def test_a_scheduled_take_down_must_come_after_the_go_live_and_lie_ahead(cvd):
    scheduled = draft()
    article_publish(article=scheduled, user=cvd, at=timezone.now() + 3 * HOUR)

    with pytest.raises(ValidationError, match="muss nach „Veröffentlichen ab“ liegen"):
        article_schedule_unpublish(article=scheduled, user=cvd, at=timezone.now() + 2 * HOUR)
    with pytest.raises(ValidationError, match="muss in der Zukunft liegen"):
        article_schedule_unpublish(article=ArticleFactory(), user=cvd, at=timezone.now() - HOUR)
    with pytest.raises(ValidationError, match="veröffentlichter oder geplanter Artikel"):
        article_schedule_unpublish(article=draft(), user=cvd, at=timezone.now() + HOUR)
    assert stored(scheduled).unpublish_at is None


def test_a_scheduled_take_down_can_be_called_off(cvd):
    article = ArticleFactory()
    article_schedule_unpublish(article=article, user=cvd, at=timezone.now() + HOUR)
    assert stored(article).unpublish_at is not None

    article_schedule_unpublish(article=article, user=cvd, at=None)

    assert stored(article).unpublish_at is None


def test_an_expired_article_is_published_again_only_by_publishing(cvd):
    expired = ArticleFactory(publish_at=timezone.now() - 2 * HOUR, unpublish_at=timezone.now() - HOUR)

    with pytest.raises(ValidationError, match="schon offline"):
        article_schedule_unpublish(article=expired, user=cvd, at=None)
    article_publish(article=expired, user=cvd)

    assert stored(expired).unpublish_at is None
    assert expired in Article.objects.published()


def test_the_admin_offers_each_role_what_the_services_allow(redakteurin, cvd):
    live, scheduled = ArticleFactory(), ArticleFactory(publish_at=timezone.now() + HOUR)
    in_review = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)

    assert article_transitions(article=draft(), user=redakteurin) == {"submit"}
    assert article_transitions(article=in_review, user=redakteurin) == set()
    assert article_transitions(article=live, user=redakteurin) == set()
    assert article_transitions(article=draft(), user=cvd) == {"submit", "publish", "schedule"}
    assert article_transitions(article=in_review, user=cvd) == {"return", "publish", "schedule"}
    assert article_transitions(article=live, user=cvd) == {"unpublish", "schedule_unpublish"}
    assert article_transitions(article=scheduled, user=cvd) == {
        "publish",
        "schedule",
        "unpublish",
        "schedule_unpublish",
    }


# "Stand" follows the content, not the status


def stand_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    match = re.search(r'<p class="article__updated">Stand: <time datetime="([^"]+)">([^<]+)</time>', response.text)
    return match.group(2), response["Last-Modified"]


def test_status_changes_leave_updated_at_and_the_stand_alone(monkeypatch, client, cvd, cvd_client):
    start = timezone.now()
    article = ArticleFactory(publish_at=start - 50 * HOUR)
    updated_at, stand = stored(article).updated_at, stand_of(client, article)

    move_clock(monkeypatch, start + 24 * HOUR)
    article_unpublish(article=article, user=cvd)
    assert stored(article).updated_at == updated_at
    article_submit(article=article, user=cvd)
    assert stored(article).updated_at == updated_at
    cvd_client.post(publish_url(article))

    assert stored(article).updated_at == updated_at
    assert stand_of(client, article) == stand


def test_a_content_edit_in_the_admin_moves_the_stand(monkeypatch, client, cvd, cvd_client):
    start = timezone.now()
    article = ArticleFactory(publish_at=start - 50 * HOUR, topic=None)
    stand = stand_of(client, article)

    move_clock(monkeypatch, start + 24 * HOUR)
    response = cvd_client.post(change_url(article), change_form_data(cvd_client, article, title="Ein neuer Titel"))

    assert response.status_code == 302
    article = stored(article)
    assert article.title == "Ein neuer Titel"
    assert article.updated_at == start + 24 * HOUR
    assert article.updated_by == cvd
    assert stand_of(client, article)[0] == timezone.localtime(start + 24 * HOUR).strftime("%d.%m.%Y, %H:%M Uhr")
    assert stand_of(client, article) != stand
    assert article.status == Article.Status.PUBLISHED


# The admin: buttons, forged requests, actions


def test_the_change_form_shows_each_role_only_its_buttons(redaktion_client, cvd_client):
    article = draft()

    redaktion = redaktion_client.get(change_url(article)).content.decode()
    cvd = cvd_client.get(change_url(article)).content.decode()

    assert '<div class="workflow-buttons"' in redaktion and "Status: Entwurf" in redaktion
    assert f'action="{submit_url(article)}"' in redaktion and "Zur Prüfung geben" in redaktion
    assert f'action="{publish_url(article)}"' not in redaktion
    assert "Veröffentlichen</button>" not in redaktion and "Planen</button>" not in redaktion
    for label in ("Zur Prüfung geben", "Veröffentlichen</button>", "Planen</button>"):
        assert label in cvd
    assert "Zurückziehen" not in cvd


def test_a_live_article_offers_the_duty_editor_only_taking_it_down(cvd_client):
    article = ArticleFactory(unpublish_at=timezone.now() + 5 * HOUR)

    page = cvd_client.get(change_url(article)).content.decode()

    assert "Status: Veröffentlicht, offline ab" in page
    assert f'action="{unpublish_url(article)}"' in page
    for label in ("Zurückziehen", "Offline nehmen planen", "Offline-Termin aufheben"):
        assert label in page
    assert "Zur Prüfung geben" not in page and "Planen</button>" not in page
    assert f'value="{datetime_local(article.unpublish_at)}"' in page


def test_status_and_times_are_read_only_in_the_article_form(redaktion_client):
    page = redaktion_client.get(change_url(draft())).content.decode()

    for name in ("status", "publish_at_0", "unpublish_at_0", "first_published_at"):
        assert f'name="{name}"' not in page


def test_a_forged_status_in_the_add_form_makes_a_draft(redaktion_client):
    response = redaktion_client.post(
        ADD_ARTICLE, article_form_data(status=Article.Status.PUBLISHED, publish_at_0="01.01.2026", publish_at_1="08:00")
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.publish_at, article.first_published_at) == (Article.Status.DRAFT, None, None)


def test_a_forged_status_in_the_change_form_is_ignored(redaktion_client):
    article = draft()
    data = change_form_data(
        redaktion_client,
        article,
        title="Geänderter Titel",
        status=Article.Status.PUBLISHED,
        publish_at_0="01.01.2026",
        publish_at_1="08:00:00",
    )

    response = redaktion_client.post(change_url(article), data)

    assert response.status_code == 302
    article = stored(article)
    assert article.title == "Geänderter Titel"
    assert (article.status, article.publish_at) == (Article.Status.DRAFT, None)
    assert article not in Article.objects.published()


def test_saving_content_does_not_undo_a_publication_made_meanwhile(cvd_client, cvd):
    article = draft()
    data = change_form_data(cvd_client, article, teaser="Ein neuer Teaser.")
    article_publish(article=article, user=cvd)  # while the form is open

    response = cvd_client.post(change_url(article), data)

    assert response.status_code == 302
    assert stored(article).teaser == "Ein neuer Teaser."
    assert article in Article.objects.published()


def test_redaktion_cannot_change_a_live_or_scheduled_article(redaktion_client, cvd):
    for at in (None, timezone.now() + dt.timedelta(hours=2)):
        article = draft()
        data = change_form_data(redaktion_client, article, teaser="Ungeprüfter Teaser.")
        article_publish(article=article, user=cvd, at=at)

        page = redaktion_client.get(change_url(article))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()  # read-only view
        assert redaktion_client.post(change_url(article), data).status_code == 403
        assert stored(article).teaser != "Ungeprüfter Teaser."


def test_the_submit_button_sends_the_draft_to_review(redaktion_client, redakteurin):
    article = draft()

    response = redaktion_client.post(submit_url(article))

    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert stored(article).status == Article.Status.REVIEW
    assert messages_of(response) == [f"„{article}“: Zur Prüfung gegeben."]
    # The admin's log says who did it (the history page reads it).
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.get_change_message()) == (redakteurin, "Zur Prüfung gegeben.")


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (publish_url, {}, "Sie dürfen Artikel nicht veröffentlichen"),
        (publish_url, {"publish_at": "in_an_hour"}, "Sie dürfen Artikel nicht veröffentlichen"),
        (unpublish_url, {}, "Sie dürfen Artikel nicht zurückziehen"),
        (unpublish_url, {"unpublish_at": "in_an_hour"}, "Sie dürfen das Offline-Nehmen nicht planen"),
    ],
)
def test_forged_duty_editor_requests_from_redaktion_are_refused(redaktion_client, url, data, message):
    in_review = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)
    live = ArticleFactory()
    article = in_review if url is publish_url else live
    data = {
        key: datetime_local(timezone.now() + HOUR) if value == "in_an_hour" else value for key, value in data.items()
    }
    before = stored(article)

    response = redaktion_client.post(url(article), data)

    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert messages_of(response) == [f"Nicht möglich: {message}; das darf der Chef vom Dienst."]
    after = stored(article)
    assert (after.status, after.publish_at, after.unpublish_at) == (
        before.status,
        before.publish_at,
        before.unpublish_at,
    )
    assert (article in Article.objects.published()) == (article == live)


def test_workflow_urls_take_only_posts(cvd_client):
    article = draft()

    assert cvd_client.get(publish_url(article)).status_code == 405
    assert stored(article).status == Article.Status.DRAFT


def test_workflow_urls_need_a_login(client):
    article = draft()

    response = client.post(publish_url(article))

    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert stored(article).status == Article.Status.DRAFT


def test_a_workflow_post_needs_the_csrf_token(cvd):
    article = draft()
    client = Client(enforce_csrf_checks=True)
    client.force_login(cvd)

    assert client.post(publish_url(article)).status_code == 403
    assert stored(article).status == Article.Status.DRAFT


def test_the_duty_editor_publishes_with_the_button(cvd_client):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)

    response = cvd_client.post(publish_url(article))

    assert messages_of(response) == [f"„{article}“: Veröffentlicht."]
    assert article in Article.objects.published()
    assert "Status: Veröffentlicht" in cvd_client.get(change_url(article)).content.decode()


def test_the_duty_editor_schedules_with_the_button_and_the_list_says_geplant(cvd_client):
    article = draft(title="Kommt morgen früh")
    at = (timezone.now() + 20 * HOUR).replace(second=0, microsecond=0)

    response = cvd_client.post(publish_url(article), {"publish_at": datetime_local(at)})

    local = timezone.localtime(at).strftime("%d.%m.%Y, %H:%M Uhr")
    assert messages_of(response) == [f"„{article}“: Geplant für {local}."]
    assert stored(article).publish_at == at
    assert article not in Article.objects.published()
    assert f"Status: Geplant für {local}" in cvd_client.get(change_url(article)).content.decode()
    assert '<td class="field-status_column">geplant</td>' in cvd_client.get(ARTICLES).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Bitte Datum und Uhrzeit angeben."),
        ("morgen früh", "Bitte Datum und Uhrzeit vollständig angeben."),
        ("2020-01-01T08:00", "Der geplante Zeitpunkt muss in der Zukunft liegen."),
    ],
)
def test_a_bad_planned_time_is_refused_with_a_german_message(cvd_client, value, message):
    article = draft()

    response = cvd_client.post(publish_url(article), {"publish_at": value})

    assert messages_of(response) == [f"Nicht möglich: {message}"]
    assert stored(article).status == Article.Status.DRAFT


def test_the_duty_editor_takes_an_article_down_with_the_button(cvd_client):
    article = ArticleFactory()

    response = cvd_client.post(unpublish_url(article))

    assert messages_of(response) == [f"„{article}“: Zurückgezogen; der Artikel ist wieder ein Entwurf."]
    assert stored(article).status == Article.Status.DRAFT
    assert cvd_client.get(article.get_absolute_url()).status_code == 404


def test_the_duty_editor_plans_and_calls_off_a_take_down(cvd_client):
    article = ArticleFactory()
    at = (timezone.now() + 3 * HOUR).replace(second=0, microsecond=0)

    response = cvd_client.post(unpublish_url(article), {"unpublish_at": datetime_local(at)}, follow=True)
    assert messages_of(response) == [
        f"„{article}“: Geht am {timezone.localtime(at).strftime('%d.%m.%Y, %H:%M Uhr')} offline."
    ]
    assert stored(article).unpublish_at == at

    response = cvd_client.post(unpublish_url(article), {"keep_online": "1"})
    assert messages_of(response) == [f"„{article}“: Kein Offline-Termin mehr geplant."]
    assert stored(article).unpublish_at is None
    assert article in Article.objects.published()


def test_a_refused_transition_explains_itself(cvd_client):
    article = ArticleFactory()

    response = cvd_client.post(publish_url(article))

    assert messages_of(response) == ["Nicht möglich: Der Artikel ist bereits veröffentlicht."]


def test_actions_apply_the_services_to_the_selection(cvd_client):
    one, two = draft(), ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)
    live = ArticleFactory()

    response = cvd_client.post(
        ARTICLES, {"action": "publish_selected", "_selected_action": [one.pk, two.pk, live.pk]}, follow=True
    )

    assert set(Article.objects.published()) == {one, two, live}
    assert messages_of(response) == [
        "2 Artikel: Veröffentlicht.",
        f"Nicht geändert – „{live}“: Der Artikel ist bereits veröffentlicht.",
    ]

    # Taking down asks first (tests/test_desk.py); confirmed, it applies the service to each.
    cvd_client.post(ARTICLES, {"action": "unpublish_selected", "_selected_action": [one.pk, two.pk], "confirmed": "1"})
    assert set(Article.objects.published()) == {live}


def test_redaktion_sees_only_the_submit_action_and_a_forged_publish_action_fails(redaktion_client):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None)

    listing = redaktion_client.get(ARTICLES).content.decode()
    assert 'value="submit_selected"' in listing
    assert 'value="publish_selected"' not in listing and 'value="unpublish_selected"' not in listing

    redaktion_client.post(ARTICLES, {"action": "publish_selected", "_selected_action": [article.pk]})
    assert stored(article).status == Article.Status.REVIEW

    draft_article = draft()
    redaktion_client.post(ARTICLES, {"action": "submit_selected", "_selected_action": [draft_article.pk]})
    assert stored(draft_article).status == Article.Status.REVIEW


# Scheduling reaches every public surface, with only the clock moving


UNIQUE_WORD = "Zeitschaltuhr"


def news_article_json_ld(html):
    """The NewsArticle objects in a page's JSON-LD."""
    items = []
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        items += data.get("@graph", [data]) if isinstance(data, dict) else data
    return [item for item in items if item.get("@type") == "NewsArticle"]


def public_surfaces(client, article, key):
    """Whether a reader, a search engine or a partner sees ``article`` now, surface by surface."""
    url = article.get_absolute_url()
    api = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}

    def listed(path, **params):
        response = client.get(path, params, **api) if path.startswith("/api/") else client.get(path, params)
        assert response.status_code == 200, path
        return response

    page = client.get(url)
    assert page.status_code in (200, 404)
    news_article = news_article_json_ld(page.text)
    detail = client.get(f"/api/v1/articles/{article.pk}/", **api)
    ninjs = client.get(f"/api/v1/articles/{article.pk}/ninjs/", **api)
    # 404 before its first go-live; once it was public, 410 Gone with a tombstone after the take-down.
    assert detail.status_code in (200, 404, 410) and ninjs.status_code == detail.status_code
    return {
        "API-Status": detail.status_code,
        "Artikelseite": page.status_code == 200,
        "JSON-LD": any(item.get("headline") and url in json.dumps(item) for item in news_article),
        "Startseite": url in listed("/").text,
        "Themenseite": url in listed(article.topic.get_absolute_url()).text,
        "Themen-Feed": url in listed(f"{article.topic.get_absolute_url()}feed/").text,
        "RSS": url in listed("/feeds/rss/").text,
        "Atom": url in listed("/feeds/atom/").text,
        "Sitemap": url in listed("/sitemap-artikel.xml").text,
        "News-Sitemap": url in listed("/sitemap-news.xml").text,
        "Suche": url in listed("/suche/", q=UNIQUE_WORD).text,
        "API-Liste": article.pk in [item["id"] for item in listed("/api/v1/articles/").json()["results"]],
        "API-Detail": detail.status_code == 200,
        "ninjs": ninjs.status_code == 200,
    }


def test_a_scheduled_article_appears_and_disappears_everywhere_on_time(monkeypatch, client, cvd_client):
    key = PartnerAPIKey.objects.create_key(
        partner=Partner.objects.create(name="Regionalsender", contact_email="technik@example.org"), name="x"
    )[1]
    topic = TopicFactory(slug="ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    article = draft(topic=topic, title=f"Was die {UNIQUE_WORD} im Gipfel bedeutet")
    FAQItemFactory(article=article)
    ArticleFactory(topic=topic)  # another live article keeps every listing non-empty
    start = timezone.now().replace(second=0, microsecond=0)
    publish_at, unpublish_at = start + HOUR, start + 3 * HOUR
    cvd_client.post(publish_url(article), {"publish_at": datetime_local(publish_at)})
    cvd_client.post(unpublish_url(article), {"unpublish_at": datetime_local(unpublish_at)})
    assert stored(article).publish_at == publish_at and stored(article).unpublish_at == unpublish_at

    before = public_surfaces(client, article, key)
    move_clock(monkeypatch, start + 2 * HOUR)
    during = public_surfaces(client, article, key)
    page = client.get(article.get_absolute_url()).text
    move_clock(monkeypatch, start + 4 * HOUR)
    after = public_surfaces(client, article, key)

    assert before.pop("API-Status") == 404 and during.pop("API-Status") == 200 and after.pop("API-Status") == 410
    assert before == dict.fromkeys(before, False)
    assert during == dict.fromkeys(during, True)
    assert after == dict.fromkeys(after, False)
    # It went live at the planned time, not when it was planned.
    assert [item["datePublished"] for item in news_article_json_ld(page)] == [
        timezone.localtime(publish_at).isoformat()
    ]
