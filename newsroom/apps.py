"""App config for newsroom, the project package and core app."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender, connection, **kwargs):
    """SQL functions the SQLite search triggers call (migration 0009): ``newsroom_plain(html)``."""
    if connection.vendor == "sqlite":
        from newsroom.richtext import plain_text

        connection.connection.create_function("newsroom_plain", 1, plain_text, deterministic=True)


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Redaktion"

    def ready(self):
        from media_clips.usage import register_slots
        from newsroom.caching import purge
        from newsroom.models import CLIP_SLOTS
        from newsroom.revisions import register_models
        from newsroom.security import checks  # noqa: F401 (registers the system checks)
        from newsroom.services import outbox

        register_models()
        purge.connect()
        outbox.connect()
        register_slots("newsroom.Article", CLIP_SLOTS)
        connection_created.connect(register_sqlite_functions, dispatch_uid="newsroom.sqlite_functions")
