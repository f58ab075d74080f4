"""The importer's block readers, one at a time: what each reads, where it stops, how it fails."""

import datetime as dt

import pytest

from newsroom.importer import (
    ExplainerParseError,
    Lines,
    ParsedExplainer,
    input_lines,
    read_broadcast_note,
    read_clip,
    read_header,
    read_liveblog_card,
    read_paragraphs,
    read_question,
    read_source,
    read_tail,
    read_topic_line,
)

JAN6 = dt.date(2026, 1, 6)


def lines_of(*lines):
    return Lines("\n\n".join(lines) + "\n")


def empty_result():
    return ParsedExplainer(kind="faq", topline="Dachzeile", title="Titel", teaser="Teaser")


# Input hygiene ---------------------------------------------------------------------------------


def test_input_lines_accept_bom_crlf_cr_tabs_odd_spaces_and_no_final_newline():
    notes = []
    text = "\ufeffErste\u00a0Zeile  \r\n\r\n\tZweite\tZeile\rDritte\u202fZeile"
    assert input_lines(text, notes) == [(1, "Erste Zeile"), (3, "Zweite Zeile"), (4, "Dritte Zeile")]
    assert notes == []


def test_control_characters_are_removed_and_named_never_kept():
    notes = []
    lines = input_lines("Ein\x0bZeilenumbruch aus Word\nUnsicht\x01bar\x7f\n", notes)
    assert lines == [(1, "Ein Zeilenumbruch aus Word"), (2, "Unsichtbar")]
    assert notes == ["Zeile 1: Steuerzeichen entfernt (U+000B).", "Zeile 2: Steuerzeichen entfernt (U+0001, U+007F)."]


def test_decomposed_umlauts_become_the_composed_ones():
    assert input_lines("Fa\u0308hre", []) == [(1, "Fähre")]


# Header ----------------------------------------------------------------------------------------


def test_header_reads_title_kicker_heading_divider_and_teaser():
    lines = lines_of("Wie es weitergeht", "Analyse", "Bahn:Wie es weitergeht", "|", "Ein Teaser.", "Danach")
    result = read_header(lines)
    assert (result.kind, result.topline, result.title, result.teaser) == (
        "analysis",
        "Bahn",
        "Wie es weitergeht",
        "Ein Teaser.",
    )
    assert lines.peek() == "Danach"


def test_header_without_divider():
    result = read_header(lines_of("Titel", "FAQ", "Dach:Titel", "Teaser"))
    assert result.teaser == "Teaser"


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        (("Titel", "Kommentar", "Dach:Titel", "Teaser"), 3, "Rubrik"),
        (("Titel", "FAQ", "Ohne Doppelpunkt", "Teaser"), 5, "Dachzeile:Titel"),
        (("Anders", "FAQ", "Dach:Titel", "Teaser"), 1, "Seitentitel"),
        (("Titel", "FAQ", "Dach:Titel"), 6, "endet zu früh"),
    ],
)
def test_header_errors_name_their_line(lines, line, fragment):
    with pytest.raises(ExplainerParseError) as info:
        read_header(lines_of(*lines))
    assert info.value.line == line
    assert fragment in info.value.message


def test_an_empty_text_is_refused_at_line_one():
    with pytest.raises(ExplainerParseError, match="leer") as info:
        read_header(Lines(" \n\t\n"))
    assert info.value.line == 1


# Clips -----------------------------------------------------------------------------------------


def test_clip_reads_alt_caption_date_and_duration():
    clip = read_clip(lines_of("Ein Bild", "Eine Unterschrift.", "06.01.2026 | 1:02:03 h"))
    assert (clip.alt, clip.caption, clip.published_on) == ("Ein Bild", "Eine Unterschrift.", JAN6)
    assert clip.duration == dt.timedelta(hours=1, minutes=2, seconds=3)
    assert clip.line == 5


@pytest.mark.parametrize(
    ("meta", "fragment"),
    [
        ("31.02.2026 | 1:46 min", "kein gültiges Datum"),
        ("06.01.2026 | 1:46 Minuten", "Dauer"),
        ("06.01.2026 | 0:00 min", "größer als null"),
        ("6.1.2026 | 1:46 min", "Meta-Zeile"),
    ],
)
def test_clip_meta_line_errors(meta, fragment):
    with pytest.raises(ExplainerParseError, match=fragment) as info:
        read_clip(lines_of("Bild", "Unterschrift", meta))
    assert info.value.line == 5


# Paragraphs and questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "stop",
    [
        ["Eine Frage?"],
        ["Bild", "Unterschrift", "06.01.2026 | 1:46 min"],
        ["Quelle: dpa"],
        ["Lesen Sie mehr:", "Dachzeile", ":Titel"],
        ["Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr."],
        ["Das heute journal berichtete am 06.01.2026 ab 21:45 Uhr über das Thema."],
    ],
)
def test_paragraphs_stop_where_the_next_block_starts(stop):
    lines = lines_of("Erster Absatz.", "Zweiter Absatz.", *stop)
    assert read_paragraphs(lines) == ["Erster Absatz.", "Zweiter Absatz."]
    assert lines.peek() == stop[0]


def test_question_with_answer_and_clip():
    lines = lines_of("Was ist los?", "Eine Antwort.", "Bild", "Unterschrift", "06.01.2026 | 0:27 min", "Nächste Frage?")
    question = read_question(lines)
    assert (question.question, question.paragraphs, question.line) == ("Was ist los?", ["Eine Antwort."], 1)
    assert question.clip.duration == dt.timedelta(seconds=27)
    assert lines.peek() == "Nächste Frage?"


def test_a_question_needs_an_answer():
    with pytest.raises(ExplainerParseError, match="mindestens ein Absatz Antwort") as info:
        read_question(lines_of("Was ist los?", "Und was noch?"))
    assert info.value.line == 3


def test_after_a_clip_only_a_new_section_may_follow():
    lines = lines_of("Was ist los?", "Antwort.", "Bild", "Unterschrift", "06.01.2026 | 0:27 min", "Noch ein Absatz.")
    with pytest.raises(ExplainerParseError, match="Nach dem Clip zur Frage in Zeile 1") as info:
        read_question(lines)
    assert info.value.line == 11


# Tail blocks -----------------------------------------------------------------------------------


def test_liveblog_card():
    card = read_liveblog_card(
        lines_of(
            "Alles im Liveblog:", "Krieg gegen die Ukraine", ":Alle Entwicklungen", "Ein Teaser.", "Foto", "Ticker"
        )
    )
    assert (card.lead_in, card.topline, card.title, card.teaser, card.image_alt, card.label) == (
        "Alles im Liveblog:",
        "Krieg gegen die Ukraine",
        "Alle Entwicklungen",
        "Ein Teaser.",
        "Foto",
        "Ticker",
    )


def test_source():
    assert read_source(3, "Quelle: dpa, Reuters") == "dpa, Reuters"


def test_source_too_long_names_its_line():
    with pytest.raises(ExplainerParseError, match="Die Quelle ist 108 Zeichen lang") as info:
        read_source(7, "Quelle: " + "x" * 108)
    assert info.value.line == 7


def test_broadcast_note_in_a_known_wording_is_structured():
    mentions, form = read_broadcast_note(9, "Am 06.01.2026 berichtete das heute journal ab 21:45 Uhr über das Thema.")
    assert form == "date_lead"
    assert [(m.determiner, m.show, m.aired_on, m.starts_at) for m in mentions] == [
        ("das", "heute journal", JAN6, dt.time(21, 45))
    ]


def test_broadcast_note_in_an_unknown_wording_is_not_structured():
    assert read_broadcast_note(9, "Über das Thema berichtete das ZDF mehrfach.") is None


def test_topic_line_too_long_names_its_line():
    with pytest.raises(ExplainerParseError, match="Themenlink") as info:
        read_topic_line(12, "Aktuelle Nachrichten " + "x" * 200)
    assert info.value.line == 12


def test_tail_reads_source_note_and_topic():
    result = empty_result()
    read_tail(
        lines_of(
            "Quelle: dpa",
            "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr.",
            "Aktuelle Nachrichten zur Ukraine",
        ),
        result,
    )
    assert (result.source, len(result.mentions), result.broadcast_note) == ("dpa", 1, "")
    assert result.topic_headline == "Aktuelle Nachrichten zur Ukraine"
    assert result.notes == []


def test_tail_keeps_what_no_reader_knows_in_order_and_says_so():
    result = empty_result()
    read_tail(
        lines_of(
            "Quelle: dpa",
            "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr.",
            "Mit Material von Reuters.",
            "Und noch ein Satz.",
            "Aktuelle Nachrichten zur Ukraine",
        ),
        result,
    )
    assert len(result.mentions) == 1
    assert result.broadcast_note == "Mit Material von Reuters.\nUnd noch ein Satz."
    assert result.notes == [
        "Zeilen 5 bis 7: als Text übernommen (Sendungshinweis als Text), weil sie sich nicht in Sendungen mit "
        "Datum und Uhrzeit zerlegen lassen. Bitte im Artikel prüfen."
    ]


def test_tail_with_only_a_source_has_no_topic():
    result = empty_result()
    read_tail(lines_of("Quelle: dpa"), result)
    assert (result.source, result.topic_headline, result.broadcast_note) == ("dpa", "", "")


def test_a_line_after_the_topic_link_is_refused():
    with pytest.raises(ExplainerParseError, match="Themenlink in Zeile 3") as info:
        read_tail(lines_of("Quelle: dpa", "Aktuelle Nachrichten zur Ukraine", "Noch etwas"), empty_result())
    assert info.value.line == 5


def test_a_tail_must_start_with_a_tail_block():
    with pytest.raises(ExplainerParseError, match="Unerwartete Zeile") as info:
        read_tail(lines_of("Irgendetwas"), empty_result())
    assert info.value.line == 1
