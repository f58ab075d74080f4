"""Validators from stamps, 304s without rendering, a response cache that is never stale, listings without scans."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.caching import purge
from newsroom.models import Article, Partner, PartnerAPIKey, Topic
from newsroom.services import article_publish, article_schedule_unpublish, article_unpublish
from tests.factories import ArticleFactory, FAQItemFactory, TopicFactory, VideoClipFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
LISTINGS = [
    "/",
    "/themen/ukraine/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/themen/ukraine/feed/",
    "/sitemap.xml",
    "/sitemap-artikel.xml",
    "/sitemap-themen.xml",
    "/sitemap-news.xml",
    "/suche/?q=Gipfel",
]
API_LISTS = ["/api/v1/articles/", "/api/v1/clips/", "/api/v1/topics/", "/api/v1/liveblog-links/"]


@pytest.fixture
def api(client):
    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    key = PartnerAPIKey.objects.create_key(partner=partner, name="Produktion")[1]

    def get(path, **headers):
        return client.get(path, HTTP_AUTHORIZATION=f"Api-Key {key}", **headers)

    return get


@pytest.fixture
def site():
    """Two published articles in one topic, a week old; the clock can move."""
    ukraine = TopicFactory(slug="ukraine", name="Ukraine")
    week_ago = timezone.now() - dt.timedelta(days=7)
    articles = [
        ArticleFactory(topic=ukraine, title=f"Gipfel Nummer {number}", hero_clip=VideoClipFactory())
        for number in (1, 2)
    ]
    for article in articles:
        FAQItemFactory(article=article)
    Article.objects.update(publish_at=week_ago, first_published_at=week_ago, updated_at=week_ago)
    # Everything happened earlier: Last-Modified counts whole seconds.
    for model in (Topic, VideoClip, FAQItem):
        model.objects.update(updated_at=week_ago)
    return articles


def move_clock(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def validators(get, path):
    response = get(path)
    assert response.status_code == 200, path
    return response["ETag"], response["Last-Modified"]


def everything(client, api, article=None):
    """The validators of every public listing, and of the article's page and API documents."""
    found = {path: validators(client.get, path) for path in LISTINGS}
    found |= {path: validators(api, path) for path in API_LISTS}
    if article is not None:
        for path in (
            article.get_absolute_url(),
            f"/api/v1/articles/{article.pk}/",
            f"/api/v1/articles/{article.pk}/ninjs/",
        ):
            found[path] = validators(client.get if path.startswith("/nachrichten") else api, path)
    return found


# 304 without work --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*LISTINGS, "article"])
def test_a_revalidation_is_a_304_without_rendering_anything(client, site, path):
    path = site[0].get_absolute_url() if path == "article" else path
    first = client.get(path)
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        with CaptureQueriesContext(connection) as queries:
            second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    finally:
        template_rendered.disconnect(record)
    assert second.status_code == 304
    assert rendered == []
    assert len(queries) == 1  # the stamp, nothing else
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == first["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1/articles/", "article", "ninjs"])
def test_an_api_revalidation_is_a_304_without_serialising(api, site, path, monkeypatch):
    from rest_framework.serializers import Serializer

    article = site[0]
    path = {"article": f"/api/v1/articles/{article.pk}/", "ninjs": f"/api/v1/articles/{article.pk}/ninjs/"}.get(
        path, path
    )
    first = api(path)
    serialised = []
    monkeypatch.setattr(Serializer, "data", property(lambda self: serialised.append(self) or {}))
    second = api(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert serialised == []
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", ["/", "/sitemap-news.xml", "article", "api", "api list"])
def test_a_revalidation_answered_before_most_middleware_is_the_304_the_view_gives(site, settings, path):
    from django.test import Client

    article = site[0]
    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {PartnerAPIKey.objects.create_key(partner=partner, name='P')[1]}"}
    headers = headers if path.startswith("api") else {}
    path = {
        "article": article.get_absolute_url(),
        "api": f"/api/v1/articles/{article.pk}/",
        "api list": "/api/v1/articles/",
    }.get(path, path)
    etag = Client().get(path, **headers)["ETag"]
    early = Client().get(path, HTTP_IF_NONE_MATCH=etag, **headers)
    assert early.wsgi_request.early_asked and not hasattr(early.wsgi_request, "user")  # auth never ran

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "newsroom.caching.early.RevalidationMiddleware"]
    late = Client().get(path, HTTP_IF_NONE_MATCH=etag, **headers)

    assert hasattr(late.wsgi_request, "user") and not hasattr(late.wsgi_request, "early_asked")
    assert (early.status_code, early.content) == (late.status_code, late.content) == (304, b"")
    assert dict(early.headers) == dict(late.headers)


def test_a_revalidation_answers_every_precondition_as_django_does(client, site):
    path = site[0].get_absolute_url()
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    # The exact ETag: 304 with the validators, and no surrogate keys: a cache that revalidates
    # keeps those of the full answer (which also name its clips), a 304 must not narrow them.
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert (again["ETag"], again["Last-Modified"]) == (etag, last_modified)
    assert "clip-" in first["xkey"] and "xkey" not in again
    # One of several, or a weak comparison: still unchanged.
    assert client.get(path, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    # Another ETag: the page, even when the date alone would match.
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200
    # A failed If-Match outranks a matching If-None-Match.
    assert client.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MATCH='"other"').status_code == 412
    assert client.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MATCH=etag).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_IF_UNMODIFIED_SINCE=old).status_code == 412


def test_a_repeat_request_is_served_from_the_response_cache_without_rendering(client, site):
    first = client.get("/").content
    rendered = []
    template_rendered.connect(lambda sender, template, **kwargs: rendered.append(template.name), weak=False)
    try:
        with CaptureQueriesContext(connection) as queries:
            second = client.get("/")
    finally:
        template_rendered.receivers = []
    assert second.content == first
    assert rendered == []
    assert len(queries) == 1


# The validator rules ------------------------------------------------------------------------


def test_saving_a_draft_moves_no_public_validator(client, api, site):
    draft = ArticleFactory(draft=True, topic=site[0].topic, title="Gipfel im Entwurf")
    before = everything(client, api, site[0])
    draft.title = "Gipfel im Entwurf, überarbeitet"
    draft.save()
    FAQItemFactory(article=draft, answer="<p>Gipfel</p>")
    assert everything(client, api, site[0]) == before


def test_sending_a_draft_to_review_moves_no_public_validator(client, api, site, admin_user):
    from newsroom.services import article_submit

    draft = ArticleFactory(draft=True)
    before = everything(client, api)
    article_submit(article=draft, user=admin_user)
    assert everything(client, api) == before


def test_deleting_an_article_moves_listings_validators_forward(client, api, site):
    before = everything(client, api)
    site[1].delete()
    after = everything(client, api)
    for path in before:
        assert after[path][0] != before[path][0], path
        assert _date(after[path][1]) >= _date(before[path][1]), path
    # A client that revalidates with the date it has gets the listing without the article.
    home = client.get("/", HTTP_IF_MODIFIED_SINCE=before["/"][1])
    assert home.status_code == 200 and "Gipfel Nummer 2" not in home.content.decode()


def test_an_edit_of_a_live_article_moves_its_validators_and_the_listings(client, api, site):
    before = everything(client, api, site[0])
    article = Article.objects.get(pk=site[0].pk)
    article.teaser = "Ein neuer Teaser."
    article.save()
    after = everything(client, api, site[0])
    assert all(after[path][0] != before[path][0] for path in before)


def test_a_scheduled_go_live_changes_the_validators_when_its_time_comes(client, api, site, monkeypatch):
    start = timezone.now()
    planned = ArticleFactory(topic=site[0].topic, title="Gipfel bald", publish_at=start + HOUR)
    before = everything(client, api)
    assert everything(client, api) == before  # nothing happens until then
    move_clock(monkeypatch, start + 2 * HOUR)
    after = everything(client, api, planned)
    for path in before:
        assert after[path][0] != before[path][0], path
    assert "Gipfel bald" in client.get("/").content.decode()


def test_a_scheduled_take_down_changes_the_validators_when_its_time_comes(client, api, site, monkeypatch):
    start = timezone.now()
    article_schedule_unpublish(article=site[1], user=None, at=start + HOUR)
    before = everything(client, api)
    move_clock(monkeypatch, start + 2 * HOUR)
    after = everything(client, api)
    for path in before:
        assert after[path][0] != before[path][0], path
    assert "Gipfel Nummer 2" not in client.get("/").content.decode()
    assert client.get(site[1].get_absolute_url()).status_code == 404


def test_responses_expire_at_the_next_scheduled_change(client, site):
    start = timezone.now()
    assert "s-maxage=300" in client.get("/")["Cache-Control"]
    ArticleFactory(publish_at=start + dt.timedelta(seconds=90))
    control = client.get("/")["Cache-Control"]
    shared = int(re.search(r"s-maxage=(\d+)", control).group(1))
    stale = int(re.search(r"stale-while-revalidate=(\d+)", control).group(1))
    assert 85 <= shared <= 90 and shared + stale <= 90
    article_schedule_unpublish(article=site[0], user=None, at=start + dt.timedelta(seconds=30))
    assert int(re.search(r"s-maxage=(\d+)", client.get(site[0].get_absolute_url())["Cache-Control"]).group(1)) <= 30


def test_last_modified_is_the_newest_moment_whatever_form_the_database_gives_it():
    from newsroom.caching.stamps import _newest

    # SQLite hands raw queries text for some columns and naive datetimes for others.
    newest = _newest(
        "2026-01-06 10:00:00", dt.datetime(2026, 1, 6, 10, 0, 0, 500000), "2026-01-06 09:59:59.999999", None
    )
    assert newest == dt.datetime(2026, 1, 6, 10, 0, 0, 500000, tzinfo=dt.UTC)
    assert _newest("2026-01-06 10:00:01", dt.datetime(2026, 1, 6, 10, 0, 0, 999999)) == dt.datetime(
        2026, 1, 6, 10, 0, 1, tzinfo=dt.UTC
    )
    aware = [dt.datetime(2026, 1, 6, hour, tzinfo=dt.UTC) for hour in (9, 11, 10)]
    assert _newest(*aware) == aware[1]  # PostgreSQL: aware datetimes
    assert _newest(None, None) is None


# Never stale ---------------------------------------------------------------------------------


def test_the_response_cache_is_never_stale(client, api, site, monkeypatch, admin_user):
    start = timezone.now()
    paths = [*LISTINGS, site[0].get_absolute_url(), "/api/v1/articles/", f"/api/v1/articles/{site[0].pk}/"]

    def pages():
        return {
            path: (client.get(path) if not path.startswith("/api/") else api(path)).content.decode() for path in paths
        }

    pages()  # everything in the cache now
    # An edit of a live article
    article = Article.objects.get(pk=site[0].pk)
    article.title = "Gipfel mit neuem Titel"
    article.save()
    seen = pages()
    for path in (
        "/",
        "/feeds/rss/",
        site[0].get_absolute_url(),
        "/api/v1/articles/",
        f"/api/v1/articles/{site[0].pk}/",
    ):
        assert "Gipfel mit neuem Titel" in seen[path], path
    # A publication
    draft = ArticleFactory(draft=True, topic=site[0].topic, title="Gipfel frisch veröffentlicht")
    article_publish(article=draft, user=admin_user)
    seen = pages()
    for path in ("/", "/themen/ukraine/", "/feeds/rss/", "/sitemap-news.xml", "/api/v1/articles/", "/suche/?q=Gipfel"):
        assert "Gipfel frisch veröffentlicht" in seen[path], path
    # A scheduled go-live
    ArticleFactory(topic=site[0].topic, title="Gipfel geplant", publish_at=start + HOUR)
    assert "Gipfel geplant" not in pages()["/"]
    move_clock(monkeypatch, start + 2 * HOUR)
    seen = pages()
    for path in ("/", "/themen/ukraine/", "/feeds/rss/", "/api/v1/articles/", "/suche/?q=Gipfel"):
        assert "Gipfel geplant" in seen[path], path
    # A take-down
    article_unpublish(article=Article.objects.get(pk=draft.pk), user=admin_user)
    seen = pages()
    for path in ("/", "/themen/ukraine/", "/feeds/rss/", "/sitemap-news.xml", "/api/v1/articles/", "/suche/?q=Gipfel"):
        assert "Gipfel frisch veröffentlicht" not in seen[path], path
    # A deletion
    Article.objects.get(pk=site[1].pk).delete()
    seen = pages()
    for path in (
        "/",
        "/themen/ukraine/",
        "/feeds/rss/",
        "/sitemap-artikel.xml",
        "/api/v1/articles/",
        "/suche/?q=Gipfel",
    ):
        assert "Gipfel Nummer 2" not in seen[path], path


# No scans ----------------------------------------------------------------------------------------


def test_listings_run_no_unbounded_count_and_no_offset(client, api, site):
    for number in range(25):
        ArticleFactory(topic=site[0].topic, title=f"Gipfel Folge {number}")
    older = re.search(r'href="(\?vor=\d+)"', client.get("/").content.decode()).group(1)
    cursor = api("/api/v1/articles/?page_size=5").json()["next"].replace("http://testserver", "")
    since = (timezone.now() - HOUR).isoformat()
    requests = [(client.get, path) for path in [*LISTINGS, "/" + older, "/themen/ukraine/" + older]]
    requests += [(api, path) for path in [*API_LISTS, cursor]]
    requests.append((lambda path: api(path), f"/api/v1/articles/?updated_since={since.replace('+', '%2B')}"))
    for get, path in requests:
        with CaptureQueriesContext(connection) as queries:
            assert get(path).status_code == 200, path
        for query in queries:
            sql = query["sql"].upper()
            assert " OFFSET " not in sql, (path, sql)
            if "COUNT(" in sql:
                assert " WHERE " in sql, (path, sql)


def test_the_admin_list_counts_at_most_a_capped_number_of_rows(admin_client, site):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/newsroom/article/").status_code == 200
    counts = [query["sql"].upper() for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts, "the list still says how many articles there are"
    for sql in counts:
        assert " LIMIT " in sql, sql


# Purges -------------------------------------------------------------------------------------


class RecordingPurger(purge.Purger):
    purged = []

    def purge(self, keys):
        self.purged.append(set(keys))


@pytest.fixture
def committed(settings, django_capture_on_commit_callbacks):
    """``with committed() as purged:`` runs the block as if it committed and returns what it purged.

    The test's own transaction never commits; the block's commit callbacks run at its end.
    """
    import contextlib

    settings.NEWSROOM_PURGER = "tests.test_caching.RecordingPurger"
    purge.reset_purger()

    @contextlib.contextmanager
    def block():
        purge.reset_purger()  # keys of earlier writes, whose transactions never committed, are not ours
        RecordingPurger.purged = []
        with django_capture_on_commit_callbacks(execute=True):
            yield RecordingPurger.purged

    yield block
    purge.reset_purger()


def test_edits_that_readers_see_purge_their_keys_and_draft_saves_purge_nothing(committed, site, admin_user):
    article = Article.objects.get(pk=site[0].pk)
    with committed() as purged:
        article.teaser = "Neu."
        article.save()
    assert purged == [{f"article-{article.pk}", "listing", f"topic-{article.topic_id}"}]
    with committed() as purged:
        draft = ArticleFactory(draft=True)
        draft.title = "Nur ein Entwurf"
        draft.save()
        FAQItemFactory(article=draft)
    assert purged == []
    with committed() as purged:
        article_publish(article=draft, user=admin_user)
    assert f"article-{draft.pk}" in set().union(*purged)
    clip = article.hero_clip
    with committed() as purged:
        clip.description = "Neue Bildunterschrift"
        clip.save()
    assert purged == [{f"clip-{clip.pk}"}]
    with committed() as purged:
        article_unpublish(article=Article.objects.get(pk=draft.pk), user=admin_user)
    assert f"article-{draft.pk}" in set().union(*purged)


def test_pages_carry_the_surrogate_keys_of_what_they_show(client, site):
    article = site[0]
    keys = set(client.get(article.get_absolute_url())["xkey"].split())
    assert {f"article-{article.pk}", f"topic-{article.topic_id}", f"clip-{article.hero_clip_id}"} <= keys
    listing = set(client.get("/")["xkey"].split())
    assert {"listing", f"clip-{article.hero_clip_id}"} <= listing


def test_a_purge_is_sent_once_per_transaction(site, committed, django_capture_on_commit_callbacks):
    with committed() as purged:
        for article in Article.objects.filter(pk__in=[site[0].pk, site[1].pk]):
            article.teaser = "Neu."
            article.save()
        assert purged == []  # nothing before the commit
    assert len(purged) == 1
    assert {f"article-{site[0].pk}", f"article-{site[1].pk}"} <= purged[0]


def _date(value):
    from django.utils.http import parse_http_date

    return parse_http_date(value)


def test_the_admin_list_says_more_than_when_it_stopped_counting(admin_client, monkeypatch):
    from newsroom.admin.base import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 3)
    for _ in range(4):
        ArticleFactory()
    assert "Mehr als 3 Artikel" in admin_client.get("/admin/newsroom/article/").content.decode()
    monkeypatch.setattr(CappedCountPaginator, "CAP", 10)
    assert "\n4 Artikel" in admin_client.get("/admin/newsroom/article/").content.decode()
