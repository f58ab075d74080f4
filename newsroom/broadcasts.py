"""The broadcast note under an article, written from and read back into structured mentions.

``broadcast_sentence`` and ``parse_broadcast_sentence`` are exact inverses: what the
importer reads from a sentence, the page writes back word for word.
"""

import re
from dataclasses import dataclass
from datetime import date, time

from newsroom.dates import format_clock, format_date

SINGLE_PREFIX = "Über das Thema berichtete "
SEVERAL_PREFIX = "Über das Thema berichteten "
SEVERAL_LEAD = "mehrere Sendungen, unter anderem "
DETERMINERS = ("der", "die", "das")

_DATE = r"(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4})"
_ITEM = re.compile(
    r"(?P<name>.+?)(?: am " + _DATE + r")? ab (?P<hour>\d{1,2}):(?P<minute>\d{2}) Uhr(?P<sep>, | und |\.$)"
)
_SHARED_DATE = re.compile(r"am " + _DATE + " ")


@dataclass(frozen=True)
class Mention:
    """One show that covered the topic; the parsed form of a ``BroadcastMention``."""

    show: str
    aired_on: date
    starts_at: time
    determiner: str = ""

    @property
    def show_name(self):
        return f"{self.determiner} {self.show}" if self.determiner else self.show


def broadcast_sentence(mentions):
    """The German note for ``mentions`` (in the editors' order); ``""`` for none.

    One show: "Über das Thema berichtete das heute journal am 06.01.2026 ab 19:00 Uhr."
    Several on one day: "… berichteten am 06.01.2026 mehrere Sendungen, unter anderem A ab … und B ab …."
    Several on different days name the date with each show.
    """
    mentions = list(mentions)
    if not mentions:
        return ""
    if len(mentions) == 1:
        mention = mentions[0]
        return (
            f"{SINGLE_PREFIX}{mention.show_name} am {format_date(mention.aired_on)} "
            f"ab {format_clock(mention.starts_at)} Uhr."
        )
    one_day = len({mention.aired_on for mention in mentions}) == 1
    items = [
        f"{mention.show_name}{'' if one_day else ' am ' + format_date(mention.aired_on)} "
        f"ab {format_clock(mention.starts_at)} Uhr"
        for mention in mentions
    ]
    listing = ", ".join(items[:-1]) + " und " + items[-1]
    when = f"am {format_date(mentions[0].aired_on)} " if one_day else ""
    return f"{SEVERAL_PREFIX}{when}{SEVERAL_LEAD}{listing}."


class BroadcastSentenceError(ValueError):
    pass


def looks_like_broadcast_sentence(line):
    return line.startswith((SINGLE_PREFIX, SEVERAL_PREFIX))


def _to_date(match, text):
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError as exc:
        raise BroadcastSentenceError(f"„{text}“ ist kein gültiges Datum.") from exc


def _to_time(match):
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise BroadcastSentenceError(f"„{hour}:{minute:02d} Uhr“ ist keine gültige Uhrzeit.")
    return time(hour, minute)


def _split_determiner(name):
    first, _, rest = name.partition(" ")
    if first in DETERMINERS and rest:
        return first, rest
    return "", name


def parse_broadcast_sentence(text):
    """Read a note written by :func:`broadcast_sentence` back into mentions.

    Raises ``BroadcastSentenceError`` with a German message when ``text`` is not
    such a sentence.
    """
    expected = (
        "Erwartet: „Über das Thema berichtete <Sendung> am TT.MM.JJJJ ab H:MM Uhr.“ oder "
        "„Über das Thema berichteten am TT.MM.JJJJ mehrere Sendungen, unter anderem <Sendung> ab H:MM Uhr "
        "und <Sendung> ab H:MM Uhr.“"
    )
    text = text.strip()
    if text.startswith(SINGLE_PREFIX):
        rest, several, shared_date = text[len(SINGLE_PREFIX) :], False, None
    elif text.startswith(SEVERAL_PREFIX):
        rest, several, shared_date = text[len(SEVERAL_PREFIX) :], True, None
        date_match = _SHARED_DATE.match(rest)
        if date_match:
            shared_date = _to_date(date_match, date_match.group(0).strip())
            rest = rest[date_match.end() :]
        if not rest.startswith(SEVERAL_LEAD):
            raise BroadcastSentenceError(expected)
        rest = rest[len(SEVERAL_LEAD) :]
    else:
        raise BroadcastSentenceError(expected)

    mentions, position = [], 0
    while position < len(rest):
        match = _ITEM.match(rest, position)
        if not match:
            raise BroadcastSentenceError(expected)
        if match["day"]:
            aired_on = _to_date(match, f"{match['day']}.{match['month']}.{match['year']}")
        elif shared_date:
            aired_on = shared_date
        else:
            raise BroadcastSentenceError(expected)
        determiner, show = _split_determiner(match["name"])
        mentions.append(Mention(show=show, aired_on=aired_on, starts_at=_to_time(match), determiner=determiner))
        position = match.end()
        if match["sep"] == ".":
            break
    if position != len(rest) or not mentions:
        raise BroadcastSentenceError(expected)
    if (len(mentions) > 1) != several:
        raise BroadcastSentenceError(expected)
    # Only sentences the page would write the same way are accepted: anything else
    # would not survive a round trip word for word.
    if broadcast_sentence(mentions) != text:
        raise BroadcastSentenceError(expected)
    return mentions
