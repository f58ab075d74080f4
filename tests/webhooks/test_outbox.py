"""The outbox: every write path partners must hear about leaves an entry, in its own transaction, once."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from newsroom.models import Article, ArticleChange, Partner
from newsroom.services import article_import, article_publish, article_schedule_unpublish, article_unpublish
from tests.adminforms import admin_form_data
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    FAQItemFactory,
    TopicFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / ".." / "newsroom" / "demo" / "explainer-paris-gipfel.txt"


def noted():
    return sorted(ArticleChange.objects.values_list("article_id", flat=True))


@pytest.fixture
def live():
    article = ArticleFactory(hero_clip=VideoClipFactory(), topic=TopicFactory())
    FAQItemFactory(article=article)
    ArticleLiveblogLinkFactory(article=article)
    ArticleChange.objects.all().delete()
    return article


WRITES = {
    "content save": lambda a: a.save(),
    "take-down": lambda a: article_unpublish(article=a, user=None),
    "planned take-down": lambda a: article_schedule_unpublish(
        article=a, user=None, at=timezone.now() + dt.timedelta(1)
    ),
    "question added": lambda a: FAQItemFactory(article=a),
    "question removed": lambda a: a.faq_items.first().delete(),
    "clip edited": lambda a: (setattr(a.hero_clip, "title", "Neu"), a.hero_clip.save()),
    "liveblog card edited": lambda a: (
        setattr(card := a.liveblog_placements.first().liveblog_link, "title", "Neu"),
        card.save(),
    ),
    "topic renamed": lambda a: (setattr(a.topic, "name", "Neu"), a.topic.save()),
    "embargo released": lambda a: a.embargo_partners.add(Partner.objects.create(name="P", contact_email="p@x.org")),
    "deleted": lambda a: Article.objects.filter(pk=a.pk).delete(),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_a_published_article_leaves_one_entry(live, write):
    with transaction.atomic():
        write(live)
    assert noted() == [live.pk]


def test_a_drafts_own_edits_leave_nothing_its_publishing_does():
    draft = ArticleFactory(draft=True)
    FAQItemFactory(article=draft)
    draft.title = "Noch geheim"
    draft.save()
    assert noted() == []
    article_publish(article=draft, user=None)
    assert noted() == [draft.pk]


def test_an_import_that_publishes_leaves_an_entry():
    article = article_import(text=SAMPLE.read_text(encoding="utf-8"), publish=True).article
    assert article.pk in noted()


def test_an_admin_save_with_its_inlines_leaves_one_entry(live, admin_client):
    url = f"/admin/newsroom/article/{live.pk}/change/"
    data = admin_form_data(admin_client.get(url).content.decode())
    data["title"] = "Im Admin geändert"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert noted() == [live.pk]


def test_a_rolled_back_write_leaves_nothing_and_the_next_one_is_noted(live):
    with pytest.raises(RuntimeError), transaction.atomic():
        live.save()
        raise RuntimeError("the save fails after the entry was written")
    assert noted() == []
    with transaction.atomic():
        live.save()
    assert noted() == [live.pk]


def test_an_entry_in_a_savepoint_that_rolls_back_is_written_again(live):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            live.save()
            raise RuntimeError("the inner part fails")
        FAQItemFactory(article=live)
    assert noted() == [live.pk]
