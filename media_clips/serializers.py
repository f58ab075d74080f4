"""The clip as partners receive it: caption, poster with alt text and size, duration, date, video."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from media_clips.models import VideoClip
from newsroom.richtext import safe_link
from newsroom.security.origin import absolute_url


def absolute(url):
    """``url`` made absolute for partners (``newsroom.security.origin``); None for none, or for one no page may link."""
    return absolute_url(safe_link(url)) or None


class PosterSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    # Null when the image file could not be read on upload.
    width = serializers.IntegerField(source="poster_width", allow_null=True)
    height = serializers.IntegerField(source="poster_height", allow_null=True)
    alt = serializers.CharField(source="poster_alt")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, clip) -> str:
        return absolute(clip.poster_url)


class VideoClipSerializer(serializers.ModelSerializer):
    caption = serializers.CharField(source="description")
    poster = serializers.SerializerMethodField()
    duration_seconds = serializers.SerializerMethodField()
    duration_iso = serializers.CharField()
    duration_display = serializers.CharField()
    date = serializers.DateField(source="published_on")
    video_url = serializers.SerializerMethodField()

    class Meta:
        model = VideoClip
        fields = (
            "id",
            "title",
            "caption",
            "poster",
            "duration_seconds",
            "duration_iso",
            "duration_display",
            "published_at",
            "date",
            "video_url",
            "credit",
        )
        read_only_fields = fields  # always present in responses

    def get_poster(self, clip) -> PosterSerializer(allow_null=True):  # type: ignore[valid-type]
        if not clip.poster:
            return None
        return PosterSerializer(clip, context=self.context).data

    def get_duration_seconds(self, clip) -> int:
        return int(clip.duration.total_seconds())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_video_url(self, clip) -> str | None:
        return absolute(clip.video_source)
