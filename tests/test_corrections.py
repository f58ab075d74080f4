"""Corrections to live articles: Redaktion proposes, the page stays as it is, the duty editor decides."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Revision

from newsroom.models import Article, Correction
from newsroom.roles import REDAKTION
from tests.adminforms import admin_form_data
from tests.factories import ArticleFactory, FAQItemFactory
from tests.test_desk import newest_comment
from tests.test_workflow import change_url, make_editor

pytestmark = pytest.mark.django_db


def propose_url(article):
    return reverse("admin:newsroom_article_propose", args=[article.pk])


def correction_url(correction):
    return reverse("admin:newsroom_article_correction", args=[correction.article_id, correction.pk])


@pytest.fixture
def live():
    article = ArticleFactory(title="Was beim Gipfel beschlossen wurde")
    FAQItemFactory(article=article, position=0, question="Wer war dabei?", answer="<p>35 Staaten.</p>")
    FAQItemFactory(article=article, position=1, question="Was kostet das?", answer="<p>Viel.</p>")
    return article


def page_of(article):
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content


def propose(client, article, **changes):
    form = admin_form_data(client.get(propose_url(article)).content.decode())
    form.update(changes)
    return client.post(propose_url(article), form)


def test_redaktion_sees_a_live_article_read_only_with_a_way_to_propose_a_correction(redaktion_client, live):
    page = redaktion_client.get(change_url(live)).content.decode()
    assert 'name="title"' not in page  # read only, as before
    assert f'href="{propose_url(live)}"' in page

    form = redaktion_client.get(propose_url(live)).content.decode()
    assert 'name="title"' in form and 'name="faq_items-0-answer"' in form
    assert 'value="Korrektur vorschlagen"' in form
    assert 'name="_continue"' not in form and 'name="_addanother"' not in form


def test_a_proposal_leaves_the_live_page_byte_for_byte_unchanged(redaktion_client, redakteurin, live):
    before, revisions, updated_at = page_of(live), Revision.objects.count(), live.updated_at
    form = admin_form_data(redaktion_client.get(propose_url(live)).content.decode())
    form["title"] = "Was der Gipfel wirklich beschlossen hat"
    answer = next(name for name, value in form.items() if value == "<p>35 Staaten.</p>")
    form[answer] = "<p>36 Staaten.</p>"
    total = int(form["faq_items-TOTAL_FORMS"])
    form.update(
        {
            f"faq_items-{total}-question": "Wie geht es weiter?",
            f"faq_items-{total}-answer": "<p>Im März.</p>",
            f"faq_items-{total}-anchor": "",
            "faq_items-TOTAL_FORMS": str(total + 1),
        }
    )

    response = redaktion_client.post(propose_url(live), form)

    assert response.status_code == 302 and response.url == change_url(live)
    assert page_of(live) == before
    live.refresh_from_db()
    assert (live.title, live.updated_at) == ("Was beim Gipfel beschlossen wurde", updated_at)
    assert Revision.objects.count() == revisions
    (correction,) = Correction.objects.all()
    assert (correction.author, correction.status) == (redakteurin, Correction.Status.OPEN)
    assert "Titel" in correction.summary and "Wie geht es weiter?" in correction.summary


def test_the_duty_editor_compares_and_applies_it_and_the_page_shows_it(redaktion_client, cvd_client, live):
    propose(redaktion_client, live, title="Was der Gipfel wirklich beschlossen hat")
    correction = Correction.objects.get()

    dashboard = cvd_client.get(reverse("admin:index")).content.decode()
    assert "Korrekturvorschläge" in dashboard and "Offen, vorgeschlagen am" in dashboard
    assert correction_url(correction) in cvd_client.get(change_url(live)).content.decode()
    review = cvd_client.get(correction_url(correction)).content.decode()
    assert "So, wie der Artikel jetzt online ist." in review
    # The revision comparison: the live title on the left, the proposed one on the right.
    assert re.search(r"<td>Was <del>beim</del> Gipfel.*</td>\s*<td>Was <ins>der</ins> Gipfel", review)
    assert "Übernehmen (sofort online)" in review

    response = cvd_client.post(correction_url(correction), {"entscheidung": "uebernehmen"})

    assert response.status_code == 302
    assert b"Was der Gipfel wirklich beschlossen hat" in page_of(live)
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED
    assert newest_comment(live) == "Korrekturvorschlag von redakteurin übernommen"
    correction.refresh_from_db()
    assert correction.status == Correction.Status.APPLIED
    # Decided once: a second click changes nothing.
    cvd_client.post(correction_url(correction), {"entscheidung": "ablehnen", "grund": "Doch nicht."})
    correction.refresh_from_db()
    assert correction.status == Correction.Status.APPLIED


def test_a_rejected_proposal_never_appears_and_the_author_reads_why(redaktion_client, cvd_client, live):
    before = page_of(live)
    propose(redaktion_client, live, title="Ein schlechterer Titel")
    correction = Correction.objects.get()

    cvd_client.post(correction_url(correction), {"entscheidung": "ablehnen", "grund": ""})
    correction.refresh_from_db()
    assert correction.status == Correction.Status.OPEN  # no reason, no rejection
    cvd_client.post(correction_url(correction), {"entscheidung": "ablehnen", "grund": "Der Titel war richtig."})
    correction.refresh_from_db()
    assert correction.status == Correction.Status.REJECTED

    assert page_of(live) == before
    dashboard = redaktion_client.get(reverse("admin:index")).content.decode()
    assert "Meine Korrekturvorschläge" in dashboard and "abgelehnt: Der Titel war richtig." in dashboard


def test_only_duty_editors_decide_and_only_authors_and_duty_editors_see_a_proposal(
    redaktion_client, django_user_model, live
):
    propose(redaktion_client, live, title="Ein neuer Titel")
    correction = Correction.objects.get()

    assert redaktion_client.post(correction_url(correction), {"entscheidung": "uebernehmen"}).status_code == 403
    other = Client()
    other.force_login(make_editor(django_user_model, "kollege", REDAKTION))
    assert other.get(correction_url(correction)).status_code == 403
    live.refresh_from_db()
    assert live.title == "Was beim Gipfel beschlossen wurde"


def test_proposing_is_for_live_articles_and_for_those_who_may_not_publish(redaktion_client, cvd_client, live):
    draft = ArticleFactory(draft=True)
    assert redaktion_client.get(propose_url(draft)).status_code == 403  # a draft is simply saved
    assert cvd_client.get(propose_url(live)).status_code == 403  # the duty editor changes it directly
    assert 'name="title"' in cvd_client.get(change_url(live)).content.decode()


# Clips and liveblog cards that live articles show -----------------------------------------------


def clip_urls(clip):
    return (
        reverse("admin:media_clips_videoclip_change", args=[clip.pk]),
        reverse("admin:media_clips_videoclip_propose", args=[clip.pk]),
    )


def test_redaktions_change_to_a_clip_of_a_live_article_waits_for_approval(redaktion_client, cvd_client):
    from media_clips.models import VideoClip
    from newsroom.models import ItemCorrection
    from tests.factories import VideoClipFactory

    clip = VideoClipFactory(title="Walde ordnet ein", description="Thomas Walde in Paris.")
    article = ArticleFactory(hero_clip=clip)
    change, propose_at = clip_urls(clip)
    before = page_of(article)

    page = redaktion_client.get(change).content.decode()
    assert 'name="title"' not in page and f'href="{propose_at}"' in page  # read only, with the way to propose
    assert redaktion_client.post(change, {"title": "Direkt geändert"}).status_code == 403
    form = admin_form_data(redaktion_client.get(propose_at).content.decode(), form_id="videoclip_form")
    assert 'name="poster"' not in redaktion_client.get(propose_at).content.decode()  # files are the duty editor's
    form["description"] = "Thomas Walde vor dem Élysée-Palast."
    assert redaktion_client.post(propose_at, form).status_code == 302

    assert page_of(article) == before
    assert VideoClip.objects.get(pk=clip.pk).description == "Thomas Walde in Paris."
    (correction,) = ItemCorrection.objects.all()
    assert correction.summary == "Geändert: Bildunterschrift."
    review = reverse("admin:media_clips_videoclip_correction", args=[clip.pk, correction.pk])
    assert review in cvd_client.get(reverse("admin:index")).content.decode()
    shown = cvd_client.get(review).content.decode()
    assert "<td>Thomas Walde <ins>vor dem Élysée-Palast.</ins></td>" in shown
    assert "<td>06.01.2026, 09:00 Uhr</td><td>06.01.2026, 09:00 Uhr</td>" in shown  # unchanged, whatever its zone

    assert cvd_client.post(review, {"entscheidung": "uebernehmen"}).status_code == 302
    assert VideoClip.objects.get(pk=clip.pk).description == "Thomas Walde vor dem Élysée-Palast."
    assert page_of(article) != before


def test_a_clip_no_live_article_shows_is_changed_directly(redaktion_client):
    from tests.factories import VideoClipFactory

    clip = VideoClipFactory()
    ArticleFactory(draft=True, hero_clip=clip)
    change, propose_at = clip_urls(clip)
    assert 'name="title"' in redaktion_client.get(change).content.decode()
    assert redaktion_client.get(propose_at).status_code == 403


def test_a_liveblog_card_of_a_live_article_follows_the_same_rule(redaktion_client, cvd_client):
    from newsroom.models import ItemCorrection, LiveblogLink
    from tests.factories import ArticleLiveblogLinkFactory

    placement = ArticleLiveblogLinkFactory(article=ArticleFactory())
    card = placement.liveblog_link
    propose_at = reverse("admin:newsroom_livebloglink_propose", args=[card.pk])
    form = admin_form_data(redaktion_client.get(propose_at).content.decode(), form_id="livebloglink_form")
    form["title"] = "Der Liveblog zum Gipfel"
    assert redaktion_client.post(propose_at, form).status_code == 302
    assert LiveblogLink.objects.get(pk=card.pk).title == card.title
    correction = ItemCorrection.objects.get()

    review = reverse("admin:newsroom_livebloglink_correction", args=[card.pk, correction.pk])
    cvd_client.post(review, {"entscheidung": "ablehnen", "grund": "Der Titel stimmt."})
    correction.refresh_from_db()
    assert (correction.status, LiveblogLink.objects.get(pk=card.pk).title) == (Correction.Status.REJECTED, card.title)
    assert "abgelehnt: Der Titel stimmt." in redaktion_client.get(reverse("admin:index")).content.decode()
