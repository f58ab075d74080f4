"""The explainer text format, read into a structured result by one pure function.

The format is what a reader's text-mode browser shows of an explainer page (see
``newsroom/demo/explainer-paris-gipfel.txt``): one block per non-empty line, in the
page's order. ``parse_explainer`` never touches the database; ``services.article_import``
writes its result in one transaction. Both the ``import_explainer`` command and the
admin's "Aus Text importieren" page use them.

Line by line:

1. page title (must equal the title in the heading)
2. kicker: the format label (``FAQ``, ``Erklärt``, ``Nachricht``, ``Analyse``)
3. heading: ``Dachzeile:Titel``
4. optionally a line holding only ``|``
5. teaser
6. optionally the hero clip: alt text, caption, meta line (``06.01.2026 | 1:46 min``)
7. intro paragraphs, optionally followed by the intro clip
8. questions (a line ending in ``?``), each with answer paragraphs and optionally a clip
9. liveblog links: a lead-in ending in ``:``, then the card: topline, ``:Titel``,
   teaser, image alt text, label
10. ``Quelle: …``
11. the broadcast sentence (``Über das Thema berichtete…``)
12. the topic link text (only recognised after a liveblog card, the source or the broadcast note)
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from newsroom.broadcasts import (
    BroadcastSentenceError,
    Mention,
    looks_like_broadcast_sentence,
    parse_broadcast_sentence,
)
from newsroom.dates import parse_duration

KIND_LABELS = {"FAQ": "faq", "Erklärt": "explainer", "Nachricht": "news", "Analyse": "analysis"}
SOURCE_PREFIX = "Quelle: "
SEPARATOR = "|"

_META_START = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4} \|")
_META = re.compile(r"^(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4}) \| (?P<duration>.+)$")


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
    topic_headline: str = ""

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


class _Lines:
    """The non-empty lines with their 1-based line numbers, and a cursor."""

    def __init__(self, text):
        self.items = [
            (number, line.strip())
            for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1)
            if line.strip()
        ]
        self.index = 0
        self.last_line = text.count("\n") + 1

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

    # What the line under the cursor starts.
    def clip_starts(self):
        third = self.peek(2)
        return third is not None and bool(_META_START.match(third))

    def question_starts(self):
        line = self.peek()
        return line is not None and line.endswith("?")

    def liveblog_starts(self):
        line, title = self.peek(), self.peek(2)
        return line is not None and line.endswith(":") and title is not None and title.startswith(":")

    def source_starts(self):
        line = self.peek()
        return line is not None and line.startswith(SOURCE_PREFIX)

    def broadcast_starts(self):
        line = self.peek()
        return line is not None and looks_like_broadcast_sentence(line)

    def paragraph_starts(self):
        return not (
            self.at_end()
            or self.clip_starts()
            or self.question_starts()
            or self.liveblog_starts()
            or self.source_starts()
            or self.broadcast_starts()
        )


def _parse_clip(lines):
    number, alt = lines.take("der Alternativtext des Clip-Bildes")
    _fit(number, alt, "media_clips.VideoClip", "poster_alt", "Der Alternativtext")
    _, caption = lines.take("die Bildunterschrift des Clips")
    number, meta = lines.take("die Meta-Zeile des Clips")
    match = _META.match(meta)
    expected = "die Meta-Zeile „TT.MM.JJJJ | m:ss min“ oder „TT.MM.JJJJ | h:mm:ss h“"
    if not match:
        raise ExplainerParseError(number, f"Erwartet {expected}, gefunden „{_abbreviate(meta)}“.")
    try:
        published_on = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ExplainerParseError(
            number, f"„{match['day']}.{match['month']}.{match['year']}“ ist kein gültiges Datum."
        ) from None
    duration = parse_duration(match["duration"])
    if duration is None:
        raise ExplainerParseError(
            number, f"Erwartet eine Dauer wie „1:46 min“ oder „1:02:03 h“, gefunden „{match['duration']}“."
        )
    if duration <= timedelta(0):
        raise ExplainerParseError(number, "Die Dauer eines Clips muss größer als null sein.")
    return ParsedClip(alt=alt, caption=caption, published_on=published_on, duration=duration, line=number)


def _parse_paragraphs(lines):
    paragraphs = []
    while lines.paragraph_starts():
        paragraphs.append(lines.take("ein Absatz")[1])
    return paragraphs


def _expect_section_end(lines, after):
    """After a clip only a new section may follow, never another paragraph."""
    if lines.paragraph_starts() or (not lines.at_end() and lines.clip_starts()):
        raise ExplainerParseError(
            lines.number(),
            f"Nach {after} erwartet: eine Frage (endet mit „?“), einen Liveblog-Hinweis (endet mit „:“), "
            f"„{SOURCE_PREFIX.strip()} …“ oder den Sendungshinweis; gefunden „{_abbreviate(lines.peek())}“.",
        )


def parse_explainer(text):
    """Parse an explainer in the text format into a :class:`ParsedExplainer`.

    Pure: no database, no files. Raises :class:`ExplainerParseError` naming the
    line and what was expected.
    """
    lines = _Lines(text)
    if lines.at_end():
        raise ExplainerParseError(1, "Der Text ist leer. Erwartet: der Seitentitel in der ersten Zeile.")

    page_title_line, page_title = lines.take("der Seitentitel")

    number, kicker = lines.take("die Rubrik")
    kind = KIND_LABELS.get(kicker)
    if kind is None:
        labels = ", ".join(f"„{label}“" for label in KIND_LABELS)
        raise ExplainerParseError(number, f"Erwartet die Rubrik ({labels}), gefunden „{_abbreviate(kicker)}“.")

    heading_line, heading = lines.take("die Überschrift „Dachzeile:Titel“")
    topline, colon, title = heading.partition(":")
    topline, title = topline.strip(), title.strip()
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
    result = ParsedExplainer(kind=kind, topline=topline, title=title, teaser=teaser)

    if not lines.at_end() and lines.clip_starts():
        result.hero_clip = _parse_clip(lines)

    result.intro = _parse_paragraphs(lines)
    if not lines.at_end() and lines.clip_starts():
        result.intro_clip = _parse_clip(lines)
        _expect_section_end(lines, "dem Clip der Einleitung")

    while lines.question_starts():
        number, question = lines.take("eine Frage")
        _fit(number, question, "faq.FAQItem", "question", "Die Frage")
        paragraphs = _parse_paragraphs(lines)
        if not paragraphs:
            raise ExplainerParseError(
                lines.number(),
                f"Auf die Frage in Zeile {number} muss mindestens ein Absatz Antwort folgen; "
                f"gefunden „{_abbreviate(lines.peek() or 'das Ende des Textes')}“.",
            )
        clip = None
        if not lines.at_end() and lines.clip_starts():
            clip = _parse_clip(lines)
            _expect_section_end(lines, f"dem Clip zur Frage in Zeile {number}")
        result.questions.append(ParsedQuestion(question=question, paragraphs=paragraphs, clip=clip, line=number))

    section_seen = False
    while lines.liveblog_starts():
        number, lead_in = lines.take("der Einleitungssatz zum Liveblog")
        _fit(number, lead_in, "newsroom.ArticleLiveblogLink", "lead_in", "Der Einleitungssatz")
        card_line, topline_text = lines.take("die Dachzeile der Liveblog-Karte")
        _fit(card_line, topline_text, "newsroom.LiveblogLink", "topline", "Die Dachzeile der Liveblog-Karte")
        card_line, title_text = lines.take("der Titel der Liveblog-Karte")
        _fit(card_line, title_text[1:].strip(), "newsroom.LiveblogLink", "title", "Der Titel der Liveblog-Karte")
        _, card_teaser = lines.take("der Teaser der Liveblog-Karte")
        card_line, image_alt = lines.take("der Alternativtext des Liveblog-Bildes")
        _fit(card_line, image_alt, "newsroom.LiveblogLink", "image_alt", "Der Alternativtext")
        card_line, label = lines.take("das Label der Liveblog-Karte (z. B. „Liveblog“)")
        _fit(card_line, label, "newsroom.LiveblogLink", "label", "Das Label der Liveblog-Karte")
        result.liveblogs.append(
            ParsedLiveblog(
                lead_in=lead_in,
                topline=topline_text,
                title=title_text[1:].strip(),
                teaser=card_teaser,
                image_alt=image_alt,
                label=label,
                line=number,
            )
        )
        section_seen = True

    if lines.source_starts():
        number, line = lines.take("die Quelle")
        result.source = _fit(number, line[len(SOURCE_PREFIX) :].strip(), "newsroom.Article", "source", "Die Quelle")
        section_seen = True

    if lines.broadcast_starts():
        number, sentence = lines.take("der Sendungshinweis")
        try:
            result.mentions = parse_broadcast_sentence(sentence)
        except BroadcastSentenceError as exc:
            raise ExplainerParseError(number, str(exc)) from None
        for mention in result.mentions:
            _fit(number, mention.show, "newsroom.BroadcastMention", "show", "Der Sendungsname")
        section_seen = True

    if section_seen and not lines.at_end():
        number, headline = lines.take("der Themenlink")
        result.topic_headline = _fit(number, headline, "newsroom.Topic", "headline", "Der Themenlink")

    if not lines.at_end():
        raise ExplainerParseError(
            lines.number(),
            "Unerwartete Zeile „{}“. Erwartet an dieser Stelle: {}.".format(
                _abbreviate(lines.peek()),
                "nichts mehr (der Themenlink ist die letzte Zeile)"
                if result.topic_headline
                else "eine Frage (endet mit „?“), einen Liveblog-Hinweis, „Quelle: …“, den Sendungshinweis "
                "oder den Themenlink",
            ),
        )
    return result
