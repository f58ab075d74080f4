"""The editor journey in a real browser: write, review, preview without login, publish, read, conflict."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model

from newsroom.models import Article
from newsroom.roles import CHEF_VOM_DIENST, REDAKTION, role_group
from tests.factories import VideoClipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Sehr-geheim-2026"


@pytest.fixture
def newsroom(browser, live_server):
    users = {}
    for username, role in (("redakteurin", REDAKTION), ("cvd", CHEF_VOM_DIENST)):
        user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(role_group(role))
        users[username] = user
    clip = VideoClipFactory(
        title="Thomas Walde ordnet ein",
        poster_alt="Thomas Walde vor dem Tagungsort in Paris",
        description="ZDF-Korrespondent Thomas Walde ordnet ein.",
        duration=dt.timedelta(minutes=1, seconds=52),
    )
    return live_server.url, clip


def logged_in_page(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def rich_text(page, field_id):
    """The editing area of the rich text editor that stands for the textarea ``field_id``."""
    return page.locator(f".prose-editor:has(#{field_id}) .ProseMirror")


def toolbar(page, field_id, name):
    return page.locator(f".prose-editor:has(#{field_id}) .prose-menubar__button[data-name='{name}']")


def select_back(page, characters):
    for _ in range(characters):
        page.keyboard.press("Shift+ArrowLeft")


def in_editor(page):
    """Wait until the editor has the focus back after a toolbar click."""
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('ProseMirror')")


def write_formatted_answer(page, field_id):
    """Bold, a bulleted list and a link, with the toolbar: no HTML typed anywhere."""
    rich_text(page, field_id).click()
    page.keyboard.type("Über eine Waffenruhe und ihre ")
    toolbar(page, field_id, "bold").click()  # bold on for what follows
    in_editor(page)
    page.keyboard.type("Absicherung.")
    toolbar(page, field_id, "bold").click()  # and off again
    in_editor(page)
    page.keyboard.press("Enter")
    toolbar(page, field_id, "bulletList").click()
    rich_text(page, field_id).locator("li").wait_for()
    in_editor(page)
    page.keyboard.type("Waffenruhe")
    page.keyboard.press("Enter")
    page.keyboard.type("Schutztruppe")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    page.keyboard.type("Mehr im Liveblog")
    select_back(page, len("Liveblog"))
    toolbar(page, field_id, "link").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill("https://www.zdfheute.de/liveblog-paris")
    dialog.get_by_role("button", name="Aktualisieren").click()


def test_write_review_preview_publish_and_read(browser, newsroom):
    base, clip = newsroom
    editor = logged_in_page(browser, base, "redakteurin")

    # A "Redaktion" user writes an explainer with two questions and a clip, then orders them.
    editor.goto(f"{base}/admin/newsroom/article/add/")
    editor.select_option("#id_kind", "faq")
    editor.fill("#id_topline", "Gipfel in Paris")
    editor.fill("#id_title", "Was die Koalition der Willigen plant")
    editor.fill("#id_teaser", "In Paris beraten die Unterstützer der Ukraine über Sicherheitsgarantien.")
    assert editor.input_value("#id_slug") == "was-die-koalition-der-willigen-plant"  # prepopulated by the admin
    for _ in range(2):
        editor.get_by_text("Frage hinzufügen", exact=True).click()
    editor.fill("#id_faq_items-0-question", "Worüber wird beraten?")
    write_formatted_answer(editor, "id_faq_items-0-answer")
    editor.fill("#id_faq_items-1-question", "Wer nimmt teil?")
    rich_text(editor, "id_faq_items-1-answer").click()
    editor.keyboard.type("Delegationen aus 35 Staaten.")
    # The clip comes from the autocomplete field after the first answer.
    editor.locator("#faq_items-0 .select2-selection").click()
    editor.locator(".select2-search__field").fill("Walde")
    editor.locator(".select2-results__option", has_text="Thomas Walde ordnet ein").click()
    editor.click("input[name=_continue]")
    editor.wait_for_url(re.compile(r".*/admin/newsroom/article/\d+/change/$"))
    article = Article.objects.get()
    assert [item.question for item in article.faq_items.all()] == ["Worüber wird beraten?", "Wer nimmt teil?"]
    assert article.faq_items.first().clip == clip
    # Stored as the allow-list's HTML, and the form shows it formatted, not as tags.
    assert article.faq_items.first().answer == (
        "<p>Über eine Waffenruhe und ihre <strong>Absicherung.</strong></p>"
        "<ul><li><p>Waffenruhe</p></li><li><p>Schutztruppe</p></li></ul>"
        '<p>Mehr im <a href="https://www.zdfheute.de/liveblog-paris" rel="noopener noreferrer">Liveblog</a></p>'
    )
    answer = rich_text(editor, "id_faq_items-0-answer")
    assert answer.locator("strong").inner_text() == "Absicherung."
    assert answer.locator("li").all_inner_texts() == ["Waffenruhe", "Schutztruppe"]
    assert answer.locator("a").get_attribute("href") == "https://www.zdfheute.de/liveblog-paris"
    assert "<p>" not in answer.inner_text()
    # She adds a third question and moves it to the top, with the keyboard alone.
    editor.get_by_text("Frage hinzufügen", exact=True).click()
    editor.fill("#id_faq_items-2-question", "Was kostet das?")
    rich_text(editor, "id_faq_items-2-answer").click()
    editor.keyboard.type("Viele Milliarden.")
    editor.locator("#faq_items-2").get_by_role("button", name="↑ Nach oben").focus()
    editor.keyboard.press("Enter")
    editor.keyboard.press("Enter")
    editor.click("input[name=_continue]")
    editor.locator(".messagelist .success").wait_for()
    questions = ["Was kostet das?", "Worüber wird beraten?", "Wer nimmt teil?"]
    assert [item.question for item in article.faq_items.all()] == questions
    # The live preview beside the form shows the page with an unsaved change.
    editor.get_by_role("button", name="Live-Vorschau").click()
    editor.fill("#id_topline", "Gipfel in Paris (Entwurf)")
    frame = editor.frame_locator("iframe.live-preview__frame")
    frame.locator("h1").filter(has_text="Gipfel in Paris (Entwurf)").wait_for(timeout=2000)
    editor.fill("#id_topline", "Gipfel in Paris")
    editor.get_by_role("button", name="Live-Vorschau").click()
    # She cannot publish, but she can send it to review.
    assert editor.get_by_role("button", name="Veröffentlichen").count() == 0
    editor.get_by_role("button", name="Zur Prüfung geben").click()
    editor.wait_for_selector("#workflow-heading")
    assert "In Prüfung" in editor.locator("#workflow-heading").inner_text()

    # The duty editor makes a preview link and opens it without an account.
    duty = logged_in_page(browser, base, "cvd")
    duty.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    duty.get_by_role("link", name="Vorschau").click()
    preview_url = duty.input_value("#preview-url")
    stranger = browser.new_context(locale="de-DE").new_page()
    stranger.goto(preview_url)
    assert "Vorschau" in stranger.locator("body").inner_text()
    assert stranger.locator("h2#worueber-wird-beraten").inner_text() == "Worüber wird beraten?"
    assert stranger.locator("img[alt='Thomas Walde vor dem Tagungsort in Paris']").count() == 1
    # Not yet public.
    reader = browser.new_context(locale="de-DE").new_page()
    assert reader.goto(f"{base}{article.get_absolute_url()}").status == 404

    # Then publishes it; a reader sees it.
    duty.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    duty.get_by_role("button", name="Veröffentlichen").click()
    duty.wait_for_selector("#workflow-heading")
    assert "Veröffentlicht" in duty.locator("#workflow-heading").inner_text()
    response = reader.goto(f"{base}{article.get_absolute_url()}")
    assert response.status == 200
    assert reader.locator("h1").inner_text().replace("\n", "") == "Gipfel in Paris:Was die Koalition der Willigen plant"
    assert reader.locator("h2.faq-item__question").all_inner_texts() == questions
    assert reader.locator("main a[href='https://www.zdfheute.de/liveblog-paris']").inner_text() == "Liveblog"
    assert "Vorschau" not in reader.locator("main").inner_text()

    # Live now, so she proposes a correction; the page stays as it is until the duty editor applies it.
    editor.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    editor.get_by_role("link", name="Korrektur vorschlagen").click()
    editor.fill("#id_teaser", "In Paris beraten 35 Unterstützer der Ukraine über Sicherheitsgarantien.")
    editor.get_by_role("button", name="Korrektur vorschlagen").click()
    editor.locator(".messagelist .success").wait_for()
    reader.reload()
    assert "35 Unterstützer" not in reader.locator("main").inner_text()
    duty.goto(f"{base}/admin/")  # "Korrekturvorschläge" on the dashboard leads to the comparison
    duty.locator("#redaktion-uebersicht li", has_text="Offen, vorgeschlagen").get_by_role("link").click()
    assert "35 Unterstützer" in duty.locator(".revision-compare").first.inner_text()
    duty.get_by_role("button", name="Übernehmen (sofort online)").click()
    duty.locator(".messagelist .success").wait_for()
    reader.reload()
    assert "In Paris beraten 35 Unterstützer der Ukraine" in reader.locator("main").inner_text()


def test_conflicting_saves_end_in_the_conflict_message_with_nothing_lost(browser, newsroom):
    base, _ = newsroom
    article = Article.objects.create(topline="Gipfel", title="Ein Entwurf", slug="ein-entwurf", teaser="Alt.")
    change = f"{base}/admin/newsroom/article/{article.pk}/change/"
    first = logged_in_page(browser, base, "cvd")
    second = logged_in_page(browser, base, "redakteurin")
    first.goto(change)
    second.goto(change)

    first.fill("#id_teaser", "Der Teaser vom Chef vom Dienst.")
    first.click("input[name=_continue]")
    first.wait_for_selector(".messagelist .success")

    second.fill("#id_teaser", "Der Teaser der Redakteurin.")
    second.fill("#id_title", "Ein besserer Entwurf")
    second.click("input[name=_continue]")
    second.wait_for_selector(".errornote, .errorlist")
    assert "Dieser Artikel wurde inzwischen von cvd am" in second.locator("#content").inner_text()
    # Her input is still there, nothing was overwritten, and the difference is one click away.
    assert second.input_value("#id_teaser") == "Der Teaser der Redakteurin."
    assert second.input_value("#id_title") == "Ein besserer Entwurf"
    article.refresh_from_db()
    assert article.teaser == "Der Teaser vom Chef vom Dienst."
    assert second.get_by_role("link", name="Änderungen ansehen").count() == 1
