"""The deletion trigger notes whether the deleted article had been live (``ArticleDeletion.was_public``).

A scheduled article (an embargoed one, say) deleted before its first go-live was never public:
its id must stay a 404 for partners, not a 410 "gelöscht". Rows written before this migration
keep ``True``, as the API treated them until now.
"""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION newsroom_article_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'published' OR OLD.first_published_at IS NOT NULL THEN
            INSERT INTO newsroom_articledeletion (article_id, deleted_at, was_public)
            VALUES (
                OLD.id,
                clock_timestamp(),
                COALESCE(OLD.first_published_at <= clock_timestamp(), FALSE)
            );
        END IF;
        RETURN NULL;
    END
    $$
    """,
]

POSTGRESQL_REVERSE = [
    """
    CREATE OR REPLACE FUNCTION newsroom_article_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'published' OR OLD.first_published_at IS NOT NULL THEN
            INSERT INTO newsroom_articledeletion (article_id, deleted_at) VALUES (OLD.id, clock_timestamp());
        END IF;
        RETURN NULL;
    END
    $$
    """,
]

# Django keeps SQLite datetimes as UTC text ("YYYY-MM-DD HH:MM:SS.ffffff"), so text order is time order.
# SQLite rebuilds the table to add the column and would trip over a trigger that names it:
# the trigger goes first and comes back after.
SQLITE_BEFORE = ["DROP TRIGGER IF EXISTS newsroom_article_deleted"]

SQLITE = [
    """
    CREATE TRIGGER newsroom_article_deleted AFTER DELETE ON newsroom_article
    WHEN old.status = 'published' OR old.first_published_at IS NOT NULL BEGIN
        INSERT INTO newsroom_articledeletion (article_id, deleted_at, was_public)
        VALUES (
            old.id,
            strftime('%Y-%m-%d %H:%M:%f', 'now'),
            COALESCE(old.first_published_at <= strftime('%Y-%m-%d %H:%M:%f', 'now'), 0)
        );
    END
    """,
]

SQLITE_REVERSE = [
    """
    CREATE TRIGGER newsroom_article_deleted AFTER DELETE ON newsroom_article
    WHEN old.status = 'published' OR old.first_published_at IS NOT NULL BEGIN
        INSERT INTO newsroom_articledeletion (article_id, deleted_at)
        VALUES (old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
    END
    """,
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0019_webhooks_and_embargo"),
    ]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_BEFORE}), _run({"sqlite": SQLITE_REVERSE})),
        migrations.AddField(
            model_name="articledeletion",
            name="was_public",
            field=models.BooleanField(default=True, verbose_name="War öffentlich"),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_BEFORE}),
        ),
    ]
