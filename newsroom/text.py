"""Small German text helpers shared by models, the importer and templates."""

from django.utils.text import slugify

_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value, max_length=None):
    """Slugify with German transliteration: "Worüber" becomes "worueber"."""
    slug = slugify(str(value).translate(_GERMAN_TRANSLITERATION))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def format_date(value):
    """``06.01.2026``: the date format readers see everywhere."""
    return value.strftime("%d.%m.%Y")


def format_clock(value):
    """``0:35`` or ``7:30``: a time of day as broadcast notes write it (no leading zero)."""
    return f"{value.hour}:{value.minute:02d}"
