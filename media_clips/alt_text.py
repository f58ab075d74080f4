"""Hints for poster alt texts: what screen-reader users would hear instead of a description.

The hints never block a save; they tell the editor what looks wrong and why.
"""

import re
from difflib import SequenceMatcher

FILE_NAME = re.compile(r"\.(jpe?g|png|gif|webp|avif|heic|tiff?|bmp|mp4|mov|mxf)\s*$", re.IGNORECASE)
CAMERA_NAME = re.compile(r"^(img|dsc[fn]?|pxl|mvimg|vid|p)[_-]?\d{3,}", re.IGNORECASE)
NO_SPACES_WITH_SEPARATORS = re.compile(r"^[\w-]*[_-][\w-]*\d[\w-]*$")
ASSET_CODE = re.compile(r"^[A-ZÄÖÜ]{2,5}\b")
MIN_WORDS = 3


def _normalise(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def alt_text_hints(alt, caption=""):
    """German hints about ``alt`` (empty list when it looks like a real description)."""
    alt = (alt or "").strip()
    if not alt:
        return []
    hints = []
    words = alt.split()
    if FILE_NAME.search(alt) or CAMERA_NAME.match(alt) or NO_SPACES_WITH_SEPARATORS.match(alt):
        hints.append(
            f"Der Alternativtext „{alt}“ sieht aus wie ein Dateiname. Bitte beschreiben, was auf dem Bild zu sehen ist."
        )
    elif ASSET_CODE.match(alt) and len(words) <= MIN_WORDS:
        hints.append(
            f"Der Alternativtext „{alt}“ sieht aus wie ein interner Bildname. "
            "Bitte beschreiben, was auf dem Bild zu sehen ist, z. B. „Thomas Walde vor dem Tagungsort in Paris“."
        )
    elif len(words) < MIN_WORDS:
        hints.append(f"Der Alternativtext „{alt}“ ist sehr kurz. Wer oder was ist auf dem Bild zu sehen?")
    if caption:
        normal_alt, normal_caption = _normalise(alt), _normalise(caption)
        if normal_alt and (
            normal_alt == normal_caption
            or SequenceMatcher(None, normal_alt, normal_caption).ratio() >= 0.9
            or (len(normal_alt) > 30 and normal_alt in normal_caption)
        ):
            hints.append(
                "Der Alternativtext wiederholt die Bildunterschrift. Screenreader lesen dann zweimal dasselbe; "
                "bitte stattdessen das Bild beschreiben."
            )
    return hints
