"""Search over articles, through the stored search document of each article.

One rule for every surface: ``matching(queryset, query)`` narrows a queryset to the
articles that match (every word of the query, in the title, topline, teaser, intro,
questions or answers). The reader search (``search_articles``, ``/suche/``), the partner
API's ``search`` filter and the admin's article search all call it, so a reader and a
partner get the same articles for the same query; only the order differs.

The document is kept by database triggers (migration ``newsroom/0009``), so every write
path keeps it current:

- PostgreSQL: a weighted German ``tsvector`` per article (``ArticleSearchDocument``) with a
  GIN index; queries in ``websearch`` syntax (phrases in quotes), German word forms, ranked.
- SQLite: an FTS5 table; every word of the query is a prefix ("Truppe" finds "Truppen"),
  newest first.

``search_articles(query)`` returns a paginable result set; every page it hands out
carries a highlighted snippet per article (``article.search_snippet``, safe HTML in
which only ``<mark>`` is markup). Its gate is ``Article.objects.published()`` and a
page costs a fixed number of queries: the count, the page, and one query for the
snippets of the whole page.
"""

import html
import re

from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from faq.models import FAQItem
from newsroom.models import Article
from newsroom.richtext import plain_text

MAX_QUERY_LENGTH = 200
# The reader search ranks at most this many of the newest matches (see search_articles): the
# ten pages of twenty results it offers.
CANDIDATES = 200
FTS_TABLE = "newsroom_article_fts"
DOCUMENTS = "newsroom_article_search"
# The one full-text condition on PostgreSQL (parameters: configuration, query).
_DOCUMENT_MATCHES = "document @@ websearch_to_tsquery(%s::regconfig, %s)"
# Up to this many matches, a search narrows to their ids (see matching).
ID_LIMIT = 10_000
SEARCH_CONFIG = "german"

# Highlight delimiters: private-use characters no editor types. The snippet is
# built as plain text with these around each hit, escaped as a whole, and only
# then are the delimiters turned into <mark> (see ``_marked``).
_START, _STOP = "\ue000", "\ue001"
_HIT = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

_WORD = re.compile(r"[^\W_]+")

# Snippet size on SQLite: characters shown before the first hit and in all.
_LEAD, _WIDTH = 60, 240
# A query ANDs its words; more than this many adds nothing but work.
_MAX_TERMS = 10


def clean_query(raw):
    """The query as searched and shown: control characters gone, whitespace collapsed, at most 200 chars."""
    text = _CONTROL_CHARS.sub(" ", raw or "").replace(_START, "").replace(_STOP, "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


class SearchResults:
    """Matching published articles, best first; any slice comes back with snippets.

    Quacks like a sequence for ``Paginator``: ``count()`` plus slicing.
    """

    def __init__(self, queryset, highlight, count=None):
        self.queryset = queryset
        self._highlight = highlight
        self._count = count

    def count(self):
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    @property
    def capped(self):
        """More articles matched than ``CANDIDATES``: only the newest of them are ranked."""
        return self.count() >= CANDIDATES

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        articles = list(self.queryset[key])
        if articles:
            self._highlight(articles)
        return articles


def matching(queryset, query):
    """``queryset`` narrowed to the articles matching ``query``; none for an empty query.

    The one search rule (see the module docstring); ordering is left to the caller.

    On PostgreSQL the queryset keeps the index's condition as a subquery, and the planner
    weighs it with the GIN index's statistics: a rare word is looked up in the index first, a
    common one checked along the listing's own order, which finds its page among the newest
    articles at once (asking for the ids first cost as much as the rest of an admin search).
    SQLite's FTS5 table is asked for the matching ids first, at most ``ID_LIMIT`` of them; up
    to that many, the queryset is narrowed to exactly those ids, beyond that it keeps the
    condition. Either way every match counts and nothing else does.
    """
    query = clean_query(query)
    statement = index_query(query) if query else None
    if statement is None:
        return queryset.none()
    found, params = statement
    if _fulltext_available():
        return queryset.filter(pk__in=RawSQL(found, params))
    with connection.cursor() as cursor:
        cursor.execute(f"{found} LIMIT {ID_LIMIT + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > ID_LIMIT:
        return queryset.filter(pk__in=RawSQL(found, params))
    return queryset.filter(pk__in=ids)


def index_query(query):
    """``(sql, params)`` that asks the full-text index for the matching ids; ``None`` when there are no words."""
    if _fulltext_available():
        return f"SELECT article_id FROM {DOCUMENTS} WHERE {_DOCUMENT_MATCHES}", [SEARCH_CONFIG, query]
    terms = _terms(query)
    if not terms:
        return None
    match = " ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]


def search_articles(query):
    """Published articles matching ``query``, best first, paginable, with snippets.

    Readers get the best of the newest ``CANDIDATES`` matches: ranking every match of a
    common word in a big archive would cost more the bigger it grows, and a newsroom's
    readers look for what is recent. ``SearchResults.capped`` says when there were more.
    """
    query = clean_query(query)
    if not query:
        return SearchResults(Article.objects.none(), _no_snippets)
    found = _newest_matches(query) if _fulltext_available() else matching(Article.objects.published(), query)
    newest = list(found.order_by("-publish_at", "-id").values_list("pk", flat=True)[:CANDIDATES])
    if _fulltext_available():
        # One array parameter rather than a placeholder per candidate.
        found = Article.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [newest])).select_related("topic")
        return _fulltext(found, query, count=len(newest))
    found = Article.objects.filter(pk__in=newest).select_related("topic")
    return _fallback(found, query, count=len(newest))


def _newest_matches(query):
    """PostgreSQL: published articles among the newest matches, by the go-live time beside each document.

    The index finds the matches and their order costs no read of the articles (migration
    0011). Twice as many as needed are taken, as some may be drafts or planned; ``published()``
    decides, in the same query.
    """
    newest = RawSQL(
        f"SELECT article_id FROM (SELECT article_id FROM {DOCUMENTS} WHERE {_DOCUMENT_MATCHES} "
        f"ORDER BY publish_at DESC NULLS LAST LIMIT {2 * CANDIDATES}) newest",
        [SEARCH_CONFIG, query],
    )
    return Article.objects.published().filter(pk__in=newest)


def _fulltext_available():
    return connection.vendor == "postgresql"


def _no_snippets(articles):
    pass


def _marked(text):
    """Plain text with hit delimiters → safe HTML: everything escaped, hits in <mark>."""
    escaped = escape(text)  # the delimiters are no HTML specials and survive escaping
    marked = _HIT.sub(r"<mark>\1</mark>", escaped)
    # Safe: all text was escaped above; <mark> is the only markup added.
    return mark_safe(marked.replace(_START, "").replace(_STOP, ""))


# PostgreSQL ------------------------------------------------------------------


def _search_query(query):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def _fulltext(found, query, *, count):
    from django.contrib.postgres.search import SearchRank

    search_query = _search_query(query)
    queryset = found.annotate(search_rank=SearchRank(F("search_document__document"), search_query)).order_by(
        "-search_rank", "-publish_at", "-id"
    )

    def highlight(articles):
        from django.contrib.postgres.search import SearchHeadline

        headlines = dict(
            Article.objects.filter(pk__in=[article.pk for article in articles])
            .order_by()
            .annotate(
                headline=SearchHeadline(
                    _headline_document(),
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    min_words=12,
                    max_words=25,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "headline")
        )
        for article in articles:
            # The document is HTML-escaped text (see _headline_document): decode it
            # once, then _marked escapes all of it again, hits excepted. Tags became spaces.
            text = " ".join(html.unescape(headlines.get(article.pk) or "").split())
            article.search_snippet = _marked(text)

    return SearchResults(queryset, highlight, count)


def _faq_aggregate(expression):
    """All FAQ items of the outer article, as one text in the editors' order (a correlated subquery)."""
    from django.contrib.postgres.aggregates import StringAgg

    return Subquery(
        FAQItem.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(text=StringAgg(expression, delimiter=" ", order_by=("position", "id")))
        .values("text"),
        output_field=TextField(),
    )


def _escaped(expression):
    """Plain text as HTML-escaped text, so it joins rich text in one document."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, Value(char), Value(entity), output_field=TextField())
    return expression


def _without_tags(expression):
    """Sanitised rich text with its tags removed; entities stay, so the text stays escaped."""
    return Func(
        expression,
        Value(r'<("[^"]*"|[^">])*>'),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _headline_document():
    """What a snippet is cut from: teaser, intro, questions and answers, as tag-free escaped text.

    ts_headline replaces anything that looks like a tag with a space and passes
    entities through, so a consistently escaped document keeps an editor's literal
    "<b>" as text instead of losing it. The title is left out: it is shown anyway.
    """
    faq = _faq_aggregate(_joined(_escaped(F("question")), _without_tags(F("answer"))))
    document = _joined(_escaped(F("teaser")), _without_tags(F("intro")), faq)
    for delimiter in (_START, _STOP):
        document = Replace(document, Value(delimiter), Value(""), output_field=TextField())
    return document


def _joined(*expressions):
    """Texts joined by spaces; NULLs (an article without FAQ items) are skipped."""
    return Func(Value(" "), *expressions, function="CONCAT_WS", output_field=TextField())


# SQLite: FTS5 ------------------------------------------------------------------------------


def _terms(query):
    """The words of a query as the FTS5 tokenizer sees them: letters and digits, each once."""
    terms = []
    for word in _WORD.findall(query):
        if word.casefold() not in {term.casefold() for term in terms}:
            terms.append(word)
    return terms[:_MAX_TERMS]


def _fallback(found, query, *, count):
    """Newest first, with a snippet around the first hit of any word."""
    terms = _terms(query)
    queryset = found.order_by("-publish_at", "-id")
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)

    def highlight(articles):
        faq_texts = {}
        items = FAQItem.objects.filter(article__in=[article.pk for article in articles]).order_by(
            "article_id", "position", "id"
        )
        for article_id, question, answer in items.values_list("article_id", "question", "answer"):
            faq_texts.setdefault(article_id, []).extend([question, _plain(answer)])
        for article in articles:
            parts = [article.teaser, _plain(article.intro), *faq_texts.get(article.pk, [])]
            article.search_snippet = _snippet(" ".join(parts), pattern)

    return SearchResults(queryset, highlight, count)


def _plain(rich_text):
    """Rich text as plain text; paragraphs, list items and line breaks stay apart ("werden. Für")."""
    return plain_text(rich_text)


def _snippet(text, pattern):
    """A window of ``text`` around its first hit, each hit between the delimiters, as safe HTML."""
    text = " ".join(text.replace(_START, "").replace(_STOP, "").split())
    first = pattern.search(text)
    start = 0
    if first and first.start() > _LEAD:
        # Begin at a word boundary a little before the first hit.
        space = text.find(" ", first.start() - _LEAD, first.start())
        start = space + 1 if space >= 0 else first.start()
    end = start + _WIDTH
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    window = text[start:end]
    marked = pattern.sub(lambda hit: f"{_START}{hit.group(0)}{_STOP}", window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return _marked(prefix + marked + suffix)
