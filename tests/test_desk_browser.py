"""The editors' desk in a real browser: nothing typed is lost, a poster survives an error, placeholders ask first.

Debian's Chromium through Playwright, as the other browser tests; axe-core checks the admin
screens of the desk (article add and change form, dashboard, calendar, confirmation page).
"""

import re

import pytest

from newsroom.models import Article
from tests.factories import ArticleFactory, FAQItemFactory, VideoClipFactory, image_file
from tests.test_browser import WCAG_TAGS
from tests.test_desk import three_questions
from tests.test_editor_journey import PASSWORD, logged_in_page, rich_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsroom(live_server):
    from django.contrib.auth import get_user_model

    from newsroom.roles import CHEF_VOM_DIENST, REDAKTION, role_group

    for username, role in (("redakteurin", REDAKTION), ("cvd", CHEF_VOM_DIENST)):
        user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(role_group(role))
    return live_server.url, VideoClipFactory(title="Thomas Walde ordnet ein")


ADD = "/admin/newsroom/article/add/"


def test_leaving_a_form_with_unsaved_changes_asks_first(browser, newsroom):
    base, _ = newsroom
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(base + ADD)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    page.click("#id_title")
    page.keyboard.type("Was die Koalition plant")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)

    assert dialogs == ["beforeunload"]


def test_an_unchanged_form_is_left_without_a_question(browser, newsroom):
    base, _ = newsroom
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(base + ADD)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    page.goto(base + "/admin/")

    assert dialogs == []
    assert page.url == base + "/admin/"


def test_input_typed_before_a_session_loss_is_offered_back_and_gone_after_the_save(browser, newsroom):
    base, _ = newsroom
    page = logged_in_page(browser, base, "redakteurin")
    context = page.context
    page.goto(base + ADD)
    page.fill("#id_topline", "Gipfel in Paris")
    page.fill("#id_title", "Was die Koalition der Willigen plant")
    page.fill("#id_teaser", "In Paris beraten die Unterstützer der Ukraine.")
    page.get_by_text("Frage hinzufügen", exact=True).click()
    page.fill("#id_faq_items-0-question", "Worüber wird beraten?")
    rich_text(page, "id_intro").click()
    page.keyboard.type("Die Lage vor dem Gipfel.")
    page.wait_for_timeout(700)  # the copy is written shortly after typing stops

    # The session expires (or the tab crashes): the next visit starts from the login page.
    context.clear_cookies()
    page.close()
    again = context.new_page()
    again.goto(base + ADD)
    again.fill("#id_username", "redakteurin")
    again.fill("#id_password", PASSWORD)
    again.click("input[type=submit]")
    again.wait_for_url(re.compile(r".*/article/add/$"))

    again.get_by_text("Nicht gesicherte Eingaben wiederherstellen?").wait_for()
    again.get_by_role("button", name="Wiederherstellen").click()
    assert again.input_value("#id_title") == "Was die Koalition der Willigen plant"
    assert again.input_value("#id_faq_items-0-question") == "Worüber wird beraten?"
    assert rich_text(again, "id_intro").inner_text() == "Die Lage vor dem Gipfel."  # the editor shows it too
    assert again.get_by_role("status").filter(has_text="Eingaben wiederhergestellt").is_visible()

    again.select_option("#id_kind", "faq")
    rich_text(again, "id_faq_items-0-answer").click()
    again.keyboard.type("Über eine Waffenruhe.")
    again.click("input[name=_save]")
    again.wait_for_url(re.compile(r".*/newsroom/article/$"))
    assert Article.objects.get().title == "Was die Koalition der Willigen plant"
    assert Article.objects.get().intro == "<p>Die Lage vor dem Gipfel.</p>"

    # Saved: the copy is gone, the next new article starts empty and asks nothing.
    again.goto(base + ADD)
    assert again.get_by_text("Nicht gesicherte Eingaben wiederherstellen?").count() == 0
    assert again.input_value("#id_title") == ""


def test_a_poster_survives_a_validation_error(browser, newsroom, tmp_path):
    from media_clips.models import VideoClip

    base, _ = newsroom
    poster = tmp_path / "walde-paris.jpg"
    poster.write_bytes(image_file("walde-paris.jpg", size=(1280, 720)).read())
    page = logged_in_page(browser, base, "cvd")
    page.goto(base + "/admin/media_clips/videoclip/add/")
    page.fill("#id_title", "Walde ordnet ein")
    page.fill("#id_poster_alt", "Thomas Walde vor dem Tagungsort")
    page.fill("#id_description", "ZDF-Korrespondent Thomas Walde ordnet ein.")
    page.fill("#id_duration", "knapp zwei Minuten")
    page.set_input_files("#id_poster", str(poster))
    page.click("input[name=_save]")  # the duration is no duration

    page.locator(".errornote").wait_for()
    assert page.get_by_text("„walde-paris.jpg“ ist gewählt und wird beim Sichern übernommen").is_visible()
    page.fill("#id_duration", "00:01:46")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r".*/videoclip/$"))

    clip = VideoClip.objects.get(title="Walde ordnet ein")
    assert clip.poster and (clip.poster_width, clip.poster_height) == (1280, 720)


def test_publishing_an_article_with_a_placeholder_needs_the_confirmation(browser, newsroom):
    base, _ = newsroom
    article = ArticleFactory(draft=True, title="Was beschlossen wurde")
    FAQItemFactory(article=article, clip=VideoClipFactory(poster_is_placeholder=True))
    page = logged_in_page(browser, base, "cvd")
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    assert page.get_by_text("Dieser Artikel zeigt Platzhalter-Bilder").is_visible()

    page.get_by_role("button", name="Veröffentlichen", exact=True).click()

    page.get_by_role("heading", name="Mit Platzhalter-Bild veröffentlichen?").wait_for()
    assert article not in Article.objects.published()
    page.get_by_role("button", name="Trotzdem veröffentlichen").click()
    page.wait_for_url(re.compile(rf".*/article/{article.pk}/change/$"))
    assert article in Article.objects.published()


def test_axe_finds_no_wcag_violations_on_the_desk(browser, newsroom):
    from axe_playwright_python.sync_playwright import Axe

    base, clip = newsroom
    article = ArticleFactory(draft=True, hero_clip=clip)
    live = ArticleFactory(title="Online mit Termin")
    FAQItemFactory(article=article, clip=VideoClipFactory(poster_is_placeholder=True))
    from django.contrib.auth import get_user_model

    from newsroom.services import correction_propose

    live.title = "Online mit Korrektur"
    correction = correction_propose(
        article=live, user=get_user_model().objects.get(username="redakteurin"), objects=[live]
    )
    page = logged_in_page(browser, base, "cvd")
    screens = {
        "Artikel anlegen": ADD,
        "Artikel ändern": f"/admin/newsroom/article/{article.pk}/change/",
        "Übersicht": "/admin/",
        "Kalender": "/admin/newsroom/article/kalender/",
        "Zurückziehen": f"/admin/newsroom/article/{live.pk}/zurueckziehen/",
        "Clip anlegen": "/admin/media_clips/videoclip/add/",
        "Korrekturvorschlag prüfen": f"/admin/newsroom/article/{live.pk}/korrektur/{correction.pk}/",
    }
    axe = Axe()
    reports = []
    for name, path in screens.items():
        page.goto(base + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            reports.append(f"{name} ({path}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)


def test_the_live_preview_shows_an_unsaved_title_within_two_seconds_and_saves_nothing(browser, newsroom):
    base, _ = newsroom
    article = ArticleFactory(draft=True, title="Der gesicherte Titel")
    FAQItemFactory(article=article)
    updated_at = article.updated_at
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    page.get_by_role("button", name="Live-Vorschau").click()
    frame = page.frame_locator("iframe.live-preview__frame")
    frame.locator("h1").filter(has_text="Der gesicherte Titel").wait_for(timeout=2000)

    page.fill("#id_title", "Der neue, ungesicherte Titel")
    frame.locator("h1").filter(has_text="Der neue, ungesicherte Titel").wait_for(timeout=2000)
    page.get_by_role("button", name="Handy").click()
    assert page.locator("iframe.live-preview__frame").evaluate("frame => frame.getBoundingClientRect().width") == 390

    article.refresh_from_db()
    assert (article.title, article.updated_at) == ("Der gesicherte Titel", updated_at)


def questions_in_order(article):
    return list(article.faq_items.order_by("position").values_list("question", flat=True))


def test_a_question_dragged_to_first_place_is_first_on_the_page(browser, newsroom):
    from django.urls import reverse

    from newsroom.preview import preview_token

    base, _ = newsroom
    article = three_questions()
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")

    # The mouse takes the third question's handle and lets go at the top of the first question.
    handle = page.locator("#faq_items-2 .inline-order-handle")
    handle.hover()
    page.mouse.down()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] - 30, steps=5)
    page.locator("#faq_items-0 > h3").hover(position={"x": 20, "y": 2})
    page.mouse.up()
    labels = page.locator("#faq_items-group .inline-related:not(.empty-form) > h3 .inline_label")
    assert [label.strip() for label in labels.all_inner_texts()] == [
        "Wie geht es weiter?",
        "Was ist passiert?",
        "Wer ist dabei?",
    ]
    assert page.get_by_role("status").filter(has_text="Frage ist jetzt an Stelle 1.").count() == 1
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    assert questions_in_order(article) == ["Wie geht es weiter?", "Was ist passiert?", "Wer ist dabei?"]
    article.refresh_from_db()
    page.goto(base + reverse("newsroom:preview", args=[preview_token(article)]))
    assert page.locator("main h2:not(#toc-heading)").all_inner_texts()[:3] == [
        "Wie geht es weiter?",
        "Was ist passiert?",
        "Wer ist dabei?",
    ]


def test_the_same_reorder_with_the_keyboard_alone(browser, newsroom):
    base, _ = newsroom
    article = three_questions()
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")

    up = page.locator("#faq_items-2").get_by_role("button", name="↑ Nach oben")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")  # the focus stays on the moved row's button
    assert page.get_by_role("status").filter(has_text="Frage ist jetzt an Stelle 1.").count() == 1
    page.locator("input[name=_continue]").focus()
    page.keyboard.press("Enter")
    page.locator(".messagelist .success").wait_for()

    assert questions_in_order(article) == ["Wie geht es weiter?", "Was ist passiert?", "Wer ist dabei?"]


def test_the_anchor_waits_behind_the_sprungmarke_disclosure(browser, newsroom):
    base, _ = newsroom
    article = three_questions()
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")

    anchor = page.locator("#id_faq_items-0-anchor")
    assert anchor.is_hidden()
    page.locator("#faq_items-0 summary").filter(has_text="Sprungmarke").click()
    assert anchor.is_visible() and anchor.input_value() == article.faq_items.get(position=0).anchor


def test_the_clip_chooser_shows_posters_dates_and_durations_and_axe_finds_nothing(browser, newsroom):
    from axe_playwright_python.sync_playwright import Axe

    from media_clips.services import renditions_refresh

    base, clip = newsroom
    renditions_refresh(obj=clip, field_name="poster")
    VideoClipFactory(title="Wetter am Wochenende", poster_is_placeholder=True)
    page = logged_in_page(browser, base, "redakteurin")
    page.goto(base + ADD)

    page.locator(".field-hero_clip .select2-selection").click()
    page.locator(".select2-search__field").fill("06.01.2026")
    choice = page.locator(".select2-results__option .clip-choice").filter(has_text="Thomas Walde ordnet ein")
    choice.wait_for()
    assert choice.locator(".clip-choice__meta").inner_text() == "06.01.2026 · 1:46 min"
    poster = choice.locator("img.clip-choice__poster")
    assert poster.evaluate("image => image.complete && image.naturalWidth > 0")
    assert page.locator(".clip-choice").filter(has_text="Wetter am Wochenende").get_by_text("Platzhalter-Bild").count()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert not results.violations_count, results.generate_report()

    choice.click()
    assert page.locator("#id_hero_clip").input_value() == str(clip.pk)
    assert page.locator(".field-hero_clip .select2-selection__rendered").inner_text().strip().endswith(str(clip))
    assert page.locator("#add_id_hero_clip").is_visible()  # "+": a new clip without leaving the form
