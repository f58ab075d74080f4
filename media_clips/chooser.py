"""The clip chooser: Django's autocomplete box, its results with poster, date and duration.

``ClipChooserMixin`` goes first among the bases of every admin (or inline) with a clip
field in ``autocomplete_fields``: those fields get ``ClipChooser``, which asks
``ClipChoicesView`` (``VideoClipAdmin``'s URL ``auswahl/``) instead of the admin's generic
autocomplete view. The view is Django's, with its checks (the field must be an
autocomplete field of a registered admin, the user must be allowed to see clips) and
paging; each result carries the poster's smallest rendition, the title, the date and the
duration, which ``static/newsroom-admin/clip-chooser.js`` shows in the list. The "+"
beside the box ("Clip hinzufügen") stays as it is.

Search runs through ``VideoClipAdmin.get_search_results``: title, caption (description)
and alt text, and dates written as editors write them (``6.1.2026``, ``06.01.2026``,
``2026-01-06``, ``1.2026`` for a month).
"""

import datetime as dt
import re

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from media_clips.fields import renditions_of
from media_clips.models import VideoClip
from newsroom.dates import format_date, format_duration

CHOOSER_SCRIPT = "newsroom-admin/clip-chooser.js"
_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$|^(\d{4})-(\d{2})$")


def date_span(word):
    """The days ``[start, end)`` a search word names, or ``None`` if it is no date."""
    try:
        if match := _DAY.match(word):
            day, month, year = match.group(1, 2, 3) if match.group(1) else reversed(match.group(4, 5, 6))
            start = dt.date(int(year), int(month), int(day))
            return start, start + dt.timedelta(days=1)
        if match := _MONTH.match(word):
            month, year = match.group(1, 2) if match.group(1) else reversed(match.group(3, 4))
            start = dt.date(int(year), int(month), 1)
            return start, (start + dt.timedelta(days=32)).replace(day=1)
    except ValueError:  # 31.2.2026
        return None
    return None


def split_dates(term):
    """``(date spans, the other words)`` of a search term."""
    spans, words = [], []
    for word in term.split():
        span = date_span(word)
        (spans if span else words).append(span or word)
    return spans, " ".join(words)


def within(queryset, spans, field="published_at"):
    """Rows whose ``field`` falls on every span's days (in the newsroom's time zone)."""
    zone = timezone.get_current_timezone()
    for start, end in spans:
        queryset = queryset.filter(
            **{
                f"{field}__gte": dt.datetime.combine(start, dt.time(), zone),
                f"{field}__lt": dt.datetime.combine(end, dt.time(), zone),
            }
        )
    return queryset


def poster_thumbnail_url(clip):
    """The smallest stored rendition of the clip's poster (a JPEG), else the poster itself; "" without one."""
    if not clip.poster:
        return ""
    renditions = renditions_of(clip.poster)
    narrowest = renditions.of_format("jpeg")
    return renditions.url(narrowest[0]) if narrowest else clip.poster_url


class ClipChoicesView(AutocompleteJsonView):
    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if model_admin.model is not VideoClip:
            raise PermissionDenied  # as Django answers a field that is not a clip field's autocomplete
        return term, model_admin, source_field, to_field_name

    def serialize_result(self, obj, to_field_name):
        return {
            **super().serialize_result(obj, to_field_name),
            "title": obj.title,
            "date": format_date(obj.published_on),
            "duration": format_duration(obj.duration),
            "poster": poster_thumbnail_url(obj),
            "placeholder": obj.poster_is_placeholder,
        }


class ClipChooser(AutocompleteSelect):
    url_name = "%s:media_clips_videoclip_choices"

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-clip-chooser"] = ""
        attrs["data-placeholder"] = "Titel, Bildunterschrift oder Datum eingeben"
        return attrs

    @property
    def media(self):
        # In the same list as Django's autocomplete.js, so that the script comes after it.
        django = super().media
        return forms.Media(js=[*django._js, CHOOSER_SCRIPT], css=django._css)


class ClipChooserMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            db_field.related_model is VideoClip
            and db_field.name in self.get_autocomplete_fields(request)
            and "widget" not in kwargs
        ):
            kwargs["widget"] = ClipChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
