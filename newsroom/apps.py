"""App config for newsroom, the project package and core app."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Redaktion"

    def ready(self):
        from newsroom.revisions import register_models

        register_models()
