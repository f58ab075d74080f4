"""Revisions: every save is one revision; history, side-by-side comparison and restore in the admin."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from faq.models import FAQItem
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention
from newsroom.revisions import BASELINE_COMMENT, add_article_to_revision, record_revision
from newsroom.services import article_import, article_publish, article_submit
from tests.adminforms import admin_form_data
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:newsroom_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:newsroom_article_history", args=[article.pk])


def compare_url(article, old, new=None):
    query = f"?from={old.pk}" + (f"&to={new.pk}" if new else "")
    return reverse("admin:newsroom_article_revision_compare", args=[article.pk]) + query


def restore_url(article, version):
    return reverse("admin:newsroom_article_revision_restore", args=[article.pk, version.pk])


def versions(article):
    """The article's versions, oldest first."""
    return list(Version.objects.get_for_object(article).select_related("revision").order_by("pk"))


def contents(revision):
    """What a revision holds: {model: {pk: field_dict}}."""
    held = {}
    for version in revision.version_set.all():
        held.setdefault(version.content_type.model_class(), {})[int(version.object_id)] = version.field_dict
    return held


def save_revision(article, comment, user=None):
    with record_revision(user=user, comment=comment):
        add_article_to_revision(article)
    return versions(article)[-1]


def field_named(form, value):
    return next(name for name, current in form.items() if current == value)


@pytest.fixture
def explainer():
    article = ArticleFactory(draft=True, title="Wie die Koalition einen Frieden absichern will")
    FAQItemFactory(
        article=article,
        position=0,
        question="Worüber wird beraten?",
        anchor="worueber-wird-beraten",
        answer="<p>Die Gespräche beginnen am Dienstag.</p>",
    )
    FAQItemFactory(
        article=article, position=1, question="Wer ist dabei?", anchor="wer-ist-dabei", answer="<p>35 Staaten.</p>"
    )
    ArticleLiveblogLinkFactory(article=article, lead_in="Alles Weitere im Liveblog:")
    BroadcastMentionFactory(article=article, show="heute journal update")
    return article


# Recording


def test_one_admin_save_with_inline_edits_is_one_revision_with_the_user_and_all_children(
    admin_client, admin_user, explainer
):
    save_revision(explainer, "Angelegt")
    form = admin_form_data(admin_client.get(change_url(explainer)).content.decode())
    form["title"] = "Wie ein Frieden abgesichert werden soll"
    form[field_named(form, "<p>Die Gespräche beginnen am Dienstag.</p>")] = "<p>Die Gespräche beginnen am Mittwoch.</p>"
    second = explainer.faq_items.get(position=1)
    id_field = next(
        name for name, value in form.items() if re.fullmatch(r"faq_items-\d+-id", name) and value == str(second.pk)
    )
    form[id_field.replace("-id", "-DELETE")] = "on"
    total = int(form["faq_items-TOTAL_FORMS"])
    form.update(
        {
            f"faq_items-{total}-position": "2",
            f"faq_items-{total}-question": "Was kostet das?",
            f"faq_items-{total}-answer": "<p>Viel.</p>",
            f"faq_items-{total}-anchor": "",
            "faq_items-TOTAL_FORMS": str(total + 1),
        }
    )

    response = admin_client.post(change_url(explainer), form)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Revision.objects.count() == 2
    revision = versions(explainer)[-1].revision
    assert revision.user == admin_user
    assert revision.comment.startswith("Titel geändert.")
    assert "Frage „Was kostet das?“ hinzugefügt." in revision.comment
    assert "Frage „Wer ist dabei?“ gelöscht." in revision.comment
    held = contents(revision)
    assert held[Article][explainer.pk]["title"] == "Wie ein Frieden abgesichert werden soll"
    questions = {fields["question"]: fields for fields in held[FAQItem].values()}
    assert set(questions) == {"Worüber wird beraten?", "Was kostet das?"}
    assert questions["Worüber wird beraten?"]["answer"] == "<p>Die Gespräche beginnen am Mittwoch.</p>"
    assert questions["Was kostet das?"]["anchor"] == "was-kostet-das"
    assert len(held[ArticleLiveblogLink]) == 1 and len(held[BroadcastMention]) == 1


def test_an_article_from_before_revisions_keeps_its_earlier_state_when_first_saved(admin_client, explainer):
    form = admin_form_data(admin_client.get(change_url(explainer)).content.decode())
    form["title"] = "Ein neuer Titel"

    assert admin_client.post(change_url(explainer), form).status_code == 302

    baseline, saved = versions(explainer)
    assert baseline.revision.comment == BASELINE_COMMENT
    assert baseline.field_dict["title"] == "Wie die Koalition einen Frieden absichern will"
    assert len(contents(baseline.revision)[FAQItem]) == 2
    assert saved.field_dict["title"] == "Ein neuer Titel"


def test_workflow_transitions_record_a_revision_each_with_their_comment(admin_user, explainer):
    save_revision(explainer, "Angelegt")

    article_submit(article=explainer, user=admin_user)
    article_publish(article=explainer, user=admin_user)
    article_publish(article=ArticleFactory(draft=True), user=admin_user, at=timezone.now() + dt.timedelta(days=1))

    first, submitted, published = versions(explainer)
    assert submitted.revision.comment == "Zur Prüfung gegeben"
    assert submitted.revision.user == admin_user
    assert submitted.field_dict["status"] == Article.Status.REVIEW
    assert published.revision.comment == "Veröffentlicht"
    assert published.field_dict["status"] == Article.Status.PUBLISHED
    # The whole article with its children, not just the status.
    assert len(contents(published.revision)[FAQItem]) == 2
    scheduled = Revision.objects.order_by("pk").last()
    assert scheduled.comment.startswith("Veröffentlichung geplant für ")


def test_a_refused_transition_records_nothing(django_user_model, explainer):
    editor = django_user_model.objects.create_user("redakteurin", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))

    with pytest.raises(PermissionDenied):
        article_publish(article=explainer, user=editor)

    # Not even the baseline an article from before revisions gets on its first change.
    assert not Revision.objects.exists()


def test_a_workflow_button_in_the_admin_records_a_revision(admin_client, admin_user, explainer):
    save_revision(explainer, "Angelegt")

    response = admin_client.post(reverse("admin:newsroom_article_submit", args=[explainer.pk]))

    assert response.status_code == 302
    *_, submitted = versions(explainer)
    assert (submitted.revision.comment, submitted.revision.user) == ("Zur Prüfung gegeben", admin_user)


def test_adding_an_article_in_the_admin_is_its_first_revision(admin_client, admin_user):
    form = admin_form_data(admin_client.get(reverse("admin:newsroom_article_add")).content.decode())
    form.update(
        {
            "topline": "Gipfel in Paris",
            "title": "Wie ein Frieden abgesichert werden soll",
            "slug": "wie-ein-frieden-abgesichert-werden-soll",
            "teaser": "Die Unterstützer der Ukraine beraten in Paris.",
            "faq_items-TOTAL_FORMS": "1",
            "faq_items-0-position": "0",
            "faq_items-0-question": "Worüber wird beraten?",
            "faq_items-0-answer": "<p>Über Garantien.</p>",
            "faq_items-0-anchor": "",
        }
    )

    assert admin_client.post(reverse("admin:newsroom_article_add"), form).status_code == 302

    (version,) = versions(Article.objects.get())
    assert version.revision.user == admin_user
    assert version.revision.comment == "Hinzugefügt. Frage „Worüber wird beraten?“ hinzugefügt."
    assert len(contents(version.revision)[FAQItem]) == 1


def test_an_import_is_one_revision_with_every_question(admin_user, settings):
    text = (settings.BASE_DIR / "newsroom" / "demo" / "explainer-paris-gipfel.txt").read_text(encoding="utf-8")

    article = article_import(text=text, user=admin_user).article

    (version,) = versions(article)
    assert version.revision.comment == "Aus Text importiert"
    assert version.revision.user == admin_user
    held = contents(version.revision)
    assert len(held[FAQItem]) == article.faq_items.count() > 0
    assert len(held[BroadcastMention]) == article.broadcast_mentions.count() > 0
    assert len(held[ArticleLiveblogLink]) == article.liveblog_placements.count() > 0


def test_a_list_action_records_one_revision_per_article(admin_client, admin_user):
    articles = [ArticleFactory(draft=True), ArticleFactory(draft=True)]

    response = admin_client.post(
        reverse("admin:newsroom_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk for article in articles]},
    )

    assert response.status_code == 302
    for article in articles:
        *_, published = versions(article)
        assert published.revision.comment == "Veröffentlicht"
        assert published.revision.user == admin_user
        assert set(contents(published.revision)[Article]) == {article.pk}


def test_createinitialrevisions_gives_existing_articles_a_first_revision(explainer):
    call_command("createinitialrevisions", "newsroom.Article", comment="Ausgangsfassung", verbosity=0)

    (version,) = versions(explainer)
    assert version.revision.comment == "Ausgangsfassung"
    assert len(contents(version.revision)[FAQItem]) == 2


# The history page


def test_the_history_page_lists_revisions_newest_first_with_author_time_and_comment(
    admin_client, admin_user, explainer
):
    admin_user.first_name, admin_user.last_name = "Anna", "Schmidt"
    admin_user.save()
    first = save_revision(explainer, "Angelegt")
    second = save_revision(explainer, "Teaser gekürzt", user=admin_user)
    Revision.objects.filter(pk=first.revision_id).update(
        date_created=timezone.make_aware(dt.datetime(2026, 1, 6, 9, 15))
    )

    response = admin_client.get(history_url(explainer))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Teaser gekürzt") < html.index("Angelegt")
    assert "admin (Anna Schmidt)" in html
    assert "06.01.2026, 09:15 Uhr" in html
    assert compare_url(explainer, second).replace("&", "&amp;") in html
    assert compare_url(explainer, first, second).replace("&", "&amp;") in html
    assert "mit aktueller Fassung vergleichen" in html
    assert 'name="from"' in html and 'name="to"' in html


def test_the_history_page_runs_the_same_queries_for_two_or_twelve_revisions(admin_client, admin_user, explainer):
    def queries_for_history():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(history_url(explainer)).status_code == 200
        return len(queries)

    for number in range(2):
        save_revision(explainer, f"Fassung {number}", user=admin_user)
    few = queries_for_history()
    for number in range(10):
        save_revision(explainer, f"Weitere Fassung {number}", user=admin_user)

    assert queries_for_history() == few


def test_the_history_page_of_an_article_without_revisions_says_so(admin_client, explainer):
    html = admin_client.get(history_url(explainer)).content.decode()

    assert "noch keine Fassung gespeichert" in html


def test_the_change_form_links_to_the_history(admin_client, explainer):
    assert history_url(explainer) in admin_client.get(change_url(explainer)).content.decode()


def test_reversions_revert_form_shows_the_comparison_instead(admin_client, explainer):
    version = save_revision(explainer, "Angelegt")

    response = admin_client.get(reverse("admin:newsroom_article_revision", args=[explainer.pk, version.pk]))

    assert response.status_code == 302
    assert response.url == compare_url(explainer, version)


# The comparison


def _section(html, heading):
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return html[start : end if end != -1 else None]


def test_compare_shows_a_changed_answer_question_by_question_with_ins_and_del(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    FAQItem.objects.filter(question="Worüber wird beraten?").update(
        answer="<p>Die Gespräche beginnen am <strong>Mittwoch</strong>.</p>"
    )
    FAQItem.objects.filter(question="Wer ist dabei?").delete()
    FAQItemFactory(article=explainer, position=2, question="Was kostet das?", answer="<p>Viel.</p>")
    Article.objects.filter(pk=explainer.pk).update(teaser="Ein neuer Teaser.")
    new = save_revision(explainer, "Bearbeitet")

    response = admin_client.get(compare_url(explainer, old, new))

    assert response.status_code == 200
    html = response.content.decode()
    article_table = html[: html.index("<h2>Fragen und Antworten</h2>")]
    assert "Ein <del>Teaser, der den Artikel in einem Satz zusammenfasst.</del>" in article_table
    assert "Ein <ins>neuer Teaser.</ins>" in article_table
    questions = _section(html, "Fragen und Antworten")
    changed = questions[questions.index("Worüber wird beraten?") : questions.index("Wer ist dabei?")]
    assert "geändert" in changed
    # Removed words struck through on the left, added ones (markup shown as text) on the right.
    assert "&lt;p&gt;Die Gespräche beginnen am <del>Dienstag.</del>&lt;/p&gt;" in changed
    assert "&lt;p&gt;Die Gespräche beginnen am <ins>&lt;strong&gt;Mittwoch&lt;/strong&gt;.</ins>&lt;/p&gt;" in changed
    removed = questions[questions.index("Wer ist dabei?") : questions.index("Was kostet das?")]
    assert "entfernt" in removed and "<del>&lt;p&gt;35 Staaten.&lt;/p&gt;</del>" in removed
    added = questions[questions.index("Was kostet das?") :]
    assert "neu" in added and "<ins>&lt;p&gt;Viel.&lt;/p&gt;</ins>" in added
    assert "Alle Entwicklungen im Liveblog" in _section(html, "Liveblog-Verweise")
    assert "unverändert" in _section(html, "Liveblog-Verweise")
    assert "heute journal update" in _section(html, "Sendungshinweise")


def test_compare_escapes_what_editors_typed(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    FAQItem.objects.filter(question="Wer ist dabei?").update(question="Wer ist <script>alert(1)</script> dabei?")

    html = admin_client.get(compare_url(explainer, old)).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_compare_matches_a_question_by_its_anchor_when_it_was_deleted_and_added_again(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    FAQItem.objects.filter(anchor="wer-ist-dabei").delete()
    FAQItemFactory(article=explainer, position=1, question="Wer ist denn dabei?", anchor="wer-ist-dabei")

    html = admin_client.get(compare_url(explainer, old)).content.decode()

    questions = _section(html, "Fragen und Antworten")
    assert "entfernt" not in questions and 'class="state">neu<' not in questions
    assert "Wer ist <ins>denn </ins>dabei?" in questions


def test_compare_puts_the_older_revision_on_the_left_and_offers_restore(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    Article.objects.filter(pk=explainer.pk).update(source="AFP")
    new = save_revision(explainer, "Quelle")

    html = admin_client.get(compare_url(explainer, new, old)).content.decode()

    assert html.index("<del>dpa</del>") < html.index("<ins>AFP</ins>")
    assert restore_url(explainer, old) in html and restore_url(explainer, new) in html
    assert "Diese Fassung wiederherstellen" in html


def test_compare_with_unknown_or_foreign_versions_is_not_found(admin_client, explainer):
    save_revision(explainer, "Angelegt")
    foreign = save_revision(ArticleFactory(), "Anderer Artikel")
    url = reverse("admin:newsroom_article_revision_compare", args=[explainer.pk])

    assert admin_client.get(f"{url}?from={foreign.pk}").status_code == 404
    assert admin_client.get(f"{url}?from=abc").status_code == 404
    assert admin_client.get(url).status_code == 302


# Restoring


def test_restore_brings_back_the_earlier_questions_as_a_new_revision_and_can_be_undone(
    admin_client, admin_user, explainer
):
    first = save_revision(explainer, "Angelegt")
    form = admin_form_data(admin_client.get(change_url(explainer)).content.decode())
    form[field_named(form, "<p>Die Gespräche beginnen am Dienstag.</p>")] = "<p>Die Gespräche beginnen am Mittwoch.</p>"
    total = int(form["faq_items-TOTAL_FORMS"])
    form.update(
        {
            f"faq_items-{total}-position": "2",
            f"faq_items-{total}-question": "Was kostet das?",
            f"faq_items-{total}-answer": "<p>Viel.</p>",
            f"faq_items-{total}-anchor": "",
            "faq_items-TOTAL_FORMS": str(total + 1),
        }
    )
    assert admin_client.post(change_url(explainer), form).status_code == 302
    edited = versions(explainer)[-1]
    added = FAQItem.objects.get(question="Was kostet das?")

    response = admin_client.post(restore_url(explainer, first))

    assert response.status_code == 302 and response.url == change_url(explainer)
    assert sorted(explainer.faq_items.values_list("question", "answer")) == [
        ("Wer ist dabei?", "<p>35 Staaten.</p>"),
        ("Worüber wird beraten?", "<p>Die Gespräche beginnen am Dienstag.</p>"),
    ]
    restored = versions(explainer)[-1]
    assert restored.revision.comment.startswith("Fassung vom ")
    assert restored.revision.comment.endswith(" wiederhergestellt")
    assert restored.revision.user == admin_user
    assert "Was kostet das?" not in {fields["question"] for fields in contents(restored.revision)[FAQItem].values()}
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("wiederhergestellt und als neue Fassung gespeichert" in message for message in messages)

    # Restoring is itself undoable: the revision before the restore brings the edit back.
    admin_client.post(restore_url(explainer, edited))

    assert explainer.faq_items.get(pk=added.pk).answer == "<p>Viel.</p>"
    assert explainer.faq_items.get(question="Worüber wird beraten?").answer == (
        "<p>Die Gespräche beginnen am Mittwoch.</p>"
    )
    # Nothing an editor saved is lost: every revision is still there.
    assert [version.pk for version in versions(explainer)[:3]] == [first.pk, edited.pk, restored.pk]
    assert len(versions(explainer)) == 4


def test_restore_keeps_status_and_schedule(admin_client, explainer):
    draft = save_revision(explainer, "Entwurf")
    live_since = timezone.now() - dt.timedelta(hours=2)
    Article.objects.filter(pk=explainer.pk).update(
        status=Article.Status.PUBLISHED, publish_at=live_since, first_published_at=live_since, title="Neuer Titel"
    )

    admin_client.post(restore_url(explainer, draft))

    explainer.refresh_from_db()
    assert explainer.title == "Wie die Koalition einen Frieden absichern will"
    assert explainer.status == Article.Status.PUBLISHED
    assert explainer.publish_at == live_since
    assert Article.objects.published().filter(pk=explainer.pk).exists()


def test_restore_stamps_the_change_for_pages_and_caches(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    before = timezone.now()

    admin_client.post(restore_url(explainer, old))

    explainer.refresh_from_db()
    assert explainer.updated_at >= before
    assert all(item.updated_at >= before for item in explainer.faq_items.all())


def test_restore_with_swapped_anchors_keeps_one_anchor_per_question(admin_client, explainer):
    old = save_revision(explainer, "Angelegt")
    first, second = explainer.faq_items.order_by("position")
    FAQItem.objects.filter(pk=first.pk).update(anchor="zwischenstand")
    FAQItem.objects.filter(pk=second.pk).update(anchor="worueber-wird-beraten")
    FAQItem.objects.filter(pk=first.pk).update(anchor="wer-ist-dabei")
    FAQItemFactory(article=explainer, question="Später?", anchor="spaeter")
    save_revision(explainer, "Sprungmarken getauscht")

    response = admin_client.post(restore_url(explainer, old))

    assert response.status_code == 302
    assert dict(explainer.faq_items.values_list("pk", "anchor")) == {
        first.pk: "worueber-wird-beraten",
        second.pk: "wer-ist-dabei",
    }


def test_restore_refuses_when_a_clip_of_that_revision_is_gone(admin_client, explainer):
    clip = VideoClipFactory(title="Gipfel-Clip")
    clip_pk = clip.pk
    FAQItem.objects.filter(question="Wer ist dabei?").update(clip=clip)
    old = save_revision(explainer, "Mit Clip")
    FAQItem.objects.filter(clip=clip).update(clip=None)
    clip.delete()
    save_revision(explainer, "Ohne Clip")

    response = admin_client.post(restore_url(explainer, old), follow=True)

    assert "lässt sich nicht wiederherstellen" in response.content.decode()
    assert f"Videoclip Nr. {clip_pk}" in response.content.decode()
    assert len(versions(explainer)) == 2
    assert explainer.faq_items.get(question="Wer ist dabei?").clip is None


def test_restore_needs_a_post_and_the_change_permission(client, django_user_model, explainer):
    old = save_revision(explainer, "Angelegt")
    reader = django_user_model.objects.create_user("leser", password="x", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)

    assert client.get(restore_url(explainer, old)).url == compare_url(explainer, old)
    assert client.get(compare_url(explainer, old)).status_code == 200
    assert "Diese Fassung wiederherstellen" not in client.get(compare_url(explainer, old)).content.decode()
    assert client.post(restore_url(explainer, old)).status_code == 403
    assert len(versions(explainer)) == 1


def test_the_redaktion_role_may_restore_content_but_not_publish_by_restoring(client, explainer):
    from newsroom.roles import REDAKTION, role_group

    old_published = save_revision(explainer, "Veröffentlicht")
    Version.objects.filter(pk=old_published.pk).update(
        serialized_data=re.sub(r'"status": "draft"', '"status": "published"', old_published.serialized_data)
    )
    editor = role_group(REDAKTION).user_set.create(username="redakteurin", is_staff=True)
    client.force_login(editor)

    assert client.post(restore_url(explainer, old_published)).status_code == 302

    explainer.refresh_from_db()
    assert explainer.status == Article.Status.DRAFT
    assert versions(explainer)[-1].revision.user == editor


# Deleted articles


def test_a_duty_editor_brings_back_a_deleted_article_with_its_questions(admin_client, explainer):
    save_revision(explainer, "Angelegt")
    pk = explainer.pk
    explainer.delete()
    changelist = admin_client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert "Gelöschte Artikel wiederherstellen" in changelist
    (deleted,) = Version.objects.get_deleted(Article)
    url = reverse("admin:newsroom_article_recover", args=[deleted.pk])

    response = admin_client.post(url, admin_form_data(admin_client.get(url).content.decode()))

    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert sorted(recovered.faq_items.values_list("question", flat=True)) == ["Wer ist dabei?", "Worüber wird beraten?"]
    assert len(versions(recovered)) == 2


def test_redaktion_cannot_bring_back_deleted_articles(client, explainer):
    from newsroom.roles import REDAKTION, role_group

    save_revision(explainer, "Angelegt")
    explainer.delete()
    (deleted,) = Version.objects.get_deleted(Article)
    client.force_login(role_group(REDAKTION).user_set.create(username="redakteurin", is_staff=True))

    assert "Gelöschte Artikel" not in client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert client.get(reverse("admin:newsroom_article_recoverlist")).status_code == 403
    assert client.post(reverse("admin:newsroom_article_recover", args=[deleted.pk])).status_code == 403
