"""The editors' admin: articles with inlines, the clip library, topics, liveblog cards, the text import."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faq.models import FAQItem
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention
from tests.adminforms import admin_form_data
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

SAMPLE = (settings.BASE_DIR / "newsroom" / "demo" / "explainer-paris-gipfel.txt").read_text(encoding="utf-8")
ARTICLES = reverse("admin:newsroom_article_changelist")
ADD_ARTICLE = reverse("admin:newsroom_article_add")
IMPORT = reverse("admin:newsroom_article_import")
CLIPS = reverse("admin:media_clips_videoclip_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_results(response):
    return list(response.context["cl"].result_list)


def article_form_data(faq_items=(), **fields):
    """The add form's POST data as the browser sends it: the article and all three inline formsets."""
    data = {
        "kind": Article.Kind.FAQ,
        "topline": "Gipfel in Paris",
        "title": "Wie ein Frieden abgesichert werden soll",
        "slug": "wie-ein-frieden-abgesichert-werden-soll",
        "teaser": "Die Unterstützer der Ukraine beraten in Paris.",
        "intro": "<p>Erwartet werden Delegationen aus 35 Staaten.</p>",
        "hero_clip": "",
        "intro_clip": "",
        "topic": "",
        "source": "dpa",
        "broadcast_form": "standard",
        "broadcast_note": "",
        "status": Article.Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        **fields,
    }
    for prefix, total in (("faq_items", len(faq_items)), ("liveblog_placements", 0), ("broadcast_mentions", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    for index, item in enumerate(faq_items):
        data.update(
            {
                f"faq_items-{index}-position": str(index),
                f"faq_items-{index}-question": item["question"],
                f"faq_items-{index}-answer": item.get("answer", "<p>Eine Antwort.</p>"),
                f"faq_items-{index}-clip": "",
                f"faq_items-{index}-anchor": item.get("anchor", ""),
            }
        )
    return data


# Articles


def test_article_changelist_lists_articles_and_marks_scheduled_ones(admin_client):
    live = ArticleFactory(title="Schon online")
    ArticleFactory(title="Kommt morgen", publish_at=timezone.now() + dt.timedelta(days=1))
    ArticleFactory(title="Noch in Arbeit", draft=True)

    response = admin_client.get(ARTICLES)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Schon online" in content and "Kommt morgen" in content and "Noch in Arbeit" in content
    assert live.topline in content
    assert "geplant" in content
    assert "Veröffentlicht" in content
    assert "Entwurf" in content


def test_article_changelist_checkboxes_are_djangos_and_select_the_rows(admin_client):
    from django.contrib.admin import ModelAdmin, site

    article = ArticleFactory(title='Wer „zahlt“ – & <was> "genau"?', draft=True)
    article_admin = site._registry[Article]
    # The same markup as the admin's own widget, quotes and ampersands escaped alike.
    assert article_admin.action_checkbox(article) == ModelAdmin.action_checkbox(article_admin, article)

    content = admin_client.get(ARTICLES).content.decode()
    assert f'name="_selected_action" value="{article.pk}" class="action-select"' in content
    response = admin_client.post(ARTICLES, {"action": "delete_selected", "_selected_action": [article.pk]}, follow=True)
    assert "Sind Sie sicher" in response.content.decode()  # the selected row reached the action


def test_article_changelist_links_to_the_text_import(admin_client):
    response = admin_client.get(ARTICLES)

    assert f'href="{IMPORT}"' in response.content.decode()
    assert "Aus Text importieren" in response.content.decode()


def test_article_change_form_shows_all_inlines(admin_client):
    article = ArticleFactory(hero_clip=VideoClipFactory(), intro_clip=VideoClipFactory())
    FAQItemFactory(article=article, question="Worüber wird in Paris beraten?", clip=VideoClipFactory())
    ArticleLiveblogLinkFactory(article=article, lead_in="Alles Weitere im Liveblog:")
    BroadcastMentionFactory(article=article, show="heute journal update")

    response = admin_client.get(change_url(article))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Worüber wird in Paris beraten?" in content
    assert "Alles Weitere im Liveblog:" in content
    assert "heute journal update" in content
    for legend in ("Kopf", "Clips &amp; Einleitung", "Einordnung", "Veröffentlichung"):
        assert legend in content
    # "Auf der Website anzeigen" links a live article's public page itself (a draft's: tests/test_desk.py).
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in content


def test_article_add_form_renders(admin_client):
    response = admin_client.get(ADD_ARTICLE)

    assert response.status_code == 200
    assert "Fragen und Antworten" in response.content.decode()


def test_help_texts_explain_rich_text_in_words(admin_client):
    article = ArticleFactory()
    FAQItemFactory(article=article)

    content = admin_client.get(change_url(article)).content.decode()

    assert "Mit der Werkzeugleiste formatieren: fett, kursiv, Links, Aufzählungen und nummerierte Listen." in content
    assert "Leerzeilen" not in content  # the editor makes paragraphs; no typing rules any more
    assert "/nachrichten/kurzname-id/" in content


def test_search_finds_an_article_by_one_of_its_questions_once(admin_client):
    article = ArticleFactory(title="Gipfel in Paris")
    FAQItemFactory(article=article, question="Wer sichert die Waffenruhe ab?")
    FAQItemFactory(article=article, question="Wie lange hält die Waffenruhe?")
    ArticleFactory(title="Ein anderes Thema")

    response = admin_client.get(ARTICLES, {"q": "Waffenruhe"})

    assert response.status_code == 200
    assert changelist_results(response) == [article]


def test_search_finds_an_article_by_its_teaser(admin_client):
    article = ArticleFactory(teaser="Die Koalition der Willigen trifft sich.")
    ArticleFactory()

    response = admin_client.get(ARTICLES, {"q": "Willigen"})

    assert changelist_results(response) == [article]


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [("status__exact", "draft", "Entwurf"), ("kind__exact", "analysis", "Analyse")],
)
def test_article_changelist_filters(admin_client, param, value, expected):
    ArticleFactory(title="Veröffentlichte Nachricht", kind=Article.Kind.NEWS)
    match = ArticleFactory(title="Die Treffer", draft=True, kind=Article.Kind.ANALYSIS)

    response = admin_client.get(ARTICLES, {param: value})

    assert changelist_results(response) == [match]


def test_article_changelist_filters_by_topic(admin_client):
    ukraine = TopicFactory(name="Ukraine", slug="ukraine")
    article = ArticleFactory(topic=ukraine)
    ArticleFactory()

    response = admin_client.get(ARTICLES, {"topic__id__exact": ukraine.pk})

    assert changelist_results(response) == [article]


def test_adding_an_article_with_two_blank_anchors_derives_them_from_the_questions(admin_client, admin_user):
    data = article_form_data(
        faq_items=[{"question": "Worüber wird in Paris beraten?"}, {"question": "Was ist bereits vereinbart?"}]
    )

    response = admin_client.post(ADD_ARTICLE, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    article = Article.objects.get()
    assert list(article.faq_items.values_list("anchor", flat=True)) == [
        "worueber-wird-in-paris-beraten",
        "was-ist-bereits-vereinbart",
    ]
    assert article.status == Article.Status.DRAFT
    assert article.first_published_at is None
    assert article.created_by == admin_user
    assert article.updated_by == admin_user


def test_a_duplicate_anchor_gives_the_german_error_and_saves_nothing(admin_client):
    data = article_form_data(
        faq_items=[
            {"question": "Worüber wird beraten?", "anchor": "beratung"},
            {"question": "Wer berät mit?", "anchor": "beratung"},
        ]
    )

    response = admin_client.post(ADD_ARTICLE, data)

    assert response.status_code == 200
    assert "Diese Sprungmarke gibt es in diesem Artikel schon." in response.content.decode()
    assert not Article.objects.exists()
    assert not FAQItem.objects.exists()


def test_a_blank_anchor_that_matches_another_items_anchor_is_a_duplicate_too(admin_client):
    data = article_form_data(
        faq_items=[
            {"question": "Worüber wird beraten?"},
            {"question": "Noch eine Frage?", "anchor": "worueber-wird-beraten"},
        ]
    )

    response = admin_client.post(ADD_ARTICLE, data)

    assert "Diese Sprungmarke gibt es in diesem Artikel schon." in response.content.decode()
    assert not Article.objects.exists()


def test_publishing_through_the_admin_stamps_go_live_and_first_publication(admin_client, admin_user):
    # The status is read-only in the form (tests/test_workflow.py): a new article is a draft
    # whatever status is posted, and "Veröffentlichen" on its change form puts it live.
    before = timezone.now()

    response = admin_client.post(ADD_ARTICLE, article_form_data(status=Article.Status.PUBLISHED))

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    response = admin_client.post(reverse("admin:newsroom_article_publish", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.publish_at >= before
    assert article.first_published_at >= before
    assert article.created_by == admin_user
    assert Article.objects.published().get() == article


def test_editing_keeps_the_author_and_the_first_publication(client, admin_user, django_user_model):
    first_published = timezone.now() - dt.timedelta(days=3)
    article = ArticleFactory(
        created_by=admin_user, publish_at=first_published, first_published_at=first_published, topic=None
    )
    editor = django_user_model.objects.create_superuser("redakteurin", "r@example.org", "geheim")
    client.force_login(editor)
    # The form as the page renders it (with its edit-conflict token); status and go-live are
    # read-only there (tests/test_workflow.py), so they are not part of what is sent back.
    data = {**admin_form_data(client.get(change_url(article)).content.decode()), "title": "Neuer Titel"}

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Neuer Titel"
    assert article.status == Article.Status.PUBLISHED
    assert article.created_by == admin_user
    assert article.updated_by == editor
    assert article.first_published_at == first_published


def test_clip_autocomplete_on_the_article_form_finds_clips_by_title(admin_client):
    VideoClipFactory(title="Thomas Walde ordnet ein")
    VideoClipFactory(title="Etwas anderes")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "newsroom", "model_name": "article", "field_name": "hero_clip", "term": "Walde"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [
        "Thomas Walde ordnet ein (06.01.2026, 1:46 min)"
    ]


# Clips


def test_clip_changelist_shows_thumbnail_duration_date_and_usage(admin_client):
    clip = VideoClipFactory(poster_alt="Thomas Walde vor dem Tagungsort")
    ArticleFactory(hero_clip=clip)

    response = admin_client.get(CLIPS)

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<img src="{clip.poster.url}" alt="Thomas Walde vor dem Tagungsort" width="96" height="54"' in content
    assert "1:46 min" in content
    assert "06.01.2026" in content
    assert "1 Artikel" in content


def test_clip_changelist_counts_each_article_once(admin_client):
    clip = VideoClipFactory()
    article = ArticleFactory(hero_clip=clip, intro_clip=clip)
    FAQItemFactory(article=article, clip=clip)
    FAQItemFactory(article=article, clip=clip)
    FAQItemFactory(clip=clip)

    response = admin_client.get(CLIPS)

    assert changelist_results(response)[0].usage_total == 2


def test_clip_changelist_queries_do_not_grow_with_the_number_of_clips(admin_client):
    def make_used_clips(count):
        for _ in range(count):
            clip = VideoClipFactory()
            FAQItemFactory(article=ArticleFactory(hero_clip=clip), clip=clip)

    def queries_for_changelist():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(CLIPS)
        assert response.status_code == 200
        return len(queries)

    make_used_clips(2)
    with_two = queries_for_changelist()
    make_used_clips(8)
    with_ten = queries_for_changelist()

    assert with_ten == with_two


def test_clip_change_page_lists_the_articles_using_it(admin_client):
    clip = VideoClipFactory()
    hero_use = ArticleFactory(title="Aufmacher mit Clip", hero_clip=clip)
    faq_use = FAQItemFactory(question="Was sagt der Korrespondent?", clip=clip).article

    response = admin_client.get(change_url(clip))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{change_url(hero_use)}"' in content
    assert f'href="{change_url(faq_use)}"' in content
    assert "Aufmacher-Clip" in content
    assert "nach der Frage „Was sagt der Korrespondent?“" in content
    assert "Noch in keinem Artikel verwendet." not in content


def test_unused_clip_says_so(admin_client):
    clip = VideoClipFactory()

    response = admin_client.get(change_url(clip))

    assert "Noch in keinem Artikel verwendet." in response.content.decode()


def test_clip_search_finds_a_clip_by_its_alt_text(admin_client):
    clip = VideoClipFactory(poster_alt="Helfer tragen Trümmer ins Freie")
    VideoClipFactory()

    response = admin_client.get(CLIPS, {"q": "Trümmer"})

    assert changelist_results(response) == [clip]


# Topics and liveblog cards


def test_topic_changelist_shows_headline_and_article_count(admin_client):
    topic = TopicFactory(name="Ukraine", slug="ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    ArticleFactory.create_batch(3, topic=topic)

    response = admin_client.get(reverse("admin:newsroom_topic_changelist"))

    assert response.status_code == 200
    assert "Aktuelle Nachrichten zur Ukraine" in response.content.decode()
    assert changelist_results(response)[0].article_total == 3


def test_liveblog_link_changelist_shows_image_label_and_url(admin_client):
    link = LiveblogLinkFactory(url="https://www.example.org/liveblog-ukraine")

    response = admin_client.get(reverse("admin:newsroom_livebloglink_changelist"), {"q": "Entwicklungen"})

    content = response.content.decode()
    assert changelist_results(response) == [link]
    assert f'<img src="{link.image.url}" alt="{link.image_alt}"' in content
    assert "https://www.example.org/liveblog-ukraine" in content
    assert "Liveblog" in content


def test_topic_and_liveblog_link_change_forms_render(admin_client):
    topic = TopicFactory()
    link = LiveblogLinkFactory()

    assert admin_client.get(change_url(topic)).status_code == 200
    assert admin_client.get(change_url(link)).status_code == 200
    assert admin_client.get(reverse("admin:newsroom_topic_add")).status_code == 200
    assert admin_client.get(reverse("admin:media_clips_videoclip_add")).status_code == 200


# Import from text


def test_import_page_shows_the_form(admin_client):
    response = admin_client.get(IMPORT)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Text des Erklärstücks" in content
    assert "csrfmiddlewaretoken" in content
    assert f'href="{ARTICLES}"' in content  # breadcrumbs back to the list


def test_importing_the_sample_creates_a_draft_and_opens_it(admin_client, admin_user):
    response = admin_client.post(IMPORT, {"text": SAMPLE})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert article.status == Article.Status.DRAFT
    assert article.created_by == admin_user
    assert article.faq_items.count() == 6
    assert ArticleLiveblogLink.objects.filter(article=article).count() == 1
    assert BroadcastMention.objects.filter(article=article).count() == 2
    notes = [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]
    assert notes[0] == ("success", f"Der Artikel „{article}“ wurde aus dem Text importiert und als Entwurf angelegt.")
    assert {level for level, _ in notes[1:]} == {"warning"}
    assert any("Platzhalter" in text for _, text in notes[1:])


def test_importing_garbage_names_the_line_keeps_the_text_and_writes_nothing(admin_client):
    garbage = "Ein Titel\nKeine Rubrik\nDachzeile:Ein Titel\n"

    response = admin_client.post(IMPORT, {"text": garbage})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Zeile 2" in content
    assert "Keine Rubrik" in content and "Dachzeile:Ein Titel" in content  # still in the textarea
    assert not Article.objects.exists()


def test_import_line_numbers_count_leading_blank_lines(admin_client):
    response = admin_client.post(IMPORT, {"text": "\n\nEin Titel\nKeine Rubrik\n"})

    assert "Zeile 4" in response.content.decode()


def test_importing_text_that_breaks_a_model_rule_shows_an_error_and_writes_nothing(admin_client):
    too_long = "Dachzeile " * 20
    text = SAMPLE.replace("Gipfel in Paris:", f"{too_long}:", 1)

    response = admin_client.post(IMPORT, {"text": text})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Zeile 5: Die Dachzeile ist 199 Zeichen lang; erlaubt sind höchstens 100" in content
    assert "Es wurde nichts gespeichert." in content
    assert not Article.objects.exists()


def test_an_import_error_shows_the_pasted_text_with_line_numbers_and_marks_the_line(admin_client):
    text = SAMPLE.replace("06.01.2026 | 1:46 min", "06.01.2026 | 1:46 Minuten", 1)
    response = admin_client.post(IMPORT, {"text": text})
    content = response.content.decode()
    assert "Zeile 15: Erwartet eine Dauer" in content
    assert "Ihr Text mit Zeilennummern" in content
    assert '<a href="#zeile-15">Zu Zeile 15 springen</a>' in content
    marked = re.search(
        r'<li value="15" id="zeile-15" class="import-lines__error"[^>]*><mark>(.*?)</mark></li>', content
    )
    assert marked and marked.group(1) == "06.01.2026 | 1:46 Minuten"
    assert '<li value="14" id="zeile-14"></li>' not in content  # blank lines keep a visible place
    assert content.count('class="import-lines__error"') == 1
    assert not Article.objects.exists()


def test_importing_a_title_that_exists_offers_the_existing_article(admin_client):
    existing = admin_client.post(IMPORT, {"text": SAMPLE}) and Article.objects.get()
    response = admin_client.post(IMPORT, {"text": SAMPLE})
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Nr. {existing.pk}" in content and "gibt es schon" in content
    assert f'href="{change_url(existing)}"' in content and "Vorhandenen Artikel" in content
    assert 'name="allow_duplicate"' in content
    assert Article.objects.count() == 1
    response = admin_client.post(IMPORT, {"text": SAMPLE, "allow_duplicate": "on"})
    assert response.status_code == 302
    assert Article.objects.count() == 2


def test_the_import_page_says_what_was_cleaned_or_kept_as_text(admin_client):
    text = SAMPLE.replace("Quelle: dpa", "Quelle:\x0b dpa").replace(
        "und heute Xpress ab 7:30 Uhr.", "und heute Xpress gegen halb acht."
    )
    response = admin_client.post(IMPORT, {"text": text}, follow=True)
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Zeile 91: Steuerzeichen entfernt (U+000B)." in notes
    assert any(note.startswith("Zeile 92: als Text übernommen") for note in notes)
    article = Article.objects.get()
    assert article.source == "dpa"
    assert "gegen halb acht" in article.broadcast_note
    assert "Sendungshinweis als Text" in response.content.decode()  # the change form's hint


def test_a_mention_entered_in_the_admin_gets_the_house_style_unless_padded(admin_client, client):
    article = ArticleFactory()
    BroadcastMentionFactory(article=article, determiner="", show="heute Xpress", starts_at=dt.time(7, 30))
    assert "heute Xpress am 06.01.2026 ab 7:30 Uhr." in client.get(article.get_absolute_url()).content.decode()
    mention = BroadcastMention.objects.get()
    mention.starts_at_padded = True
    mention.save()
    assert "heute Xpress am 06.01.2026 ab 07:30 Uhr." in client.get(article.get_absolute_url()).content.decode()
    form = admin_client.get(change_url(article)).content.decode()
    assert 'name="broadcast_mentions-0-starts_at_padded"' in form


def test_import_needs_the_add_permission(client, django_user_model):
    editor = django_user_model.objects.create_user("praktikant", password="geheim", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(editor)

    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"text": SAMPLE}).status_code == 403
    assert not Article.objects.exists()
    assert "Aus Text importieren" not in client.get(ARTICLES).content.decode()


def test_import_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(IMPORT)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_partner_admin_lists_partners_with_their_active_key_count(admin_client):
    from newsroom.models import Partner, PartnerAPIKey

    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    PartnerAPIKey.objects.create_key(partner=partner, name="Produktion")
    revoked, _ = PartnerAPIKey.objects.create_key(partner=partner, name="Alt")
    revoked.revoked = True
    revoked.save()

    response = admin_client.get(reverse("admin:newsroom_partner_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [partner]
    assert response.context["cl"].result_list[0].active_keys == 1
    assert admin_client.get(reverse("admin:newsroom_partner_change", args=[partner.pk])).status_code == 200


def test_a_key_made_in_the_admin_is_shown_once_and_works(admin_client, client):
    from newsroom.models import Partner, PartnerAPIKey

    partner = Partner.objects.create(name="Nachrichten-App", contact_email="dev@example.org")
    response = admin_client.post(
        reverse("admin:newsroom_partnerapikey_add"),
        {"name": "Produktion", "partner": partner.pk, "expiry_date_0": "", "expiry_date_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    message = next(str(m) for m in get_messages(response.wsgi_request) if "API-Schlüssel" in str(m))
    key = message.split("lautet: ", 1)[1].split(" ", 1)[0]
    assert "nicht noch einmal angezeigt" in message
    assert PartnerAPIKey.objects.get().partner == partner
    assert client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


def test_the_librarys_own_key_model_is_not_in_the_admin(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "API-Schlüssel" in html
    assert "/admin/rest_framework_api_key/" not in html


def test_partner_rate_limit_is_validated(admin_client):
    from newsroom.models import Partner

    response = admin_client.post(
        reverse("admin:newsroom_partner_add"),
        {
            "name": "Zu schnell",
            "contact_email": "x@example.org",
            "is_active": "on",
            "rate_limit": "ganz viel",
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Format: Anzahl/Zeitraum" in response.content.decode()
    assert not Partner.objects.exists()
