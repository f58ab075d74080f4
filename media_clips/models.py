"""Video clips: reusable across articles, each with a poster image and its alt text."""

from datetime import timedelta
from pathlib import PurePath, PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from media_clips.fields import RenditionsField, renditions_of
from media_clips.renditions import storage_url
from media_clips.validators import CleanImageField, validate_video_file
from newsroom.dates import format_date, format_duration, iso_duration
from newsroom.fields import LinkField, PlainCharField, PlainTextField
from newsroom.richtext import safe_link
from newsroom.text import german_slugify

VIDEO_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/x-mpegURL",
}


def poster_upload_to(instance, filename):
    """``posters/2026/01/<slugified-name>-<random>.<ext>``: readable, collision-free."""
    path = PurePath(filename)
    stem = german_slugify(path.stem, max_length=60) or "poster"
    suffix = path.suffix.lower() or ".jpg"
    return f"posters/{timezone.now():%Y/%m}/{stem}-{get_random_string(6).lower()}{suffix}"


def video_upload_to(instance, filename):
    path = PurePath(filename)
    stem = german_slugify(path.stem, max_length=60) or "video"
    return f"videos/{timezone.now():%Y/%m}/{stem}-{get_random_string(6).lower()}{path.suffix.lower()}"


class VideoClip(models.Model):
    title = PlainCharField(
        "Titel",
        max_length=200,
        help_text="Interner und maschinenlesbarer Titel, z. B. „Thomas Walde ordnet den Gipfel ein“.",
    )
    description = PlainTextField(
        "Bildunterschrift",
        help_text="Wird unter dem Clip gezeigt, z. B. „ZDF-Korrespondent Thomas Walde ordnet ein.“",
    )
    poster = CleanImageField(
        "Vorschaubild",
        upload_to=poster_upload_to,
        width_field="poster_width",
        height_field="poster_height",
        blank=True,
        help_text="Standbild im Format 16:9, mindestens 1280 × 720 Pixel.",
    )
    poster_width = models.PositiveIntegerField("Bildbreite", null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField("Bildhöhe", null=True, blank=True, editable=False)
    # Made by media_clips.services.renditions_refresh wherever a poster is written, so
    # the page lists srcsets without touching storage.
    poster_renditions = RenditionsField("Bildvarianten", source="poster")
    # Set where a placeholder poster is drawn (import, demo, test data); an uploaded poster clears it.
    poster_is_placeholder = models.BooleanField(
        "Platzhalter",
        default=False,
        editable=False,
        help_text="Das Vorschaubild ist ein erzeugter Platzhalter und muss vor dem Veröffentlichen ersetzt werden.",
    )
    poster_alt = PlainCharField(
        "Alternativtext",
        max_length=300,
        blank=True,
        help_text="Beschreibt, was auf dem Bild zu sehen ist, z. B. "
        "„Thomas Walde vor dem Tagungsort in Paris“ – kein Dateiname, keine Wiederholung der Bildunterschrift.",
    )
    duration = models.DurationField(
        "Dauer",
        help_text="Format hh:mm:ss, z. B. 00:01:46 für 1:46 min.",
    )
    published_at = models.DateTimeField(
        "Veröffentlicht am",
        default=timezone.now,
        help_text="Erscheint als Datum in der Meta-Zeile, z. B. 06.01.2026.",
    )
    video_url = LinkField(
        "Video-URL",
        max_length=500,
        blank=True,
        help_text="MP4- oder HLS-Adresse, z. B. https://media.example.org/clip.m3u8",
    )
    video_file = models.FileField(
        "Videodatei",
        upload_to=video_upload_to,
        blank=True,
        validators=[validate_video_file],
        help_text="MP4, WebM oder HLS-Playlist (.m3u8).",
    )
    credit = PlainCharField("Bildrechte", max_length=200, blank=True, help_text="z. B. „ZDF/dpa“")
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert am", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "Videoclip"
        verbose_name_plural = "Videoclips"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0)),
                name="videoclip_duration_positive",
                violation_error_message="Die Dauer muss größer als null sein.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({format_date(self.published_on)}, {format_duration(self.duration)})"

    def clean(self):
        errors = {}
        if self.poster and not (self.poster_alt or "").strip():
            errors["poster_alt"] = "Zu einem Vorschaubild gehört ein Alternativtext."
        if self.duration is not None and self.duration <= timedelta(0):
            errors["duration"] = "Die Dauer muss größer als null sein."
        if errors:
            raise ValidationError(errors)

    @property
    def duration_display(self):
        return format_duration(self.duration)

    @property
    def duration_iso(self):
        return iso_duration(self.duration)

    @property
    def published_on(self):
        """The clip's date in the newsroom's time zone (Europe/Berlin)."""
        return timezone.localdate(self.published_at)

    @property
    def poster_url(self):
        """The poster image's URL ("" without one); remembered per file name for local storage."""
        return storage_url(self.poster.storage, self.poster.name) if self.poster else ""

    @property
    def poster_still(self):
        """The poster as public metadata shows it (og:image, JSON-LD, video sitemap): a rendition, not the
        uploaded original (``Renditions.still()``); ``None`` without a poster."""
        return renditions_of(self.poster).still() if self.poster else None

    @property
    def video_source(self):
        """The video's address for pages, sitemaps and partners; "" for none, or for one no page may link."""
        if self.video_file:
            return storage_url(self.video_file.storage, self.video_file.name)
        return safe_link(self.video_url, schemes={"http", "https"})

    @property
    def video_type(self):
        """The media type of the video for ``<source type>``, from its file extension ("" when unknown)."""
        path = urlsplit(self.video_file.name if self.video_file else self.video_url).path
        return VIDEO_TYPES.get(PurePosixPath(path).suffix.lower(), "")
