"""PostgreSQL: the search document follows its article by triggers instead of a foreign key.

Django does not know the table (its model is unmanaged), so ``manage.py flush`` and every
transactional test truncate ``newsroom_article`` without it, and PostgreSQL refuses to truncate a
table that another one references. The documents now go with their articles through a
statement trigger on delete and one on truncate, which is what the foreign key's
``ON DELETE CASCADE`` did. Nothing changes on SQLite, whose FTS5 table has no foreign key.
"""

from django.db import migrations

POSTGRESQL = [
    "ALTER TABLE newsroom_article_search DROP CONSTRAINT IF EXISTS newsroom_article_search_article_id_fkey",
    """
    CREATE FUNCTION newsroom_article_search_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM newsroom_article_search WHERE article_id IN (SELECT id FROM old_articles);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_delete AFTER DELETE ON newsroom_article
    REFERENCING OLD TABLE AS old_articles
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_article_search_on_delete()
    """,
    """
    CREATE FUNCTION newsroom_article_search_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE newsroom_article_search;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_on_truncate AFTER TRUNCATE ON newsroom_article
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_article_search_on_truncate()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_truncate ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_truncate()",
    "DROP TRIGGER IF EXISTS newsroom_article_search_on_delete ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_article_search_on_delete()",
    """
    ALTER TABLE newsroom_article_search ADD CONSTRAINT newsroom_article_search_article_id_fkey
    FOREIGN KEY (article_id) REFERENCES newsroom_article (id) ON DELETE CASCADE
    """,
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0011_search_document_order")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
