"""The explainer text format, read into a structured result by small block readers.

The format is what a reader's text-mode browser shows of an explainer page (see
``newsroom/demo/explainer-paris-gipfel.txt``): one block per non-empty line, in the
page's order. ``parse_explainer`` never touches the database; ``services.article_import``
writes its result in one transaction. Both the ``import_explainer`` command and the
admin's "Aus Text importieren" page use them.

Line by line, each block read by its own reader below:

1. header (``read_header``): page title (must equal the title in the heading), kicker
   (``FAQ``, ``Erklärt``, ``Nachricht``, ``Analyse``), heading ``Dachzeile:Titel``,
   optionally a line holding only ``|``, teaser
2. optionally the hero clip (``read_clip``): alt text, caption, meta line (``06.01.2026 | 1:46 min``)
3. intro paragraphs (``read_paragraphs``), optionally followed by the intro clip
4. questions (``read_question``): a line ending in ``?``, answer paragraphs, optionally a clip
5. the tail (``read_tail``): liveblog cards (``read_liveblog_card``: a lead-in ending in ``:``,
   then topline, ``:Titel``, teaser, image alt text, label), ``Quelle: …`` (``read_source``),
   the broadcast note (``read_broadcast_note``) and the topic link (``read_topic_line``)

Real pages vary. Input hygiene comes first (``input_lines``): a byte-order mark, CRLF,
tabs, non-breaking and other odd spaces are normalised; control characters are removed
with a note. In the tail, whatever no reader can structure is kept word for word as the
article's broadcast note text, with a note; no line is ever dropped. The body (header,
clips, questions) has no such fallback: a line there that fits no block is an error that
names the line.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from newsroom.broadcasts import (
    STANDARD,
    BroadcastSentenceError,
    Mention,
    looks_like_broadcast_sentence,
    read_broadcast_sentence,
)
from newsroom.dates import parse_duration

KIND_LABELS = {"FAQ": "faq", "Erklärt": "explainer", "Nachricht": "news", "Analyse": "analysis"}
SOURCE_PREFIX = "Quelle: "
SEPARATOR = "|"
# What topic links say ("Aktuelle Nachrichten zur Ukraine", "Mehr zum Thema Bundeswehr"): a
# line after such a link cannot be kept in page order, so it is refused.
TOPIC_LINK = re.compile(r"^(Aktuelle |Alle |Weitere |Mehr )?(Nachrichten|Artikel|Meldungen|Hintergründe|zum Thema)\b")

_META_START = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4} \|")
_META = re.compile(r"^(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4}) \| (?P<duration>.+)$")
# C0 and C1 control characters except tab and newline (which are whitespace here anyway).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ExplainerParseError(ValueError):
    """Input the importer cannot map; names the 1-based line and what was expected."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"Zeile {line}: {message}")


@dataclass
class ParsedClip:
    alt: str
    caption: str
    published_on: date
    duration: timedelta
    line: int


@dataclass
class ParsedQuestion:
    question: str
    paragraphs: list[str]
    clip: ParsedClip | None
    line: int


@dataclass
class ParsedLiveblog:
    lead_in: str
    topline: str
    title: str
    teaser: str
    image_alt: str
    label: str
    line: int


@dataclass
class ParsedExplainer:
    kind: str
    topline: str
    title: str
    teaser: str
    hero_clip: ParsedClip | None = None
    intro: list[str] = field(default_factory=list)
    intro_clip: ParsedClip | None = None
    questions: list[ParsedQuestion] = field(default_factory=list)
    liveblogs: list[ParsedLiveblog] = field(default_factory=list)
    source: str = ""
    mentions: list[Mention] = field(default_factory=list)
    broadcast_form: str = STANDARD
    broadcast_note: str = ""
    topic_headline: str = ""
    # Non-blocking hints for the editor: what was cleaned, what was kept as text.
    notes: list[str] = field(default_factory=list, compare=False)

    def clips(self):
        clips = [self.hero_clip, self.intro_clip, *(question.clip for question in self.questions)]
        return [clip for clip in clips if clip is not None]


def _max_length(model_path, field_name):
    from django.apps import apps

    return apps.get_model(model_path)._meta.get_field(field_name).max_length


def _fit(number, text, model_path, field_name, what):
    """``text`` if it fits its field, else an error naming the line (the database would refuse it)."""
    limit = _max_length(model_path, field_name)
    if len(text) > limit:
        raise ExplainerParseError(
            number, f"{what} ist {len(text)} Zeichen lang; erlaubt sind höchstens {limit}: „{_abbreviate(text)}“."
        )
    return text


def _abbreviate(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Input hygiene ---------------------------------------------------------------------------------


def _codes(characters):
    return ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(characters))


def input_lines(text, notes):
    """The non-empty lines of ``text`` as ``(number, line)``, cleaned; hints about removals go to ``notes``.

    A leading byte-order mark goes; CRLF and CR count as line ends; tabs, non-breaking and
    other Unicode spaces become plain spaces, runs of them one; each line is stripped.
    Control characters are removed (a vertical tab from Word becomes a space) and named.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        found = _CONTROL.findall(raw)
        if found:
            notes.append(f"Zeile {number}: Steuerzeichen entfernt ({_codes(found)}).")
            raw = _CONTROL.sub(lambda match: " " if match.group(0).isspace() else "", raw)
        line = " ".join(unicodedata.normalize("NFC", raw).split())
        if line:
            lines.append((number, line))
    return lines


class Lines:
    """The cleaned non-empty lines with their 1-based line numbers, a cursor, and the notes so far."""

    def __init__(self, text):
        self.notes = []
        self.items = input_lines(text, self.notes)
        self.index = 0
        self.last_line = text.replace("\r\n", "\n").count("\n") + 1

    def at_end(self):
        return self.index >= len(self.items)

    def peek(self, offset=0):
        position = self.index + offset
        return self.items[position][1] if position < len(self.items) else None

    def number(self, offset=0):
        position = self.index + offset
        return self.items[position][0] if position < len(self.items) else self.last_line

    def take(self, expected):
        if self.at_end():
            raise ExplainerParseError(self.last_line, f"Der Text endet zu früh. Erwartet: {expected}.")
        number, line = self.items[self.index]
        self.index += 1
        return number, line

    def rest(self):
        """Every line not read yet, as ``(number, line)``; the cursor moves to the end."""
        rest, self.index = self.items[self.index :], len(self.items)
        return rest


# What the line under the cursor starts --------------------------------------------------------


def clip_starts(lines):
    third = lines.peek(2)
    return third is not None and bool(_META_START.match(third))


def question_starts(lines):
    line = lines.peek()
    return line is not None and line.endswith("?")


def liveblog_starts(lines):
    line, title = lines.peek(), lines.peek(2)
    return line is not None and line.endswith(":") and title is not None and title.startswith(":")


def source_starts(lines):
    line = lines.peek()
    return line is not None and line.startswith(SOURCE_PREFIX)


def broadcast_starts(lines):
    line = lines.peek()
    return line is not None and looks_like_broadcast_sentence(line)


def tail_starts(lines):
    return liveblog_starts(lines) or source_starts(lines) or broadcast_starts(lines)


def paragraph_starts(lines):
    return not (lines.at_end() or clip_starts(lines) or question_starts(lines) or tail_starts(lines))


# Block readers ----------------------------------------------------------------------------------


def read_header(lines):
    """Page title, kicker, heading ``Dachzeile:Titel``, the optional ``|`` and the teaser."""
    if lines.at_end():
        raise ExplainerParseError(1, "Der Text ist leer. Erwartet: der Seitentitel in der ersten Zeile.")
    page_title_line, page_title = lines.take("der Seitentitel")
    number, kicker = lines.take("die Rubrik")
    kind = KIND_LABELS.get(kicker)
    if kind is None:
        labels = ", ".join(f"„{label}“" for label in KIND_LABELS)
        raise ExplainerParseError(number, f"Erwartet die Rubrik ({labels}), gefunden „{_abbreviate(kicker)}“.")
    heading_line, heading = lines.take("die Überschrift „Dachzeile:Titel“")
    topline, colon, title = (part.strip() for part in heading.partition(":"))
    if not colon or not topline or not title:
        raise ExplainerParseError(
            heading_line,
            f"Erwartet die Überschrift „Dachzeile:Titel“ (mit Doppelpunkt), gefunden „{_abbreviate(heading)}“.",
        )
    _fit(heading_line, topline, "newsroom.Article", "topline", "Die Dachzeile")
    _fit(heading_line, title, "newsroom.Article", "title", "Der Titel")
    if page_title != title:
        raise ExplainerParseError(
            page_title_line,
            f"Der Seitentitel „{_abbreviate(page_title)}“ stimmt nicht mit dem Titel der Überschrift "
            f"in Zeile {heading_line} („{_abbreviate(title)}“) überein.",
        )
    if lines.peek() == SEPARATOR:
        lines.take(SEPARATOR)
    _, teaser = lines.take("der Teaser")
    return ParsedExplainer(kind=kind, topline=topline, title=title, teaser=teaser)


def _clip_date(number, match):
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ExplainerParseError(
            number, f"„{match['day']}.{match['month']}.{match['year']}“ ist kein gültiges Datum."
        ) from None


def _clip_duration(number, text):
    duration = parse_duration(text)
    if duration is None:
        raise ExplainerParseError(number, f"Erwartet eine Dauer wie „1:46 min“ oder „1:02:03 h“, gefunden „{text}“.")
    if duration <= timedelta(0):
        raise ExplainerParseError(number, "Die Dauer eines Clips muss größer als null sein.")
    return duration


def read_clip(lines):
    """A clip: poster alt text, caption, meta line ``TT.MM.JJJJ | m:ss min`` (or ``h:mm:ss h``)."""
    number, alt = lines.take("der Alternativtext des Clip-Bildes")
    _fit(number, alt, "media_clips.VideoClip", "poster_alt", "Der Alternativtext")
    _, caption = lines.take("die Bildunterschrift des Clips")
    number, meta = lines.take("die Meta-Zeile des Clips")
    match = _META.match(meta)
    if not match:
        expected = "die Meta-Zeile „TT.MM.JJJJ | m:ss min“ oder „TT.MM.JJJJ | h:mm:ss h“"
        raise ExplainerParseError(number, f"Erwartet {expected}, gefunden „{_abbreviate(meta)}“.")
    return ParsedClip(
        alt=alt,
        caption=caption,
        published_on=_clip_date(number, match),
        duration=_clip_duration(number, match["duration"]),
        line=number,
    )


def read_paragraphs(lines):
    """Paragraphs up to the next clip, question or tail block."""
    paragraphs = []
    while paragraph_starts(lines):
        paragraphs.append(lines.take("ein Absatz")[1])
    return paragraphs


def _expect_section_end(lines, after):
    """After a clip only a new section may follow, never another paragraph."""
    if paragraph_starts(lines) or (not lines.at_end() and clip_starts(lines)):
        raise ExplainerParseError(
            lines.number(),
            f"Nach {after} erwartet: eine Frage (endet mit „?“), einen Liveblog-Hinweis (endet mit „:“), "
            f"„{SOURCE_PREFIX.strip()} …“ oder den Sendungshinweis; gefunden „{_abbreviate(lines.peek())}“.",
        )


def read_section_clip(lines, after):
    """The optional clip that closes a section (the intro, an answer)."""
    if lines.at_end() or not clip_starts(lines):
        return None
    clip = read_clip(lines)
    _expect_section_end(lines, after)
    return clip


def read_question(lines):
    """A question (ends with ``?``), at least one answer paragraph, optionally a clip."""
    number, question = lines.take("eine Frage")
    _fit(number, question, "faq.FAQItem", "question", "Die Frage")
    paragraphs = read_paragraphs(lines)
    if not paragraphs:
        raise ExplainerParseError(
            lines.number(),
            f"Auf die Frage in Zeile {number} muss mindestens ein Absatz Antwort folgen; "
            f"gefunden „{_abbreviate(lines.peek() or 'das Ende des Textes')}“.",
        )
    clip = read_section_clip(lines, f"dem Clip zur Frage in Zeile {number}")
    return ParsedQuestion(question=question, paragraphs=paragraphs, clip=clip, line=number)


def read_liveblog_card(lines):
    """A lead-in ending in ``:``, then the card: topline, ``:Titel``, teaser, image alt text, label."""
    number, lead_in = lines.take("der Einleitungssatz zum Liveblog")
    _fit(number, lead_in, "newsroom.ArticleLiveblogLink", "lead_in", "Der Einleitungssatz")
    card_line, topline = lines.take("die Dachzeile der Liveblog-Karte")
    _fit(card_line, topline, "newsroom.LiveblogLink", "topline", "Die Dachzeile der Liveblog-Karte")
    card_line, title = lines.take("der Titel der Liveblog-Karte")
    title = _fit(card_line, title[1:].strip(), "newsroom.LiveblogLink", "title", "Der Titel der Liveblog-Karte")
    _, teaser = lines.take("der Teaser der Liveblog-Karte")
    card_line, image_alt = lines.take("der Alternativtext des Liveblog-Bildes")
    _fit(card_line, image_alt, "newsroom.LiveblogLink", "image_alt", "Der Alternativtext")
    card_line, label = lines.take("das Label der Liveblog-Karte (z. B. „Liveblog“)")
    _fit(card_line, label, "newsroom.LiveblogLink", "label", "Das Label der Liveblog-Karte")
    return ParsedLiveblog(
        lead_in=lead_in, topline=topline, title=title, teaser=teaser, image_alt=image_alt, label=label, line=number
    )


def read_source(number, line):
    """``Quelle: dpa`` → ``dpa``."""
    return _fit(number, line[len(SOURCE_PREFIX) :].strip(), "newsroom.Article", "source", "Die Quelle")


def read_broadcast_note(number, line):
    """``(mentions, form)`` for a note in one of the known wordings; ``None`` when none fits."""
    try:
        mentions, form = read_broadcast_sentence(line)
    except BroadcastSentenceError:
        return None
    for mention in mentions:
        _fit(number, mention.show, "newsroom.BroadcastMention", "show", "Der Sendungsname")
    return mentions, form


def read_topic_line(number, line):
    return _fit(number, line, "newsroom.Topic", "headline", "Der Themenlink")


def _is_footer_block(line):
    return line.startswith(SOURCE_PREFIX) or looks_like_broadcast_sentence(line)


def _split_topic(footer):
    """``(footer, topic line or None)``: the topic link is the last line, and nothing may follow one.

    The last line of the tail is the topic link, unless it is the source or a broadcast
    note. A line that reads like one ("Aktuelle Nachrichten zu …") earlier in the footer
    means lines follow the topic link, which the page could not write back in their place:
    that is an error naming the first of them.
    """
    if not footer or _is_footer_block(footer[-1][1]):
        return footer, None
    for index, (number, line) in enumerate(footer[:-1]):
        if TOPIC_LINK.match(line) and not _is_footer_block(line):
            after, text = footer[index + 1]
            raise ExplainerParseError(
                after,
                f"Unerwartete Zeile „{_abbreviate(text)}“. Erwartet an dieser Stelle: nichts mehr "
                f"(der Themenlink in Zeile {number} ist die letzte Zeile).",
            )
    return footer[:-1], footer[-1]


def read_tail(lines, result):
    """Liveblog cards, then the footer: ``Quelle: …``, the broadcast note, what else there is, the topic link.

    The footer's first line may be the source and the next the broadcast note in a known
    wording; everything after them but the topic link is kept as text (``broadcast_note``),
    in order, with a note for the editor.
    """
    if lines.at_end():
        return
    if not tail_starts(lines):
        raise ExplainerParseError(
            lines.number(),
            f"Unerwartete Zeile „{_abbreviate(lines.peek())}“. Erwartet an dieser Stelle: eine Frage "
            "(endet mit „?“), einen Liveblog-Hinweis, „Quelle: …“, den Sendungshinweis oder den Themenlink.",
        )
    while liveblog_starts(lines):
        result.liveblogs.append(read_liveblog_card(lines))
    footer, topic = _split_topic(lines.rest())
    if topic is not None:
        result.topic_headline = read_topic_line(*topic)
    if footer and footer[0][1].startswith(SOURCE_PREFIX):
        result.source = read_source(*footer.pop(0))
    if footer:
        structured = read_broadcast_note(*footer[0])
        if structured:
            result.mentions, result.broadcast_form = structured
            footer.pop(0)
    if footer:
        result.broadcast_note = "\n".join(line for _, line in footer)
        numbers = [number for number, _ in footer]
        where = f"Zeile {numbers[0]}" if len(numbers) == 1 else f"Zeilen {numbers[0]} bis {numbers[-1]}"
        result.notes.append(
            f"{where}: als Text übernommen (Sendungshinweis als Text), weil sie sich nicht in Sendungen "
            "mit Datum und Uhrzeit zerlegen lassen. Bitte im Artikel prüfen."
        )


def parse_explainer(text):
    """Parse an explainer in the text format into a :class:`ParsedExplainer`.

    Pure: no database, no files. Raises :class:`ExplainerParseError` naming the
    line and what was expected. Hints that do not stop the import are in ``notes``.
    """
    lines = Lines(text)
    result = read_header(lines)
    result.notes = lines.notes
    if not lines.at_end() and clip_starts(lines):
        result.hero_clip = read_clip(lines)
    result.intro = read_paragraphs(lines)
    result.intro_clip = read_section_clip(lines, "dem Clip der Einleitung")
    while question_starts(lines):
        result.questions.append(read_question(lines))
    read_tail(lines, result)
    return result
