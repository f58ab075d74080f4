"""Dates, times and durations as German readers and machines read them, in Europe/Berlin.

The one place for every such format: ``06.01.2026``, ``06.01.2026, 09:15 Uhr``, ``0:35`` or
``07:30`` in a broadcast note, ``1:46 min``, ``PT1M46S`` and ISO 8601 with the Berlin offset.
Models, the importer, the admin, feeds, sitemaps, JSON-LD, ninjs and the templates' filters
(``newsroom_tags``) all call these. A leaf module: it imports nothing of the project.
"""

import datetime as dt
import re

from django.utils import timezone

_DURATION = re.compile(r"^(?:(?P<h>\d+):(?P<hm>[0-5]\d):(?P<hs>[0-5]\d) h|(?P<m>\d+):(?P<s>[0-5]\d) min)$")


def local(value):
    """An aware moment in the newsroom's time zone (Europe/Berlin); dates pass through."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value):
    """``06.01.2026``: the date readers see everywhere (a moment is shown on its Berlin day)."""
    return local(value).strftime("%d.%m.%Y")


def format_time(value):
    """``09:15``: a moment's wall-clock time in Berlin, with a leading zero."""
    return local(value).strftime("%H:%M")


def format_timestamp(value):
    """``06.01.2026, 09:15 Uhr``: a moment as pages, the admin and revision comments name it."""
    return f"{format_date(value)}, {format_time(value)} Uhr"


def format_clock(value, *, padded=False):
    """A time of day as broadcast notes write it: ``0:35`` and ``7:30``, or with ``padded`` ``07:30``.

    Newsrooms write both, sometimes in one sentence; the note keeps each as it was written.
    """
    hour = f"{value.hour:02d}" if padded else str(value.hour)
    return f"{hour}:{value.minute:02d}"


def parse_clock(text):
    """``(time, padded)`` for ``0:35``, ``7:30`` or ``07:30``; ``None`` when it is no time of day."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute), len(match[1]) == 2 and match[1].startswith("0")


def html_datetime_local(value):
    """The value of an ``<input type="datetime-local">`` for a moment: ``2026-01-06T09:15``."""
    return local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def iso_datetime(value):
    """ISO 8601 with the Berlin offset and whole seconds: ``2026-01-06T10:31:00+01:00``.

    For JSON-LD, Open Graph, sitemaps, ninjs and ``<time datetime>``.
    """
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def iso_date(value):
    """``2026-01-06``: a date (or a moment's Berlin day) for ``<time datetime>``."""
    return local(value).strftime("%Y-%m-%d")


def _whole_seconds(duration):
    return int(duration.total_seconds())


def format_duration(duration):
    """``1:46 min`` under an hour, ``1:02:03 h`` from one hour on."""
    hours, rest = divmod(_whole_seconds(duration), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d} h"
    return f"{minutes}:{seconds:02d} min"


def iso_duration(duration):
    """ISO 8601 duration for ``<time datetime>`` and structured data: ``PT1M46S``."""
    hours, rest = divmod(_whole_seconds(duration), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if amount)
    return f"PT{parts or '0S'}"


def parse_duration(text):
    """The inverse of :func:`format_duration`; ``None`` when ``text`` is not such a duration.

    ``1:46 min`` and ``1:02:03 h`` parse; ``75:00 min`` does too (an editor's way of
    writing it), but the page writes it back as ``1:15:00 h``.
    """
    match = _DURATION.match(text.strip())
    if not match:
        return None
    if match["h"] is not None:
        return dt.timedelta(hours=int(match["h"]), minutes=int(match["hm"]), seconds=int(match["hs"]))
    return dt.timedelta(minutes=int(match["m"]), seconds=int(match["s"]))
