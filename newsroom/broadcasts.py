"""The broadcast note under an article, written from and read back into structured mentions.

Newsrooms word the note in several ways ("Über das Thema berichtete das heute journal am …",
"Am 06.01.2026 berichtete …", "Das heute journal berichtete … über das Thema."). Each way
is a ``SentenceForm``; an article stores which one it uses, and each mention stores whether
its time was written with a leading zero (``07:30``) or without (``0:35``, the house style).

``broadcast_sentence`` and ``parse_broadcast_sentence`` are exact inverses: the parser
accepts a sentence only if writing its result back gives the same sentence, word for word.
A note that no form can read is not a parse error for the importer: it keeps it as text.
"""

import re
from dataclasses import dataclass
from datetime import date, time

from newsroom.dates import format_clock, format_date, parse_clock

DETERMINERS = ("der", "die", "das")
STANDARD = "standard"

_DATE = r"\d{2}\.\d{2}\.\d{4}"
_ITEM = re.compile(rf"(?P<name>.+?)(?: am (?P<date>{_DATE}))? ab (?P<clock>\d{{1,2}}:\d{{2}}) Uhr(?P<sep>, | und |$)")


@dataclass(frozen=True)
class Mention:
    """One show that covered the topic; the parsed form of a ``BroadcastMention``."""

    show: str
    aired_on: date
    starts_at: time
    determiner: str = ""
    padded: bool = False

    @property
    def show_name(self):
        return f"{self.determiner} {self.show}" if self.determiner else self.show


def _item(mention, *, with_date):
    """``das heute journal [am 06.01.2026] ab 21:45 Uhr`` for a ``Mention`` or a ``BroadcastMention``."""
    when = f" am {format_date(mention.aired_on)}" if with_date else ""
    return f"{mention.show_name}{when} ab {format_clock(mention.starts_at, padded=mention.padded)} Uhr"


@dataclass(frozen=True)
class SentenceForm:
    """One wording of the note. Templates use ``{date}`` (the shared day) and ``{items}`` (the shows).

    A template for one show may also split it into ``{show}`` and ``{clock}``.

    ``single`` is for one show, ``several`` for more on one day, ``several_days`` for more on
    different days (the date then goes with each show). An empty template: the form does not
    say it that way. ``single_dated`` puts the date with the one show rather than in ``{date}``.
    """

    key: str
    label: str
    single: str = ""
    several: str = ""
    several_days: str = ""
    single_dated: bool = False
    capitalised: bool = False  # the sentence starts with the first show's name

    def template(self, mentions):
        if len(mentions) == 1:
            return self.single, self.single_dated
        if len({mention.aired_on for mention in mentions}) == 1:
            return self.several, False
        return self.several_days, True


# Most specific first: the parser takes the first form that writes the sentence back word for word.
FORMS = (
    SentenceForm(
        STANDARD,
        "Über das Thema berichtete … / berichteten am … mehrere Sendungen, unter anderem …",
        single="Über das Thema berichtete {items}.",
        several="Über das Thema berichteten am {date} mehrere Sendungen, unter anderem {items}.",
        several_days="Über das Thema berichteten mehrere Sendungen, unter anderem {items}.",
        single_dated=True,
    ),
    SentenceForm(
        "among_others",
        "Über das Thema berichteten am … unter anderem …",
        several="Über das Thema berichteten am {date} unter anderem {items}.",
        several_days="Über das Thema berichteten unter anderem {items}.",
    ),
    SentenceForm(
        "date_lead",
        "Am … berichtete … über das Thema.",
        single="Am {date} berichtete {items} über das Thema.",
        several="Am {date} berichteten {items} über das Thema.",
    ),
    SentenceForm(
        "show_lead",
        "… berichtete am … über das Thema. (Sendung zuerst)",
        single="{show} berichtete am {date} ab {clock} Uhr über das Thema.",
        several="{items} berichteten am {date} über das Thema.",
        capitalised=True,
    ),
    SentenceForm(
        "date_first",
        "Über das Thema berichtete am … (Datum vor der Sendung)",
        single="Über das Thema berichtete am {date} {items}.",
        several="Über das Thema berichteten am {date} {items}.",
        several_days="Über das Thema berichteten {items}.",
    ),
)
FORMS_BY_KEY = {form.key: form for form in FORMS}
FORM_CHOICES = [(form.key, form.label) for form in FORMS]


class BroadcastSentenceError(ValueError):
    pass


def _listing(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def _capitalised(text):
    first, _, rest = text.partition(" ")
    return f"{first.capitalize()} {rest}" if first in DETERMINERS and rest else text


def broadcast_sentence(mentions, form=STANDARD):
    """The German note for ``mentions`` (in the editors' order) in ``form``; ``""`` for none.

    One show: "Über das Thema berichtete das heute journal am 06.01.2026 ab 19:00 Uhr."
    Several on one day: "… berichteten am 06.01.2026 mehrere Sendungen, unter anderem A ab … und B ab …."
    Several on different days name the date with each show. A form that has no wording for
    the mentions (e.g. "unter anderem" for one show) falls back to the standard one.
    """
    mentions = list(mentions)
    if not mentions:
        return ""
    chosen = FORMS_BY_KEY.get(form) or FORMS_BY_KEY[STANDARD]
    template, with_dates = chosen.template(mentions)
    if not template:
        chosen = FORMS_BY_KEY[STANDARD]
        template, with_dates = chosen.template(mentions)
    first = mentions[0]
    items = _listing([_item(mention, with_date=with_dates) for mention in mentions])
    show = first.show_name
    if chosen.capitalised:
        items, show = _capitalised(items), _capitalised(show)
    clock = format_clock(first.starts_at, padded=first.padded)
    return template.format(items=items, show=show, clock=clock, date=format_date(first.aired_on))


def broadcast_note_lines(article):
    """The lines of an article's broadcast note as the page shows them, one paragraph each.

    The sentence written from its mentions (in the article's wording), then the note kept as
    text, line by line. Reads ``article.broadcast_mentions.all()`` (prefetched by ``for_page()``).
    """
    sentence = broadcast_sentence(article.broadcast_mentions.all(), article.broadcast_form)
    kept = [line.strip() for line in (article.broadcast_note or "").splitlines() if line.strip()]
    return ([sentence] if sentence else []) + kept


def looks_like_broadcast_sentence(line):
    """Whether ``line`` is a broadcast note of any wording (the end of the answers, the start of the tail)."""
    return bool(re.search(r"\bberichteten?\b", line) and re.search(r"\b(das|dieses|diesem) Thema\b", line, re.I))


def _to_date(text):
    day, month, year = (int(part) for part in text.split("."))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise BroadcastSentenceError(f"„{text}“ ist kein gültiges Datum.") from exc


def _split_determiner(name, *, capitalised=False):
    """``("das", "heute journal")`` from "das heute journal"; at the start of a sentence also from "Das …"."""
    first, _, rest = name.partition(" ")
    if rest and (first in DETERMINERS or (capitalised and first.lower() in DETERMINERS and first.istitle())):
        return first.lower(), rest
    return "", name


def _mention(name, aired_on, clock_text, *, capitalised=False):
    clock = parse_clock(clock_text)
    if clock is None:
        raise BroadcastSentenceError(f"„{clock_text} Uhr“ ist keine gültige Uhrzeit.")
    determiner, show = _split_determiner(name, capitalised=capitalised)
    starts_at, padded = clock
    return Mention(show=show, aired_on=aired_on, starts_at=starts_at, determiner=determiner, padded=padded)


def _parse_items(listing, shared_date, *, capitalised=False):
    mentions, position = [], 0
    while position < len(listing):
        match = _ITEM.match(listing, position)
        if not match:
            return None
        aired_on = _to_date(match["date"]) if match["date"] else shared_date
        if aired_on is None:
            return None
        mentions.append(_mention(match["name"], aired_on, match["clock"], capitalised=capitalised and not mentions))
        position = match.end()
    return mentions


_PLACEHOLDERS = {
    r"\{date\}": f"(?P<date>{_DATE})",
    r"\{items\}": "(?P<items>.+)",
    r"\{show\}": "(?P<show>.+?)",
    r"\{clock\}": r"(?P<clock>\d{1,2}:\d{2})",
}


def _pattern(template):
    pattern = re.escape(template)
    for placeholder, group in _PLACEHOLDERS.items():
        pattern = pattern.replace(placeholder, group)
    return re.compile(f"^{pattern}$")


def _read(text, form):
    """Mentions if ``form`` wrote ``text``, else ``None``."""
    for template in (form.single, form.several, form.several_days):
        if not template:
            continue
        match = _pattern(template).match(text)
        if not match:
            continue
        groups = match.groupdict()
        shared = _to_date(groups["date"]) if groups.get("date") else None
        if "show" in groups:
            mentions = [_mention(groups["show"], shared, groups["clock"], capitalised=form.capitalised)]
        else:
            mentions = _parse_items(groups["items"], shared, capitalised=form.capitalised)
        if mentions and broadcast_sentence(mentions, form.key) == text:
            return mentions
    return None


EXPECTED = (
    "Erwartet: „Über das Thema berichtete <Sendung> am TT.MM.JJJJ ab H:MM Uhr.“ oder "
    "„Über das Thema berichteten am TT.MM.JJJJ mehrere Sendungen, unter anderem <Sendung> ab H:MM Uhr "
    "und <Sendung> ab H:MM Uhr.“ (oder eine der anderen üblichen Wortstellungen)"
)


def read_broadcast_sentence(text):
    """``(mentions, form key)`` for a note in any known wording; ``BroadcastSentenceError`` otherwise."""
    text = " ".join(text.split())
    for form in FORMS:
        mentions = _read(text, form)
        if mentions:
            return mentions, form.key
    raise BroadcastSentenceError(EXPECTED)


def parse_broadcast_sentence(text):
    """Read a note written by :func:`broadcast_sentence` back into mentions (any wording).

    Raises ``BroadcastSentenceError`` with a German message when ``text`` is not such a sentence.
    """
    return read_broadcast_sentence(text)[0]
