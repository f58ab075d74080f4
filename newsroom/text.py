"""German text helpers shared by models, the importer and templates (dates live in ``newsroom.dates``)."""

from django.utils.text import slugify

_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value, max_length=None):
    """Slugify with German transliteration: "Worüber" becomes "worueber"."""
    slug = slugify(str(value).translate(_GERMAN_TRANSLITERATION))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug
