"""The duty editor's reason for sending an article back from review (``Article.review_note``).

On SQLite, adding a NOT NULL column rebuilds the article table, and a rebuilt table has lost
its triggers (the search index and the trace of deletions, migration 0009): they are made
again right after. ``tests/test_search.py`` checks that every trigger exists after migrating.
"""

import importlib

from django.db import migrations, models

_SEARCH_DOCUMENT = importlib.import_module("newsroom.migrations.0009_search_document")


def article_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _SEARCH_DOCUMENT.SQLITE:
        words = " ".join(statement.split())
        if words.startswith("CREATE TRIGGER") and " ON newsroom_article " in words:
            schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1), params=None)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0012_search_document_without_foreign_key")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="review_note",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Warum der Chef vom Dienst den Artikel an die Redaktion zurückgegeben hat; "
                "gilt, bis er wieder zur Prüfung gegeben wird.",
                verbose_name="Rückmeldung aus der Prüfung",
            ),
        ),
        migrations.RunPython(article_triggers_again, migrations.RunPython.noop),
    ]
