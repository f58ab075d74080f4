"""The stored search document of every article, and the trace of deleted public articles.

Both are kept by database triggers, so every write path keeps them current: the admin with
its inlines, the importer, a restore, ``generate_articles``, a ``QuerySet.update()`` or the
shell. The SQL differs by database and runs only where it belongs:

- PostgreSQL: ``newsroom_article_search`` holds a weighted ``tsvector`` per article (German
  configuration; A title and topline, B teaser, C intro and questions, D answers) with a GIN
  index. A row trigger on the article and statement triggers on its FAQ items refresh it.
- SQLite: ``newsroom_article_fts`` is an FTS5 table with the same texts (rich text without its
  tags, through the ``newsroom_plain`` function that ``newsroom.apps`` registers on every
  SQLite connection), kept by row triggers.
- Both: deleting an article that was ever published writes a row to ``newsroom_articledeletion``.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE TABLE newsroom_article_search (
        article_id bigint PRIMARY KEY REFERENCES newsroom_article (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )
    """,
    # fastupdate off: a save writes its entries into the index at once, so searches never wade through
    # a pending list (a newsroom writes little and reads a lot).
    "CREATE INDEX newsroom_article_search_document_idx ON newsroom_article_search USING gin (document) WITH (fastupdate = off)",
    """
    CREATE FUNCTION newsroom_article_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO newsroom_article_search (article_id, document)
        SELECT article.id,
               setweight(to_tsvector('german', coalesce(article.title, '') || ' ' || coalesce(article.topline, '')), 'A')
            || setweight(to_tsvector('german', coalesce(article.teaser, '')), 'B')
            || setweight(to_tsvector('german', coalesce(article.intro, '') || ' ' || coalesce(faq.questions, '')), 'C')
            || setweight(to_tsvector('german', coalesce(faq.answers, '')), 'D')
        FROM newsroom_article AS article
        LEFT JOIN (
            SELECT article_id,
                   string_agg(question, ' ' ORDER BY position, id) AS questions,
                   string_agg(answer, ' ' ORDER BY position, id) AS answers
            FROM faq_faqitem
            WHERE article_id = ANY (ids)
            GROUP BY article_id
        ) AS faq ON faq.article_id = article.id
        WHERE article.id = ANY (ids)
        ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document
    $$
    """,
    """
    CREATE FUNCTION newsroom_article_search_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM newsroom_article_search_refresh(ARRAY[NEW.id]);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_article
    AFTER INSERT OR UPDATE OF title, topline, teaser, intro ON newsroom_article
    FOR EACH ROW EXECUTE FUNCTION newsroom_article_search_on_article()
    """,
    """
    CREATE FUNCTION newsroom_article_search_on_new_items() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM newsroom_article_search_refresh(ARRAY(SELECT DISTINCT article_id FROM new_items));
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION newsroom_article_search_on_old_items() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM newsroom_article_search_refresh(ARRAY(SELECT DISTINCT article_id FROM old_items));
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION newsroom_article_search_on_changed_items() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM newsroom_article_search_refresh(
            ARRAY(SELECT article_id FROM new_items UNION SELECT article_id FROM old_items)
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_item_insert AFTER INSERT ON faq_faqitem
    REFERENCING NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_article_search_on_new_items()
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_item_update AFTER UPDATE ON faq_faqitem
    REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_article_search_on_changed_items()
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_item_delete AFTER DELETE ON faq_faqitem
    REFERENCING OLD TABLE AS old_items
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_article_search_on_old_items()
    """,
    "SELECT newsroom_article_search_refresh(ARRAY(SELECT id FROM newsroom_article))",
    """
    CREATE FUNCTION newsroom_article_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'published' OR OLD.first_published_at IS NOT NULL THEN
            INSERT INTO newsroom_articledeletion (article_id, deleted_at) VALUES (OLD.id, clock_timestamp());
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_deleted AFTER DELETE ON newsroom_article
    FOR EACH ROW EXECUTE FUNCTION newsroom_article_deleted()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS newsroom_article_deleted ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_article_deleted()",
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_item_delete ON faq_faqitem",
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_item_update ON faq_faqitem",
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_item_insert ON faq_faqitem",
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_article ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_changed_items()",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_old_items()",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_new_items()",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_article()",
    "DROP FUNCTION IF EXISTS newsroom_article_search_refresh(bigint[])",
    "DROP TABLE IF EXISTS newsroom_article_search",
]

# The FAQ texts of one article, in the editors' order (SQLite 3.40 has no ORDER BY in group_concat).
_QUESTIONS = "(SELECT group_concat(question, ' ') FROM (SELECT question FROM faq_faqitem WHERE article_id = {id} ORDER BY position, id))"
_ANSWERS = "(SELECT group_concat(newsroom_plain(answer), ' ') FROM (SELECT answer FROM faq_faqitem WHERE article_id = {id} ORDER BY position, id))"


def _refresh_items(article_id):
    return (
        f"UPDATE newsroom_article_fts SET questions = {_QUESTIONS.format(id=article_id)}, "
        f"answers = {_ANSWERS.format(id=article_id)} WHERE rowid = {article_id};"
    )


SQLITE = [
    """
    CREATE VIRTUAL TABLE newsroom_article_fts USING fts5(
        title, topline, teaser, intro, questions, answers, tokenize = 'unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER newsroom_article_fts_insert AFTER INSERT ON newsroom_article BEGIN
        INSERT INTO newsroom_article_fts (rowid, title, topline, teaser, intro, questions, answers)
        VALUES (new.id, new.title, new.topline, new.teaser, newsroom_plain(new.intro),
                {_QUESTIONS.format(id="new.id")}, {_ANSWERS.format(id="new.id")});
    END
    """,
    """
    CREATE TRIGGER newsroom_article_fts_update AFTER UPDATE OF title, topline, teaser, intro ON newsroom_article BEGIN
        UPDATE newsroom_article_fts
        SET title = new.title, topline = new.topline, teaser = new.teaser, intro = newsroom_plain(new.intro)
        WHERE rowid = new.id;
    END
    """,
    """
    CREATE TRIGGER newsroom_article_fts_delete AFTER DELETE ON newsroom_article BEGIN
        DELETE FROM newsroom_article_fts WHERE rowid = old.id;
    END
    """,
    f"CREATE TRIGGER faq_faqitem_fts_insert AFTER INSERT ON faq_faqitem BEGIN {_refresh_items('new.article_id')} END",
    f"""
    CREATE TRIGGER faq_faqitem_fts_update AFTER UPDATE ON faq_faqitem BEGIN
        {_refresh_items("new.article_id")}
        {_refresh_items("old.article_id")}
    END
    """,
    f"CREATE TRIGGER faq_faqitem_fts_delete AFTER DELETE ON faq_faqitem BEGIN {_refresh_items('old.article_id')} END",
    f"""
    INSERT INTO newsroom_article_fts (rowid, title, topline, teaser, intro, questions, answers)
    SELECT id, title, topline, teaser, newsroom_plain(intro),
           {_QUESTIONS.format(id="newsroom_article.id")}, {_ANSWERS.format(id="newsroom_article.id")}
    FROM newsroom_article
    """,
    """
    CREATE TRIGGER newsroom_article_deleted AFTER DELETE ON newsroom_article
    WHEN old.status = 'published' OR old.first_published_at IS NOT NULL BEGIN
        INSERT INTO newsroom_articledeletion (article_id, deleted_at)
        VALUES (old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS newsroom_article_deleted",
    "DROP TRIGGER IF EXISTS faq_faqitem_fts_delete",
    "DROP TRIGGER IF EXISTS faq_faqitem_fts_update",
    "DROP TRIGGER IF EXISTS faq_faqitem_fts_insert",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_delete",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_update",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_insert",
    "DROP TABLE IF EXISTS newsroom_article_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0008_scale"),
        ("faq", "0003_scale"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
