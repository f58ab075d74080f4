"""German text helpers shared by models, the importer and templates (dates live in ``newsroom.dates``)."""

import re

from django.utils.text import slugify

_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value, max_length=None):
    """Slugify with German transliteration: "Worüber" becomes "worueber"."""
    slug = slugify(str(value).translate(_GERMAN_TRANSLITERATION))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


# C0 and C1 control characters but tab and newline: what a word processor pastes (a vertical tab
# for a soft line break, a form feed) and what no page, feed or sitemap can carry (XML 1.0 forbids them).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(value):
    """``value`` without control characters: carriage returns end lines, a vertical tab becomes a space.

    Anything but a string passes unchanged, so model fields can call it on every value.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", " ").replace("\x0c", " ")
    return _CONTROL_CHARACTERS.sub("", value)
