"""PostgreSQL: the search document carries its article's go-live time, so a search can take the newest matches.

The reader search ranks the newest matches (``newsroom.search.search_articles``). With the time
beside the document, the full-text index finds the matches and their order comes from the same
rows, without reading every matching article first. The trigger on the article also fires
when the go-live time changes. Nothing changes on SQLite.
"""

from django.db import migrations

POSTGRESQL = [
    "ALTER TABLE newsroom_article_search ADD COLUMN publish_at timestamp with time zone",
    """
    CREATE OR REPLACE FUNCTION newsroom_article_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO newsroom_article_search (article_id, document, publish_at)
        SELECT article.id,
               setweight(to_tsvector('german', coalesce(article.title, '') || ' ' || coalesce(article.topline, '')), 'A')
            || setweight(to_tsvector('german', coalesce(article.teaser, '')), 'B')
            || setweight(to_tsvector('german', coalesce(article.intro, '') || ' ' || coalesce(faq.questions, '')), 'C')
            || setweight(to_tsvector('german', coalesce(faq.answers, '')), 'D'),
               article.publish_at
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
        ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, publish_at = EXCLUDED.publish_at
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION newsroom_article_search_on_publish_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE newsroom_article_search SET publish_at = NEW.publish_at WHERE article_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_publish_at AFTER UPDATE OF publish_at ON newsroom_article
    FOR EACH ROW WHEN (OLD.publish_at IS DISTINCT FROM NEW.publish_at)
    EXECUTE FUNCTION newsroom_article_search_on_publish_at()
    """,
    """
    UPDATE newsroom_article_search AS search SET publish_at = article.publish_at
    FROM newsroom_article AS article WHERE article.id = search.article_id
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_publish_at ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_publish_at()",
    """
    CREATE OR REPLACE FUNCTION newsroom_article_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
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
    "ALTER TABLE newsroom_article_search DROP COLUMN IF EXISTS publish_at",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0010_status_order_index")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
