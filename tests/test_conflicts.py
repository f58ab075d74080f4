"""Edit conflicts: two editors save the same article; the second save is refused, nothing is lost."""

import pytest
from django.urls import reverse

from newsroom.models import Article
from newsroom.services import DuplicateArticleError, article_import
from tests.adminforms import admin_form_data
from tests.factories import ArticleFactory, FAQItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(client, django_user_model):
    from django.test import Client

    anna = django_user_model.objects.create_superuser("anna", password="x", first_name="Anna", last_name="Schmidt")
    ben = django_user_model.objects.create_superuser("ben", password="x")
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(ben)
    return first, second


def change_url(article):
    return reverse("admin:newsroom_article_change", args=[article.pk])


def test_the_second_save_is_refused_with_who_and_when_and_keeps_the_input(editors):
    anna, ben = editors
    article = ArticleFactory(draft=True, teaser="Alter Teaser.")
    FAQItemFactory(article=article, question="Alte Frage?")
    anna_form = admin_form_data(anna.get(change_url(article)).content.decode())
    ben_form = admin_form_data(ben.get(change_url(article)).content.decode())

    anna_form["teaser"] = "Annas Teaser."
    response = anna.post(change_url(article), anna_form)
    assert response.status_code == 302, response.content.decode()[:2000]

    question_field = next(name for name, value in ben_form.items() if value == "Alte Frage?")
    ben_form["teaser"] = "Bens Teaser."
    ben_form[question_field] = "Bens neue Frage?"
    response = ben.post(change_url(article), ben_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieser Artikel wurde inzwischen von Anna Schmidt am" in html
    assert "Änderungen ansehen" in html
    # The link compares the state Ben loaded with Anna's saved version, which shows her teaser.
    link = html.split("Änderungen ansehen")[0].rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link.startswith(reverse("admin:newsroom_article_revision_compare", args=[article.pk]) + "?from=")
    difference = ben.get(link).content.decode()
    assert "Annas" in difference and "Alter" in difference, difference[difference.find("Teaser") - 200 :][:3000]
    # Ben's input is still in the form, and nothing of his was written over Anna's.
    assert "Bens Teaser." in html and "Bens neue Frage?" in html
    article.refresh_from_db()
    assert article.teaser == "Annas Teaser."
    assert article.faq_items.get().question == "Alte Frage?"

    # Having seen the message, Ben saves deliberately: now it goes through.
    retry = admin_form_data(html)
    assert retry["teaser"] == "Bens Teaser."
    assert ben.post(change_url(article), retry).status_code == 302
    article.refresh_from_db()
    assert article.teaser == "Bens Teaser."
    assert article.faq_items.get().question == "Bens neue Frage?"


def test_saving_twice_without_a_concurrent_change_is_no_conflict(editors):
    anna, _ = editors
    article = ArticleFactory(draft=True)
    form = admin_form_data(anna.get(change_url(article)).content.decode())
    form["teaser"] = "Erste Fassung."
    form["_continue"] = "1"
    response = anna.post(change_url(article), form)
    assert response.status_code == 302
    form = admin_form_data(anna.get(change_url(article)).content.decode())
    form["teaser"] = "Zweite Fassung."
    assert anna.post(change_url(article), form).status_code == 302
    assert Article.objects.get(pk=article.pk).teaser == "Zweite Fassung."


def test_a_forged_post_without_the_version_is_refused(editors):
    anna, _ = editors
    article = ArticleFactory(draft=True, teaser="Original.")
    form = admin_form_data(anna.get(change_url(article)).content.decode())
    form.pop("loaded_version")
    form["teaser"] = "Blind überschrieben."
    assert anna.post(change_url(article), form).status_code == 200
    assert Article.objects.get(pk=article.pk).teaser == "Original."


def test_the_importer_never_overwrites_an_article():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt").read_text(
        encoding="utf-8"
    )
    first = article_import(text=text).article
    first.teaser = "Von Hand verbessert."
    first.save()
    # Without the flag a second import of the same title is refused; with it, it is a new article.
    with pytest.raises(DuplicateArticleError):
        article_import(text=text)
    second = article_import(text=text, allow_duplicate=True).article
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.teaser == "Von Hand verbessert."


def test_the_difference_link_starts_from_the_version_the_editor_loaded(editors):
    from newsroom.revisions import record_revision

    anna, ben = editors
    with record_revision(comment="Erste Fassung"):
        article = ArticleFactory(draft=True, teaser="Erste Fassung des Teasers.")
    with record_revision(comment="Zweite Fassung"):
        article.teaser = "Zweite Fassung des Teasers."
        article.save()
    ben_form = admin_form_data(ben.get(change_url(article)).content.decode())
    anna_form = admin_form_data(anna.get(change_url(article)).content.decode())
    anna_form["teaser"] = "Annas Fassung des Teasers."
    assert anna.post(change_url(article), anna_form).status_code == 302
    ben_form["teaser"] = "Bens Fassung des Teasers."
    html = ben.post(change_url(article), ben_form).content.decode()
    link = html.split("Änderungen ansehen")[0].rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    difference = ben.get(link).content.decode()
    # Ben loaded the second version: the comparison starts there, not at the first.
    assert "Zweite" in difference and "Annas" in difference
    assert "Erste" not in difference
