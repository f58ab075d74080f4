"""Reader search at /suche/: what it finds, in which order, how hits are shown, and what it never shows.

PostgreSQL runs German full-text search; SQLite a plain substring fallback. Where the
two differ on purpose (stemming, ranking) each database asserts its own behaviour.
"""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from newsroom.models import Article, Partner
from newsroom.search import MAX_QUERY_LENGTH
from tests.factories import ArticleFactory, FAQItemFactory

pytestmark = pytest.mark.django_db

FULLTEXT = connection.vendor == "postgresql"


def search(client, query=None, **params):
    if query is not None:
        params["q"] = query
    response = client.get("/suche/", params)
    assert response.status_code == 200
    return response.content.decode()


def titles(page_html):
    return [html.unescape(title) for title in re.findall(r'<span class="teaser__title">(.*?)</span>', page_html)]


def snippets(page_html):
    return re.findall(r'<p class="teaser__text search-result__snippet">(.*?)</p>', page_html, re.DOTALL)


def summary(page_html):
    match = re.search(r'<p class="search__summary">(.*?)</p>', page_html)
    return html.unescape(match.group(1)) if match else None


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def test_route_reverses_and_resolves():
    assert reverse("newsroom:search") == "/suche/"
    assert resolve("/suche/").view_name == "newsroom:search"


@pytest.mark.parametrize("field", ["title", "topline", "teaser", "intro", "question", "answer"])
def test_finds_a_word_in_each_searchable_field(client, field):
    ArticleFactory(title="Ein anderes Thema")
    if field in {"question", "answer"}:
        target = ArticleFactory(title="Der Treffer")
        text = "Was bedeutet der Walfang?" if field == "question" else "<p>Es geht um den Walfang.</p>"
        FAQItemFactory(article=target, **{field: text})
    else:
        values = {"title": "Der Treffer", field: {"intro": "<p>Es geht um den Walfang.</p>"}.get(field, "Walfang")}
        ArticleFactory(**values)
    page = search(client, "Walfang")
    assert titles(page) == ["Walfang" if field == "title" else "Der Treffer"]
    assert summary(page) == "1 Treffer für „Walfang“"


def test_an_article_with_several_matching_answers_is_listed_once(client):
    article = ArticleFactory(title="Alles über Fähren")
    for _ in range(3):
        FAQItemFactory(article=article, answer="<p>Die Fähre fährt wieder.</p>")
    page = search(client, "Fähre")
    assert titles(page) == ["Alles über Fähren"]
    assert summary(page) == "1 Treffer für „Fähre“"


def test_german_word_forms(client):
    ArticleFactory(title="Truppen ziehen ab", teaser="Die Soldaten kehren heim.")
    ArticleFactory(title="Treffen in Rom", teaser="Der Gipfel beginnt am Montag.")
    # Both databases find "Truppen" for "Truppe": by its stem, or as a substring.
    assert titles(search(client, "Truppe")) == ["Truppen ziehen ab"]
    if FULLTEXT:
        # German stemming: an inflected form finds the base form, and the other way round.
        assert titles(search(client, "Gipfels")) == ["Treffen in Rom"]
        assert titles(search(client, "Soldat")) == ["Truppen ziehen ab"]
    else:
        # The fallback only matches substrings (case-insensitively), no word forms.
        assert titles(search(client, "Gipfels")) == []
        assert titles(search(client, "GIPFEL")) == ["Treffen in Rom"]


def test_order_of_results(client):
    in_title = ArticleFactory(title="Fischerei im Wandel", publish_at=hours_ago(48))
    in_answer = ArticleFactory(title="Was sich an den Küsten ändert", publish_at=hours_ago(1))
    FAQItemFactory(article=in_answer, answer="<p>Auch die Fischerei ist betroffen.</p>")
    found = titles(search(client, "Fischerei"))
    if FULLTEXT:
        # Ranked: a hit in the title outweighs a hit in an answer, even in an older article.
        assert found == [in_title.title, in_answer.title]
    else:
        # The fallback has no ranking: newest first.
        assert found == [in_answer.title, in_title.title]


def test_snippet_marks_the_hit(client):
    article = ArticleFactory(title="Meere", teaser="Warum der Kabeljau knapp wird.")
    FAQItemFactory(article=article, answer="<p>Der <strong>Kabeljau</strong> wandert nach Norden.</p>")
    [snippet] = snippets(search(client, "Kabeljau"))
    assert "<mark>Kabeljau</mark>" in snippet
    # Rich-text markup is not carried into the snippet.
    assert "<strong>" not in snippet


def test_editor_markup_in_an_answer_is_shown_as_text(client):
    article = ArticleFactory(title="Sicherheit im Netz", teaser="Betrug erkennen.", intro="")
    FAQItemFactory(
        article=article,
        question="Woran erkennt man Phishing?",
        answer="<p>Sie schreiben &lt;script&gt;alert(1)&lt;/script&gt; oder &lt;b&gt;Phishing&lt;/b&gt; hinein.</p>",
    )
    page = search(client, "Phishing")
    [snippet] = snippets(page)
    assert "<mark>Phishing</mark>" in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "&lt;b&gt;" in snippet
    assert "<script" not in page
    assert "<b>" not in page


def test_editor_markup_in_a_plain_field_is_shown_as_text(client):
    ArticleFactory(title="Fischerei", teaser="Fangquoten für die <i>Makrele</i> & den Hering: <script>x()</script>")
    page = search(client, "Makrele")
    [snippet] = snippets(page)
    assert "Fangquoten für die &lt;i&gt;<mark>Makrele</mark>&lt;/i&gt; &amp; den Hering" in snippet
    assert "&lt;script&gt;x()&lt;/script&gt;" in snippet
    assert "<i>" not in page
    assert "<script" not in page


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"status": Article.Status.REVIEW, "publish_at": None},
        {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + dt.timedelta(days=1)},
        {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + dt.timedelta(days=1), "embargo": True},
        {"status": Article.Status.PUBLISHED, "publish_at": hours_ago(48), "unpublish_at": hours_ago(1)},
    ],
    ids=["draft", "review", "scheduled", "embargoed", "expired"],
)
def test_only_published_articles_are_found(client, hidden):
    hidden = dict(hidden)
    embargo = hidden.pop("embargo", False)
    secret = ArticleFactory(title="Geheimplan der Redaktion", first_published_at=None, **hidden)
    if embargo:  # released to a partner ahead of its go-live: still not for readers
        secret.embargo_partners.add(Partner.objects.create(name="Agentur", contact_email="a@example.org"))
    FAQItemFactory(article=secret, question="Was ist der Schattenhaushalt?", answer="<p>Schattenhaushalt.</p>")
    ArticleFactory(title="Der veröffentlichte Geheimplan")
    assert titles(search(client, "Geheimplan")) == ["Der veröffentlichte Geheimplan"]
    # A word only the hidden article contains finds nothing at all.
    page = search(client, "Schattenhaushalt")
    assert titles(page) == []
    assert "Keine Treffer für „Schattenhaushalt“" in page
    assert "Geheimplan der Redaktion" not in page


@pytest.mark.parametrize("query", [None, "", "   "])
def test_empty_query_asks_what_to_search_for(client, query):
    ArticleFactory(title="Ein Artikel")
    page = search(client, query)
    assert "Wonach suchen Sie?" in page
    assert "Geben Sie ein Stichwort ein" in page
    assert titles(page) == []
    assert "<title>Suche – Newsroom</title>" in page
    assert '<h1 class="listing__heading">Suche</h1>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<link rel="canonical" href="http://testserver/suche/">' in page


def test_no_results_says_so_and_gives_a_tip(client):
    ArticleFactory(title="Ein Artikel")
    page = search(client, "Zyxwvut")
    assert "Keine Treffer für „Zyxwvut“" in page
    assert "Tipp:" in page
    assert titles(page) == []
    assert summary(page) is None


def test_results_page_counts_hits_and_is_not_indexed(client):
    for place in ("Paris", "Paris", "Paris", "Rom"):
        ArticleFactory(teaser=f"Treffen in {place}.")
    page = search(client, "Paris")
    assert summary(page) == "3 Treffer für „Paris“"
    assert len(titles(page)) == 3
    assert "<title>Suche nach „Paris“ – Newsroom</title>" in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<link rel="canonical" href="http://testserver/suche/?q=Paris">' in page
    assert 'name="q" value="Paris"' in page
    assert '<nav class="pagination"' not in page


def test_pagination_keeps_the_query(client):
    for _ in range(21):
        ArticleFactory(title="Gipfel & Co")
    first = search(client, "Gipfel & Co")
    assert summary(first) == "21 Treffer für „Gipfel & Co“"
    assert len(titles(first)) == 20
    assert '<a rel="next" href="?q=Gipfel%20%26%20Co&amp;seite=2">Nächste Seite</a>' in first
    assert "Seite 1 von 2" in first
    second = search(client, "Gipfel & Co", seite="2")
    assert len(titles(second)) == 1
    assert '<a rel="prev" href="?q=Gipfel%20%26%20Co&amp;seite=1">Vorherige Seite</a>' in second
    assert "<title>Suche nach „Gipfel &amp; Co“, Seite 2 – Newsroom</title>" in second
    assert '<link rel="canonical" href="http://testserver/suche/?q=Gipfel%20%26%20Co&amp;seite=2">' in second


def test_a_quoted_phrase_finds_the_article(client):
    ArticleFactory(title="Die Koalition der Willigen berät")
    ArticleFactory(title="Die Willigen und die Koalition")
    found = titles(search(client, '"Koalition der Willigen"'))
    if FULLTEXT:
        assert found == ["Die Koalition der Willigen berät"]  # a phrase: words in this order
    else:
        assert sorted(found) == ["Die Koalition der Willigen berät", "Die Willigen und die Koalition"]


@pytest.mark.parametrize(
    "query",
    ['"', "'", "&", "<", "%", "_", "\\", "100% _Kosten_ \\ \"Zitat' & <b>", "<script>alert(1)</script>"],
)
def test_special_characters_are_safe_and_match_literally(client, query):
    ArticleFactory(title="Preise steigen", teaser="Alles wird teurer.")
    page = search(client, query)
    # No wildcard, no syntax: none of these characters matches the article.
    assert titles(page) == []
    assert "Keine Treffer für „" in page
    assert "<script>" not in page
    assert "<b>" not in page


def test_control_characters_in_the_query_are_ignored(client):
    ArticleFactory(title="Gipfel in Paris")
    assert titles(search(client, "Paris\x00")) == ["Gipfel in Paris"]
    assert "Wonach suchen Sie?" in search(client, "\x00\t")


def test_script_in_the_query_is_shown_escaped(client):
    page = search(client, "<script>alert(1)</script>")
    assert "Keine Treffer für „&lt;script&gt;alert(1)&lt;/script&gt;“" in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_ampersand_in_the_query_finds_the_article(client):
    ArticleFactory(title="Tom & Jerry im Kino")
    assert titles(search(client, "Tom & Jerry")) == ["Tom & Jerry im Kino"]


def test_an_overlong_query_is_trimmed(client):
    ArticleFactory(title="Gipfel in Paris")
    page = search(client, "Paris " + "x" * 1000)
    assert "x" * (MAX_QUERY_LENGTH - len("Paris ")) in page
    assert "x" * (MAX_QUERY_LENGTH - len("Paris ") + 1) not in page
    assert "Keine Treffer für „Paris xxx" in page
    assert 'maxlength="200"' in page


@pytest.mark.parametrize("count", [3, 15])
def test_query_count_does_not_grow_with_the_results(client, count):
    for number in range(count):
        article = ArticleFactory(title=f"Wahlrecht {number}")
        FAQItemFactory(article=article, answer="<p>Das Wahlrecht ändert sich.</p>")
        FAQItemFactory(article=article)
    with CaptureQueriesContext(connection) as queries:
        page = search(client, "Wahlrecht")
    assert len(titles(page)) == count
    assert len(snippets(page)) == count
    # The stamp (newsroom.caching), the newest published matches (on PostgreSQL in one query with
    # asking the full-text index; SQLite asks its FTS table first), the page of articles, the
    # snippets of the whole page.
    assert len(queries) == (4 if connection.vendor == "postgresql" else 5)


def test_every_page_has_a_search_form_in_the_header(client):
    response = client.get("/")
    page = response.content.decode()
    form = re.search(r'<form class="site-search" role="search"[^>]*>.*?</form>', page, re.DOTALL).group(0)
    assert 'action="/suche/"' in form
    assert '<label class="visually-hidden" for="kopf-suche">Suchbegriff</label>' in form
    assert '<input class="site-search__input" id="kopf-suche" type="search" name="q"' in form
    assert '<button class="site-search__button" type="submit">Suchen</button>' in form


def test_search_page_form_has_a_visible_label(client):
    page = search(client, "Paris")
    assert '<label class="search-form__label" for="suche">Suchbegriff</label>' in page
    assert '<input class="search-form__input" id="suche" type="search" name="q" value="Paris"' in page


# One search for readers and partners ------------------------------------------------------

SHARED_QUERIES = [
    "Walfang",
    "walfang Fähre",
    "Truppen",
    "Gipfel Paris",
    '"Koalition der Willigen"',
    "Preise & Strom",
    "Einleitung",
    "Antwort",
    "gibt es nicht",
]


@pytest.fixture
def partner_get(client):
    from newsroom.models import Partner, PartnerAPIKey

    partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
    key = PartnerAPIKey.objects.create_key(partner=partner, name="Produktion")[1]
    return lambda path, data: client.get(path, data, HTTP_AUTHORIZATION=f"Api-Key {key}")


def test_a_reader_and_a_partner_get_the_same_articles_for_the_same_query(client, partner_get):
    whales = ArticleFactory(title="Streit um den Walfang", teaser="Japan und Norwegen jagen weiter.")
    ferry = ArticleFactory(title="Die Fähre nach Helgoland", intro="<p>Auch der Walfang ist ein Thema.</p>")
    summit = ArticleFactory(topline="Gipfel in Paris", title='Wie die "Koalition der Willigen" plant')
    FAQItemFactory(article=summit, question="Wer schickt Truppen?", answer="<p>Die Antwort steht noch aus.</p>")
    prices = ArticleFactory(title="Preise & Strom", intro="<p>Eine Einleitung über Preise.</p>")
    ArticleFactory(title="Geheimer Walfang-Entwurf", status=Article.Status.DRAFT, publish_at=None)
    assert {whales.pk, ferry.pk, summit.pk, prices.pk}
    for query in SHARED_QUERIES:
        page = search(client, query)
        reader = set(re.findall(r'href="/nachrichten/[\w-]+-(\d+)/"', page))
        response = partner_get("/api/v1/articles/", {"search": query, "page_size": 100})
        assert response.status_code == 200, query
        partner = {str(item["id"]) for item in response.json()["results"]}
        assert reader == partner, query
    # The queries are not all empty: the comparison compares something.
    assert partner_get("/api/v1/articles/", {"search": "Walfang"}).json()["results"]


def test_a_partner_search_now_finds_words_in_intro_and_answers(partner_get):
    article = ArticleFactory(title="Ein Titel ohne das Wort", intro="<p>Hier steht Kabeljau.</p>")
    other = ArticleFactory(title="Noch ein Titel")
    FAQItemFactory(article=other, answer="<p>Und hier Makrele.</p>")

    def ids(query):
        return [item["id"] for item in partner_get("/api/v1/articles/", {"search": query}).json()["results"]]

    assert ids("Kabeljau") == [article.pk]
    assert ids("Makrele") == [other.pk]
    # Word by word, not the whole string: both words, in any order and place.
    assert ids("Makrele Titel") == [other.pk]


def test_snippets_keep_paragraphs_apart(client):
    article = ArticleFactory(
        title="Wahlrecht", teaser="Kurz.", intro="<p>Es soll geändert werden.</p><p>Für die Reform</p>"
    )
    FAQItemFactory(article=article, answer="<ul><li>Erstens</li><li>Zweitens</li></ul>")
    [snippet] = snippets(search(client, "Reform"))
    text = re.sub(r"</?mark>", "", snippet)
    assert "werden. Für" in text
    assert "werden.Für" not in text
    assert "ErstensZweitens" not in text


# The stored search document ---------------------------------------------------------------


def explain(statement):
    sql, params = statement
    with connection.cursor() as cursor:
        if FULLTEXT:
            cursor.execute("ANALYZE newsroom_article")
            cursor.execute("ANALYZE newsroom_article_search")
            # A test database stays small enough for a sequential scan to look cheapest; at an
            # archive's size it is not (see `make bench-scale`). The question here is whether
            # the GIN index serves this query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_search_query_uses_the_full_text_index():
    from newsroom.search import index_query

    # Enough articles with their own words that the planner sees an archive, not a handful of rows.
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            topline=f"Dachzeile {number}",
            title=f"Bericht {number} über Thema{number % 97} und Ort{number % 89}",
            slug=f"bericht-{number}",
            teaser=f"Teaser{number} mit Wort{number % 83}.",
            status=Article.Status.PUBLISHED,
            publish_at=now - dt.timedelta(minutes=number),
        )
        for number in range(3000)
    )
    ArticleFactory(title="Gipfel in Paris")
    plan = explain(index_query("Gipfel Paris"))
    if FULLTEXT:
        assert "newsroom_article_search_document_idx" in plan, plan
        assert "Seq Scan" not in plan, plan
    else:
        assert "VIRTUAL TABLE INDEX" in plan and "newsroom_article_fts" in plan, plan


def test_every_write_path_keeps_the_search_document_current(client):
    from newsroom.models import Article as Model

    article = ArticleFactory(title="Ein Titel")
    item = FAQItemFactory(article=article, question="Was ist der Stand?", answer="<p>Nichts Neues.</p>")
    assert titles(search(client, "Stand")) == ["Ein Titel"]
    # A question edited on its own, a queryset update, a deletion: the document follows each.
    item.question = "Was ist mit dem Deich?"
    item.save()
    assert titles(search(client, "Deich")) == ["Ein Titel"]
    assert titles(search(client, "Stand")) == []
    Model.objects.filter(pk=article.pk).update(teaser="Sturmflut an der Küste.")
    assert titles(search(client, "Sturmflut")) == ["Ein Titel"]
    item.delete()
    assert titles(search(client, "Deich")) == []
    FAQItemFactory(article=article, answer="<p>Die <strong>Warften</strong> halten.</p>")
    assert titles(search(client, "Warften")) == ["Ein Titel"]
    # Markup is not a word: the tag name of the bold text finds nothing.
    assert titles(search(client, "strong")) == []


def stored_documents():
    table = "newsroom_article_search" if FULLTEXT else "newsroom_article_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def test_a_deleted_article_takes_its_search_document_with_it(client):
    kept = ArticleFactory(title="Deich hält")
    gone = ArticleFactory(title="Deich bricht")
    assert stored_documents() == 2
    gone.delete()
    assert stored_documents() == 1
    assert titles(search(client, "Deich")) == [kept.title]


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_empties_the_search_too(client):
    # What `manage.py flush` and every transactional test do: on PostgreSQL, a TRUNCATE of the articles.
    from django.core.management import call_command

    ArticleFactory(title="Gipfel in Paris")
    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists()
    assert stored_documents() == 0
    ArticleFactory(title="Gipfel in Rom")
    assert titles(search(client, "Gipfel")) == ["Gipfel in Rom"]


def test_every_trigger_is_in_place_after_migrating():
    # A migration that rebuilds a table (SQLite does for a new NOT NULL column) drops its triggers.
    import importlib

    lists = {"postgresql": "POSTGRESQL", "sqlite": "SQLITE"}
    expected = set()
    for name in ("0009_search_document", "0011_search_document_order", "0012_search_document_without_foreign_key"):
        module = importlib.import_module(f"newsroom.migrations.{name}")
        for statement in getattr(module, lists[connection.vendor], []):
            expected.update(re.findall(r"CREATE TRIGGER (\w+)", statement))
    with connection.cursor() as cursor:
        if FULLTEXT:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    assert len(expected) >= 7
    assert expected <= present, f"missing: {sorted(expected - present)}"
