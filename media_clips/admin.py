"""The clip library in the admin: posters at a glance, and where each clip is used."""

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import models
from django.db.models import Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from media_clips.alt_text import alt_text_hints
from media_clips.chooser import ClipChoicesView, split_dates, within
from media_clips.models import VideoClip
from media_clips.services import renditions_refresh
from media_clips.uploads import KeepsUploadsForm, KeptUploadField
from media_clips.usage import owners_using, usage_places
from newsroom.dates import format_date

NOT_USED = "Noch in keinem Artikel verwendet."
PLACEHOLDER_NOTE = "Platzhalter: vor dem Veröffentlichen ein echtes Vorschaubild hochladen."


def thumbnail(image, alt, *, width, image_width=None, image_height=None):
    """A small ``<img>`` for admin lists; the height keeps the stored aspect ratio (no file is opened)."""
    if not image:
        return "–"
    if image_width and image_height:
        height = round(width * image_height / image_width)
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy">', image.url, alt, width, height
        )
    return format_html('<img src="{}" alt="{}" width="{}" loading="lazy">', image.url, alt, width)


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """The admin's date and time boxes, each with a name of its own (the label names the pair)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Datum"
        self.widgets[1].attrs["aria-label"] = "Uhrzeit"


class VideoClipForm(KeepsUploadsForm):
    poster_kept = KeptUploadField(label="Gewähltes Vorschaubild")
    kept_uploads = {"poster": "poster_kept"}

    class Meta:
        model = VideoClip
        fields = ()  # the admin's fieldsets choose them, with its own form fields


@admin.register(VideoClip)
class VideoClipAdmin(admin.ModelAdmin):
    form = VideoClipForm

    class Media:
        js = ("newsroom-admin/unsaved-input.js",)  # asks before leaving with unsaved input, keeps it

    list_display = ("poster_thumbnail", "title", "placeholder_column", "duration_column", "date_column", "usage_column")
    list_filter = ("poster_is_placeholder",)
    list_display_links = ("poster_thumbnail", "title")
    search_fields = ("title", "description", "poster_alt")
    date_hierarchy = "published_at"
    # Editors paste addresses without a scheme; media servers speak https.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.DateTimeField: {"widget": LabelledSplitDateTime},
    }
    readonly_fields = ("poster_preview", "alt_text_check", "used_in", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "description", ("duration", "published_at"), "credit")}),
        ("Vorschaubild", {"fields": ("poster", "poster_kept", "poster_preview", "poster_alt", "alt_text_check")}),
        ("Video", {"fields": ("video_url", "video_file")}),
        ("Verwendung", {"fields": ("used_in", ("created_at", "updated_at"))}),
    )

    def get_urls(self):
        # Before the default URLs: "<path:object_id>/" would swallow "auswahl/".
        choices = self.admin_site.admin_view(ClipChoicesView.as_view(admin_site=self.admin_site))
        return [path("auswahl/", choices, name="media_clips_videoclip_choices"), *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        # Dates as editors write them (6.1.2026, 2026-01-06, 1.2026) pick the clips of that day or month.
        spans, words = split_dates(search_term)
        return super().get_search_results(request, within(queryset, spans), words)

    def get_queryset(self, request):
        # One correlated subquery per row, inside the changelist's single query: the
        # list costs as many queries for 2 clips as for 200. COUNT(DISTINCT …) because
        # an article may use a clip twice (hero and FAQ item); as a plain Func it adds
        # no GROUP BY, so the subquery yields exactly one row.
        usage = (
            owners_using(OuterRef("pk"))
            .order_by()
            .annotate(total=Func("pk", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)"))
            .values("total")
        )
        return super().get_queryset(request).annotate(usage_total=Coalesce(Subquery(usage), 0))

    def save_model(self, request, obj, form, change):
        if "poster" in form.changed_data:
            obj.poster_is_placeholder = False  # an editor's own image (or none) replaces the placeholder
        super().save_model(request, obj, form, change)
        # After the save, so the poster has its final name in storage.
        if "poster" in form.changed_data or bool(obj.poster) != bool(obj.poster_renditions):
            renditions_refresh(obj=obj, field_name="poster")
        # Accessibility hints warn but never block: the editor may know better.
        for hint in alt_text_hints(obj.poster_alt, obj.description):
            self.message_user(request, hint, messages.WARNING)

    @admin.display(description="Hinweise zum Alternativtext")
    def alt_text_check(self, clip):
        hints = alt_text_hints(clip.poster_alt, clip.description)
        return format_html_join("", "<p>{}</p>", ((hint,) for hint in hints)) if hints else "Keine Auffälligkeiten."

    @admin.display(description="Vorschaubild")
    def poster_thumbnail(self, clip):
        return thumbnail(
            clip.poster, clip.poster_alt, width=96, image_width=clip.poster_width, image_height=clip.poster_height
        )

    @admin.display(description="Aktuelles Vorschaubild")
    def poster_preview(self, clip):
        if clip.poster and not clip.poster._committed:
            # A form with errors: the chosen file is not stored yet, its address would be a broken image.
            return "Das neu gewählte Bild erscheint hier, sobald der Clip gesichert ist."
        image = thumbnail(
            clip.poster, clip.poster_alt, width=320, image_width=clip.poster_width, image_height=clip.poster_height
        )
        if clip.poster_is_placeholder:
            return format_html("{}<p><strong>{}</strong></p>", image, PLACEHOLDER_NOTE)
        return image

    @admin.display(description="Platzhalter", boolean=False, ordering="poster_is_placeholder")
    def placeholder_column(self, clip):
        return (
            format_html('<strong class="placeholder-mark">{}</strong>', "Platzhalter")
            if clip.poster_is_placeholder
            else ""
        )

    @admin.display(description="Dauer", ordering="duration")
    def duration_column(self, clip):
        return clip.duration_display

    @admin.display(description="Datum", ordering="published_at")
    def date_column(self, clip):
        return format_date(clip.published_on)

    @admin.display(description="Verwendet in", ordering="usage_total")
    def usage_column(self, clip):
        return f"{clip.usage_total} Artikel" if clip.usage_total else "–"

    @admin.display(description="Verwendet in")
    def used_in(self, clip):
        places = usage_places(clip) if clip.pk else []
        if not places:
            return NOT_USED
        rows = (
            (reverse(admin_urlname(article._meta, "change"), args=[article.pk]), article, ", ".join(where))
            for article, where in places
        )
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows))

    def get_deleted_objects(self, objs, request):
        # Django would list the protecting FAQ items by question only; editors need the
        # articles and the places in them that still show the clip.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [
                format_html(
                    'Artikel <a href="{}">{}</a> ({})',
                    reverse(admin_urlname(article._meta, "change"), args=[article.pk]),
                    article,
                    ", ".join(where),
                )
                for clip in objs
                for article, where in usage_places(clip)
            ]
        return deleted, model_count, perms_needed, protected
