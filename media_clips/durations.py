"""Clip durations as readers and machines read them: ``1:46 min``, ``1:02:03 h``, ``PT1M46S``."""

import re
from datetime import timedelta

DISPLAY_PATTERN = re.compile(r"^(?:(?P<h>\d+):(?P<hm>[0-5]\d):(?P<hs>[0-5]\d) h|(?P<m>\d+):(?P<s>[0-5]\d) min)$")


def _whole_seconds(duration):
    return int(duration.total_seconds())


def format_duration(duration):
    """``1:46 min`` under an hour, ``1:02:03 h`` from one hour on."""
    seconds = _whole_seconds(duration)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d} h"
    return f"{minutes}:{seconds:02d} min"


def iso_duration(duration):
    """ISO 8601 duration for ``<time datetime>`` and structured data: ``PT1M46S``."""
    seconds = _whole_seconds(duration)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if amount)
    return f"PT{parts or '0S'}"


def parse_duration(text):
    """The inverse of :func:`format_duration`; ``None`` when ``text`` is not such a duration.

    ``1:46 min`` and ``1:02:03 h`` parse; ``75:00 min`` does too (an editor's way of
    writing it), but the page writes it back as ``1:15:00 h``.
    """
    match = DISPLAY_PATTERN.match(text.strip())
    if not match:
        return None
    if match["h"] is not None:
        return timedelta(hours=int(match["h"]), minutes=int(match["hm"]), seconds=int(match["hs"]))
    return timedelta(minutes=int(match["m"]), seconds=int(match["s"]))
