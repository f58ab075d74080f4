"""App config for newsroom, the project package and core app."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Redaktion"

    def ready(self):
        from media_clips.usage import register_slots
        from newsroom.models import CLIP_SLOTS
        from newsroom.revisions import register_models

        register_models()
        register_slots("newsroom.Article", CLIP_SLOTS)
