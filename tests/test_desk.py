"""The editors' desk: steps that ask first, reasons that reach the authors, and what is planned.

"Zurückziehen" and "An die Redaktion zurückgeben" open a page of their own; the reasons go
into the revision's comment (and, for a return, onto the authors' dashboard); the dashboard
and the calendar list planned go-lives and take-downs; "Auf der Website anzeigen" never
opens a 404.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Article
from newsroom.preview import preview_token
from newsroom.revisions import versions_for
from newsroom.services import article_submit
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
)
from tests.test_workflow import ARTICLES, HOUR, change_url, messages_of, publish_url, unpublish_url

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:newsroom_article_calendar")


def return_url(article):
    return reverse("admin:newsroom_article_return", args=[article.pk])


def in_review(**fields):
    return ArticleFactory(status=Article.Status.REVIEW, publish_at=None, first_published_at=None, **fields)


def newest_comment(article):
    return versions_for(article).first().revision.comment


def dashboard(client):
    html = client.get(reverse("admin:index")).content.decode()
    section = html[html.index('id="redaktion-uebersicht"') :]
    return section[: section.index("</div>")]


# "Zurückziehen" asks first


def test_zurueckziehen_on_the_change_form_opens_a_page_that_asks_first(cvd_client):
    article = ArticleFactory(title="Gipfel in Paris")
    form = cvd_client.get(change_url(article)).content.decode()
    assert f'<a class="button" href="{unpublish_url(article)}">Zurückziehen</a>' in form

    page = cvd_client.get(unpublish_url(article))

    assert page.status_code == 200
    text = page.content.decode()
    assert "geht sofort offline" in text and "wieder ein Entwurf" in text
    assert "Gipfel in Paris" in text
    assert 'name="reason"' in text and "Jetzt zurückziehen" in text
    assert article in Article.objects.published()  # opening the page changes nothing


def test_the_reason_for_a_take_down_is_kept_in_the_revision(cvd_client):
    article = ArticleFactory()

    response = cvd_client.post(unpublish_url(article), {"confirmed": "1", "reason": "Zahl im Teaser falsch"})

    assert messages_of(response) == [f"„{article}“: Zurückgezogen; der Artikel ist wieder ein Entwurf."]
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert newest_comment(article) == "Zurückgezogen – Grund: Zahl im Teaser falsch"


def test_the_confirmation_page_refuses_an_article_that_is_not_live(cvd_client):
    article = ArticleFactory(draft=True)
    response = cvd_client.get(unpublish_url(article))
    assert response.status_code == 302
    assert messages_of(response) == [f"Nicht möglich: „{article}“ ist Entwurf."]


def test_redaktion_gets_no_confirmation_page_to_take_down(redaktion_client):
    assert redaktion_client.get(unpublish_url(ArticleFactory())).status_code == 403


def test_taking_down_a_selection_asks_first(cvd_client):
    one, two = ArticleFactory(title="Erster"), ArticleFactory(title="Zweiter")
    selection = {"action": "unpublish_selected", "_selected_action": [one.pk, two.pk]}

    page = cvd_client.post(ARTICLES, selection)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Diese 2 Artikel gehen sofort offline" in text and "Erster" in text and "Zweiter" in text
    assert set(Article.objects.published()) == {one, two}

    response = cvd_client.post(ARTICLES, {**selection, "confirmed": "1", "reason": "Falsche Agenturmeldung"})

    assert messages_of(response) == ["2 Artikel: Zurückgezogen."]
    assert not Article.objects.published().exists()
    assert newest_comment(one) == "Zurückgezogen – Grund: Falsche Agenturmeldung"


# Back from review to the authors, with a reason


def test_the_duty_editor_returns_an_article_with_a_reason_the_author_sees(cvd_client, redaktion_client, redakteurin):
    article = in_review(title="Wie die Warften halten", created_by=redakteurin, updated_by=redakteurin)
    form = cvd_client.get(change_url(article)).content.decode()
    assert f'href="{return_url(article)}">An die Redaktion zurückgeben</a>' in form

    refused = cvd_client.post(return_url(article), {"confirmed": "1", "reason": "  "})
    assert refused.status_code == 200
    assert "Bitte einen Grund angeben" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW

    response = cvd_client.post(return_url(article), {"confirmed": "1", "reason": "Bitte Quelle ergänzen."})

    assert messages_of(response) == [
        f"„{article}“: An die Redaktion zurückgegeben; der Artikel ist wieder ein Entwurf."
    ]
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.DRAFT
    assert newest_comment(article) == "An die Redaktion zurückgegeben – Grund: Bitte Quelle ergänzen."
    mine = dashboard(redaktion_client)
    assert "Wie die Warften halten" in mine
    assert "<strong>Zurückgegeben:</strong> Bitte Quelle ergänzen." in mine

    # Sent to review again, the note has done its work.
    article_submit(article=stored, user=redakteurin)
    assert Article.objects.get(pk=article.pk).review_note == ""
    assert "Zurückgegeben" not in dashboard(redaktion_client)


def test_redaktion_cannot_return_an_article(redaktion_client):
    article = in_review()
    assert redaktion_client.get(return_url(article)).status_code == 403
    assert redaktion_client.post(return_url(article), {"reason": "x"}).status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_the_reason_is_shown_escaped(cvd_client, redaktion_client, redakteurin):
    article = in_review(created_by=redakteurin)
    cvd_client.post(return_url(article), {"reason": "<script>alert(1)</script>"})
    mine = dashboard(redaktion_client)
    assert "<script>alert(1)</script>" not in mine
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mine


# What is planned


def test_the_dashboard_lists_planned_go_lives_and_take_downs_soonest_first(admin_client):
    now = timezone.now()
    ArticleFactory(title="Geht bald offline", unpublish_at=now + 2 * HOUR)
    ArticleFactory(title="Kommt heute Abend", publish_at=now + 3 * HOUR, first_published_at=None)
    ArticleFactory(title="Kommt und geht", publish_at=now + HOUR, unpublish_at=now + 5 * HOUR)
    ArticleFactory(title="Bleibt online")

    section = dashboard(admin_client)
    planned = section[section.index("Geplant") :]

    entries = [
        (title.split(": ")[-1], going)
        for title, going in re.findall(r">([^<]+)</a> <span class=\"mini quiet\">– geht (online|offline)", planned)
    ]
    assert entries == [
        ("Kommt und geht", "online"),
        ("Geht bald offline", "offline"),
        ("Kommt heute Abend", "online"),
        ("Kommt und geht", "offline"),
    ]
    assert "Bleibt online" not in section


def test_the_calendar_shows_the_next_fourteen_days_with_both_kinds_of_change(admin_client):
    now = timezone.now()
    tomorrow_noon = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(12)))
    going = ArticleFactory(title="Sommerinterview", publish_at=tomorrow_noon, first_published_at=None)
    leaving = ArticleFactory(title="Wahlabend", unpublish_at=tomorrow_noon + 2 * HOUR)
    ArticleFactory(title="Zu weit weg", publish_at=now + dt.timedelta(days=20), first_published_at=None)
    ArticleFactory(draft=True, title="Nur ein Entwurf")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(CALENDAR)

    assert response.status_code == 200
    page = response.content.decode()
    days = re.findall(r'<h2 id="day-\d+">([^<]+)</h2>', page)
    assert len(days) == 14
    assert days[0].startswith("Heute, ") and days[1].startswith("Morgen, ")
    tomorrow = page[page.index('id="day-2"') : page.index('id="day-3"')]
    assert '12:00 Uhr – <span class="going">geht online</span>' in tomorrow
    assert '14:00 Uhr – <span class="going">geht offline</span>' in tomorrow
    assert f'href="{change_url(going)}">{going}</a>' in tomorrow
    assert f'href="{change_url(leaving)}">{leaving}</a>' in tomorrow
    assert "Zu weit weg" not in page and "Nur ein Entwurf" not in page
    assert page.count("Nichts geplant.") == 13
    # Two queries for the plan (go-lives, take-downs), whatever it holds; the rest is the session.
    assert sum("newsroom_article" in query["sql"] for query in queries.captured_queries) == 2


def test_the_dashboard_links_to_the_calendar(admin_client):
    assert f'href="{CALENDAR}"' in dashboard(admin_client)


def test_redaktion_may_read_the_calendar(redaktion_client):
    assert redaktion_client.get(CALENDAR).status_code == 200


# "Auf der Website anzeigen"


def test_view_on_site_opens_the_public_page_when_live_and_a_preview_otherwise(admin_client, client):
    live, draft = ArticleFactory(), ArticleFactory(draft=True)

    live_link = re.search(r'href="([^"]+)" class="viewsitelink"', admin_client.get(change_url(live)).content.decode())
    draft_link = re.search(r'href="([^"]+)" class="viewsitelink"', admin_client.get(change_url(draft)).content.decode())

    assert live_link.group(1) == live.get_absolute_url()
    assert "/vorschau/" in draft_link.group(1)
    assert client.get(draft_link.group(1)).status_code == 200  # no 404, even without a login
    assert client.get(draft.get_absolute_url()).status_code == 404


# A chosen poster survives a validation error


CLIP_ADD = reverse("admin:media_clips_videoclip_add")


def clip_form(**changes):
    return {
        "title": "Walde ordnet ein",
        "description": "ZDF-Korrespondent Thomas Walde ordnet ein.",
        "poster_alt": "Thomas Walde vor dem Tagungsort",
        "duration": "00:01:46",
        "published_at_0": "06.01.2026",
        "published_at_1": "09:15",
        "credit": "ZDF",
        "video_url": "",
        **changes,
    }


def kept_token(page):
    match = re.search(r'name="poster_kept" value="([^"]*)"', page)
    return match.group(1) if match else ""


def test_a_poster_chosen_before_a_validation_error_is_kept_and_saved_with_the_next_try(admin_client):
    from media_clips.models import VideoClip
    from tests.factories import image_file

    poster = image_file("walde-paris.jpg", size=(1280, 720))
    content = poster.read()
    poster.seek(0)

    refused = admin_client.post(CLIP_ADD, clip_form(title="", poster=poster))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "„walde-paris.jpg“ ist gewählt und wird beim Sichern übernommen" in page
    assert "/media/" not in page[page.index("Aktuelles Vorschaubild") :][:400]  # no broken image of the unsaved file
    token = kept_token(page)
    assert token

    saved = admin_client.post(CLIP_ADD, clip_form(poster_kept=token))

    assert saved.status_code == 302
    clip = VideoClip.objects.get()
    # Exactly the chosen file, as every upload is stored: its cleaned original (media_clips.validators).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_clips.validators import cleaned_image

    with clip.poster.open() as stored:
        assert stored.read() == cleaned_image(SimpleUploadedFile("walde-paris.jpg", content)).read()
    assert (clip.poster_width, clip.poster_height) == (1280, 720)
    assert clip.poster_renditions  # the variants were made as for any upload


def test_a_new_choice_replaces_the_kept_poster_and_a_forged_token_keeps_nothing(admin_client):
    from media_clips.models import VideoClip
    from tests.factories import image_file

    refused = admin_client.post(CLIP_ADD, clip_form(title="", poster=image_file("erstes.jpg", size=(1280, 720))))
    token = kept_token(refused.content.decode())

    admin_client.post(CLIP_ADD, clip_form(poster_kept=token, poster=image_file("zweites.jpg", size=(1280, 720))))
    assert "zweites" in VideoClip.objects.get().poster.name

    forged = admin_client.post(CLIP_ADD, clip_form(title="Noch einer", poster_kept=token[:-3] + "abc"))
    assert forged.status_code == 302
    assert not VideoClip.objects.get(title="Noch einer").poster


def test_a_liveblog_image_survives_a_validation_error_too(admin_client):
    from newsroom.models import LiveblogLink
    from tests.factories import image_file

    add = reverse("admin:newsroom_livebloglink_add")
    form = {
        "topline": "Gipfel",
        "title": "Alle Entwicklungen",
        "teaser": "",
        "url": "https://www.example.org/liveblog",
        "image_alt": "Der Tagungsort",
        "label": "Liveblog",
    }

    refused = admin_client.post(add, {**form, "image": image_file("ort.jpg")})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "„ort.jpg“ ist gewählt" in page
    token = re.search(r'name="image_kept" value="([^"]*)"', page).group(1)

    saved = admin_client.post(add, {**form, "teaser": "Alles im Überblick.", "image_kept": token})

    assert saved.status_code == 302, re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', saved.content.decode())
    assert "ort" in LiveblogLink.objects.get().image.name


# Placeholder images never go live unnoticed


def with_placeholder_in_a_question(**fields):
    article = ArticleFactory(**fields)
    FAQItemFactory(
        article=article, question="Was wurde beschlossen?", clip=VideoClipFactory(poster_is_placeholder=True)
    )
    return article


def test_the_clip_list_marks_placeholders_and_filters_them(admin_client):
    VideoClipFactory(title="Echtes Bild")
    VideoClipFactory(title="Erzeugtes Bild", poster_is_placeholder=True)
    clips = reverse("admin:media_clips_videoclip_changelist")

    listing = admin_client.get(clips).content.decode()
    assert listing.count('<strong class="placeholder-mark">Platzhalter</strong>') == 1
    filtered = admin_client.get(clips, {"poster_is_placeholder__exact": "1"}).content.decode()
    assert "Erzeugtes Bild" in filtered and "Echtes Bild" not in filtered


def test_an_uploaded_poster_replaces_the_placeholder_mark(admin_client):
    from media_clips.models import VideoClip
    from tests.factories import image_file

    clip = VideoClipFactory(poster_is_placeholder=True)
    url = reverse("admin:media_clips_videoclip_change", args=[clip.pk])
    assert (
        "Platzhalter: vor dem Veröffentlichen ein echtes Vorschaubild hochladen."
        in admin_client.get(url).content.decode()
    )
    data = clip_form(title=clip.title, poster=image_file("echt.jpg", size=(1280, 720)))

    assert admin_client.post(url, data).status_code == 302
    assert VideoClip.objects.get(pk=clip.pk).poster_is_placeholder is False


def test_the_article_form_names_each_placeholder(cvd_client):
    article = with_placeholder_in_a_question(hero_clip=VideoClipFactory(poster_is_placeholder=True))
    ArticleLiveblogLinkFactory(article=article, liveblog_link=LiveblogLinkFactory(image_is_placeholder=True))

    page = cvd_client.get(change_url(article)).content.decode()

    assert "Dieser Artikel zeigt Platzhalter-Bilder" in page
    for where in ("Aufmacher-Clip", "Clip zur Frage „Was wurde beschlossen?“", "Liveblog-Karte"):
        assert f">{where}</a>" in page


def test_publishing_with_a_placeholder_asks_the_duty_editor_first(cvd_client):
    article = with_placeholder_in_a_question(draft=True)

    asked = cvd_client.post(publish_url(article))

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Mit Platzhalter-Bild veröffentlichen?" in page and "Trotzdem veröffentlichen" in page
    assert "Clip zur Frage „Was wurde beschlossen?“" in page
    assert article not in Article.objects.published()

    done = cvd_client.post(publish_url(article), {"placeholders_confirmed": "1"})

    assert messages_of(done) == [f"„{article}“: Veröffentlicht."]
    assert article in Article.objects.published()


def test_planning_with_a_placeholder_asks_first_and_keeps_the_time(cvd_client):
    article = with_placeholder_in_a_question(draft=True)
    at = timezone.localtime(timezone.now() + 3 * HOUR).strftime("%Y-%m-%dT%H:%M")

    asked = cvd_client.post(publish_url(article), {"publish_at": at}).content.decode()

    assert "Trotzdem planen" in asked
    assert f'<input type="hidden" name="publish_at" value="{at}">' in asked
    cvd_client.post(publish_url(article), {"publish_at": at, "placeholders_confirmed": "1"})
    assert article in Article.objects.scheduled()


def test_an_article_without_placeholders_is_published_at_once(cvd_client):
    article = ArticleFactory(draft=True, hero_clip=VideoClipFactory())
    cvd_client.post(publish_url(article))
    assert article in Article.objects.published()


def test_publishing_a_selection_with_a_placeholder_asks_first(cvd_client):
    plain, marked = ArticleFactory(draft=True), with_placeholder_in_a_question(draft=True)
    selection = {"action": "publish_selected", "_selected_action": [plain.pk, marked.pk]}

    asked = cvd_client.post(ARTICLES, selection)

    assert "Trotzdem veröffentlichen" in asked.content.decode()
    assert not Article.objects.published().exists()
    cvd_client.post(ARTICLES, {**selection, "placeholders_confirmed": "1"})
    assert set(Article.objects.published()) == {plain, marked}


def test_the_dashboard_lists_live_and_planned_articles_with_placeholders(admin_client):
    live = with_placeholder_in_a_question(title="Online mit Platzhalter")
    with_placeholder_in_a_question(draft=True, title="Entwurf mit Platzhalter")
    ArticleFactory(title="Online ohne Platzhalter")

    section = dashboard(admin_client)
    placeholders = section[section.index("Mit Platzhalter-Bild") :]

    assert str(live) in placeholders
    assert "Entwurf mit Platzhalter" not in placeholders and "Online ohne Platzhalter" not in placeholders


def test_the_importer_marks_the_posters_it_draws(cvd_client):
    from newsroom.services import article_import
    from tests.test_importer import sample_text

    article = article_import(text=sample_text(), user=None).article

    assert article.placeholder_images()
    assert all(
        image.poster_is_placeholder for where, image in article.placeholder_images() if where != "Liveblog-Karte"
    )


# The form follows the page


def test_the_article_form_follows_the_page_with_publishing_folded_at_the_top(cvd_client):
    article = ArticleFactory()
    page = cvd_client.get(change_url(article)).content.decode()

    marks = [
        ">Veröffentlichung</h2>",
        ">Kopf</h2>",
        ">Clips &amp; Einleitung</h2>",
        'id="faq_items-group"',
        'id="liveblog_placements-group"',
        ">Quelle</h2>",
        ">Sendungshinweise</h2>",
        'id="broadcast_mentions-group"',
        ">Einordnung</h2>",
    ]
    positions = [page.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert page.index('id="id_hero_clip"') < page.index('id="id_intro"') < page.index('id="id_intro_clip"')
    publishing = page[page.rindex("<details", 0, positions[0]) : positions[0]]
    assert "<summary>" in publishing  # folded, opened with a click
    assert page.count('name="loaded_version"') == 1  # the conflict check's version travels with the form


# Rich text -----------------------------------------------------------------------------------


def test_rich_text_fields_open_in_the_editor_with_their_content_unchanged(admin_client):
    article = ArticleFactory(draft=True, intro="<p>Erst <strong>das</strong>, dann <em>jenes</em>.</p>")
    page = admin_client.get(change_url(article)).content.decode()
    # The stored HTML goes into the editor's textarea as it is (escaped once, as form values are).
    assert "&lt;p&gt;Erst &lt;strong&gt;das&lt;/strong&gt;, dann &lt;em&gt;jenes&lt;/em&gt;.&lt;/p&gt;" in page
    assert page.count("data-django-prose-editor-configurable") == 1 + 1  # the intro and the empty question
    assert 'type="importmap"' in page and "newsroom-admin/rich-text.js" in page


def test_a_read_only_article_shows_intro_and_answers_formatted_not_as_tags(redaktion_client):
    article = ArticleFactory(intro="<p>Die <strong>Lage</strong> ist ernst.</p>")  # live: read only for Redaktion
    FAQItemFactory(article=article, answer='<p>Siehe <a href="https://www.zdfheute.de/">Liveblog</a>.</p>')
    page = redaktion_client.get(change_url(article)).content.decode()
    assert "<p>Die <strong>Lage</strong> ist ernst.</p>" in page
    assert '<p>Siehe <a href="https://www.zdfheute.de/" rel="noopener noreferrer">Liveblog</a>.</p>' in page
    assert "&lt;strong&gt;" not in page and "&lt;p&gt;Siehe" not in page
    assert "data-django-prose-editor" not in page


# Live preview ----------------------------------------------------------------------------------

LIVE_PREVIEW = reverse("admin:newsroom_article_live_preview")


def test_the_live_preview_renders_unsaved_changes_and_saves_nothing(admin_client):
    from tests.adminforms import admin_form_data

    article = ArticleFactory(draft=True, title="Der gesicherte Titel")
    FAQItemFactory(article=article, question="Worüber wird beraten?")
    before = Article.objects.values_list("title", "updated_at").get(pk=article.pk)
    data = admin_form_data(admin_client.get(change_url(article)).content.decode())
    data["title"] = "Der ungesicherte Titel"
    data["faq_items-0-question"] = "Wer nimmt teil?"
    response = admin_client.post(f"{LIVE_PREVIEW}?artikel={article.pk}", data)
    page = response.content.decode()
    assert response.status_code == 200, page[:500]
    assert "Der ungesicherte Titel" in page and "Wer nimmt teil?" in page
    assert "nichts davon ist gesichert" in page
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.values_list("title", "updated_at").get(pk=article.pk) == before
    assert list(article.faq_items.values_list("question", flat=True)) == ["Worüber wird beraten?"]
    assert versions_for(article).count() == 0


def test_the_live_preview_of_a_new_article_creates_none_and_names_what_is_missing(admin_client):
    from tests.adminforms import admin_form_data

    data = admin_form_data(admin_client.get(reverse("admin:newsroom_article_add")).content.decode())
    data.update(topline="Gipfel in Paris", title="Was die Koalition plant", teaser="Ein Teaser.")
    data["slug"] = "was-die-koalition-plant"
    response = admin_client.post(LIVE_PREVIEW, data)
    assert response.status_code == 200, response.content.decode()[:800]
    assert "Was die Koalition plant" in response.content.decode()
    assert Article.objects.count() == 0

    data["title"] = ""
    response = admin_client.post(LIVE_PREVIEW, data)
    assert response.status_code == 422
    assert "Die Vorschau braucht noch Angaben" in response.content.decode()
    assert "Titel" in response.content.decode()
    assert Article.objects.count() == 0


def test_the_live_preview_is_for_those_who_may_change_the_article(redaktion_client):
    live = ArticleFactory()  # read only for Redaktion
    assert redaktion_client.post(f"{LIVE_PREVIEW}?artikel={live.pk}", {}).status_code == 403
    assert redaktion_client.get(LIVE_PREVIEW).status_code == 405


# Ordering ----------------------------------------------------------------------------------------


def three_questions():
    article = ArticleFactory(draft=True)
    for position, question in enumerate(("Was ist passiert?", "Wer ist dabei?", "Wie geht es weiter?")):
        FAQItemFactory(article=article, position=position, question=question)
    return article


def question_forms(form):
    """The FAQ rows' form prefixes by question, as the change form lists them."""
    return {
        form[f"{prefix}-question"]: prefix
        for prefix in (name.removesuffix("-id") for name in form if re.fullmatch(r"faq_items-\d+-id", name))
    }


def saved_order(article):
    return list(article.faq_items.order_by("position").values_list("position", "question"))


def test_questions_are_saved_in_the_order_their_positions_give_numbered_without_gaps(admin_client):
    from tests.adminforms import admin_form_data

    article = three_questions()
    form = admin_form_data(admin_client.get(change_url(article)).content.decode())
    rows = question_forms(form)
    # What ordering.js sends after "Wie geht es weiter?" was dragged to the top.
    form[f"{rows['Wie geht es weiter?']}-position"] = "0"
    form[f"{rows['Was ist passiert?']}-position"] = "1"
    form[f"{rows['Wer ist dabei?']}-position"] = "2"

    response = admin_client.post(change_url(article), form)

    assert response.status_code == 302
    assert saved_order(article) == [(0, "Wie geht es weiter?"), (1, "Was ist passiert?"), (2, "Wer ist dabei?")]
    comment = newest_comment(article)
    assert "Position" in comment and "Wie geht es weiter?" in comment
    page = client_page(article)
    assert page.index("Wie geht es weiter?") < page.index("Was ist passiert?") < page.index("Wer ist dabei?")


def client_page(article):
    article.refresh_from_db()
    return Client().get(reverse("newsroom:preview", args=[preview_token(article)])).content.decode()


def test_positions_stay_unique_whatever_arrives_and_new_rows_go_last(admin_client):
    from tests.adminforms import admin_form_data

    article = three_questions()
    article.faq_items.update(position=5)  # as an old import left them: all the same
    form = admin_form_data(admin_client.get(change_url(article)).content.decode())
    total = int(form["faq_items-TOTAL_FORMS"])
    form.update(
        {
            # A question added without the script: no position at all.
            f"faq_items-{total}-position": "",
            f"faq_items-{total}-question": "Was kostet das?",
            f"faq_items-{total}-answer": "<p>Viel.</p>",
            f"faq_items-{total}-anchor": "",
            "faq_items-TOTAL_FORMS": str(total + 1),
        }
    )

    assert admin_client.post(change_url(article), form).status_code == 302
    assert saved_order(article) == [
        (0, "Was ist passiert?"),
        (1, "Wer ist dabei?"),
        (2, "Wie geht es weiter?"),
        (3, "Was kostet das?"),
    ]


def test_an_added_question_left_empty_is_skipped_not_an_error(admin_client):
    from tests.adminforms import admin_form_data

    article = three_questions()
    form = admin_form_data(admin_client.get(change_url(article)).content.decode())
    total = int(form["faq_items-TOTAL_FORMS"])
    # "Frage hinzufügen" clicked, nothing typed; the script numbered the row anyway.
    form.update({f"faq_items-{total}-position": "3", "faq_items-TOTAL_FORMS": str(total + 1)})

    assert admin_client.post(change_url(article), form).status_code == 302
    assert [question for _, question in saved_order(article)] == [
        "Was ist passiert?",
        "Wer ist dabei?",
        "Wie geht es weiter?",
    ]


def test_liveblog_cards_and_broadcast_mentions_are_ordered_the_same_way(admin_client):
    from tests.adminforms import admin_form_data

    article = ArticleFactory(draft=True)
    first, second = (BroadcastMentionFactory(article=article, show=show) for show in ("heute", "heute journal"))
    cards = [ArticleLiveblogLinkFactory(article=article, lead_in=text) for text in ("Erst", "Dann")]
    form = admin_form_data(admin_client.get(change_url(article)).content.decode())
    swap = {
        "broadcast_mentions": {str(first.pk): "1", str(second.pk): "0"},
        "liveblog_placements": {str(cards[0].pk): "1", str(cards[1].pk): "0"},
    }
    for name, value in list(form.items()):
        prefix, _, field = name.rpartition("-")
        if field == "id" and value in swap.get(prefix.rsplit("-", 1)[0], {}):
            form[f"{prefix}-position"] = swap[prefix.rsplit("-", 1)[0]][value]

    assert admin_client.post(change_url(article), form).status_code == 302
    assert list(article.broadcast_mentions.order_by("position").values_list("show", flat=True)) == [
        "heute journal",
        "heute",
    ]
    assert list(article.liveblog_placements.order_by("position").values_list("lead_in", flat=True)) == ["Dann", "Erst"]


def test_positions_are_hidden_and_the_anchor_is_folded_under_sprungmarke(admin_client):
    article = three_questions()
    page = admin_client.get(change_url(article)).content.decode()
    assert re.search(r'<input type="hidden" name="faq_items-0-position" value="0" data-inline-position="Frage"', page)
    assert 'data-inline-position="Sendungshinweis"' in page and 'data-inline-position="Liveblog-Verweis"' in page
    assert "newsroom-admin/ordering.js" in page
    assert page.count('<div class="form-row hidden field-position">') == 3 + 1  # and the empty row
    folded = re.search(r"<details><summary>\s*<h4[^>]*>Sprungmarke</h4>\s*</summary>(.*?)</details>", page, re.S)
    assert folded and 'name="faq_items-0-anchor"' in folded.group(1)


def test_an_anchor_error_unfolds_the_sprungmarke(admin_client):
    from tests.adminforms import admin_form_data

    article = three_questions()
    form = admin_form_data(admin_client.get(change_url(article)).content.decode())
    prefix = question_forms(form)["Wer ist dabei?"]
    form[f"{prefix}-anchor"] = "kein gültiger Anker!"

    page = admin_client.post(change_url(article), form).content.decode()

    row = page[page.index(f'id="{prefix}"') :]
    before_anchor = row[: row.index(f'name="{prefix}-anchor"')]
    assert "Sprungmarke" in before_anchor and "<details><summary>" not in before_anchor


# Clip chooser ------------------------------------------------------------------------------------

CHOICES = reverse("admin:media_clips_videoclip_choices")


def choices(client, term, field="hero_clip", model="article"):
    app = "faq" if model == "faqitem" else "newsroom"
    response = client.get(CHOICES, {"term": term, "app_label": app, "model_name": model, "field_name": field})
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_the_clip_chooser_offers_poster_title_date_and_duration(redaktion_client):
    from media_clips.services import renditions_refresh

    clip = VideoClipFactory(title="Thomas Walde ordnet ein", duration=dt.timedelta(minutes=1, seconds=46))
    renditions_refresh(obj=clip, field_name="poster")
    clip.refresh_from_db()
    VideoClipFactory(title="Wetter am Wochenende")

    (found,) = choices(redaktion_client, "Walde")

    assert found["id"] == str(clip.pk) and found["text"] == str(clip)
    assert (found["title"], found["date"], found["duration"]) == ("Thomas Walde ordnet ein", "06.01.2026", "1:46 min")
    narrowest = min((entry for entry in clip.poster_renditions if entry["format"] == "jpeg"), key=lambda e: e["width"])
    assert found["poster"].endswith(narrowest["name"]) and found["placeholder"] is False


def test_the_clip_chooser_searches_captions_and_dates_as_editors_write_them(redaktion_client):
    january = VideoClipFactory(title="Gipfel", description="Macron empfängt die Delegationen.")
    march = VideoClipFactory(title="Gipfel", published_at=timezone.make_aware(dt.datetime(2026, 3, 2, 23, 30)))

    assert [c["id"] for c in choices(redaktion_client, "Delegationen")] == [str(january.pk)]
    for written in ("2.3.2026", "02.03.2026", "2026-03-02", "3.2026", "Gipfel 2.3.2026"):
        assert [c["id"] for c in choices(redaktion_client, written)] == [str(march.pk)], written
    assert choices(redaktion_client, "31.2.2026") == []  # no such day: a word, found nowhere
    assert {c["id"] for c in choices(redaktion_client, "Gipfel", field="clip", model="faqitem")} == {
        str(january.pk),
        str(march.pk),
    }


def test_the_clip_chooser_answers_only_what_djangos_autocomplete_would(redaktion_client):
    VideoClipFactory(title="Thomas Walde ordnet ein")
    query = {"term": "Walde", "app_label": "newsroom", "model_name": "article", "field_name": "hero_clip"}
    assert Client().get(CHOICES, query).status_code == 302  # not signed in: to the login page
    TopicFactory(name="Walde")
    assert redaktion_client.get(CHOICES, {**query, "field_name": "topic"}).status_code == 403  # not a clip field
    assert redaktion_client.get(CHOICES, {**query, "field_name": "title"}).status_code == 403  # Django's own check


def test_every_clip_field_of_the_article_form_uses_the_chooser_with_add_in_place(admin_client):
    article = ArticleFactory(draft=True)
    FAQItemFactory(article=article)
    page = admin_client.get(change_url(article)).content.decode()
    for name in ("hero_clip", "intro_clip", "faq_items-0-clip", "faq_items-__prefix__-clip"):
        select = re.search(rf'<select name="{re.escape(name)}"[^>]*>', page).group(0)
        assert f'data-ajax--url="{CHOICES}"' in select and "data-clip-chooser" in select, name
        assert re.search(rf'id="add_id_{re.escape(name)}"[^>]*href="/admin/media_clips/videoclip/add/', page), name
    assert 'data-ajax--url="/admin/autocomplete/"' in page  # the topic keeps Django's own
    assert "newsroom-admin/clip-chooser.js" in page
