"""App config for media_clips: video clips and their poster images."""

from django.apps import AppConfig


class MediaClipsConfig(AppConfig):
    name = "media_clips"
    verbose_name = "Videoclips"
