"""The broadcast note and clip durations: what the page writes, the importer reads back."""

import datetime as dt

import pytest

from newsroom.broadcasts import (
    BroadcastSentenceError,
    Mention,
    broadcast_sentence,
    looks_like_broadcast_sentence,
    parse_broadcast_sentence,
    read_broadcast_sentence,
)
from newsroom.dates import format_duration, iso_duration, parse_duration

JAN6 = dt.date(2026, 1, 6)


@pytest.mark.parametrize(
    ("mentions", "sentence"),
    [
        (
            [
                Mention("heute journal update", JAN6, dt.time(0, 35), "das"),
                Mention("heute Xpress", JAN6, dt.time(7, 30)),
            ],
            "Über das Thema berichteten am 06.01.2026 mehrere Sendungen, unter anderem das heute journal update "
            "ab 0:35 Uhr und heute Xpress ab 7:30 Uhr.",
        ),
        (
            [Mention("heute journal", JAN6, dt.time(21, 45), "das")],
            "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr.",
        ),
        (
            [
                Mention("Morgenmagazin", JAN6, dt.time(5, 30), "das"),
                Mention("Sport und Wetter", JAN6, dt.time(12, 0)),
                Mention("Tagesschau", JAN6, dt.time(20, 0), "die"),
            ],
            "Über das Thema berichteten am 06.01.2026 mehrere Sendungen, unter anderem das Morgenmagazin ab 5:30 Uhr, "
            "Sport und Wetter ab 12:00 Uhr und die Tagesschau ab 20:00 Uhr.",
        ),
        (
            # A time written with a leading zero is read and written back with it.
            [Mention("heute journal", JAN6, dt.time(9, 45), "das", padded=True)],
            "Über das Thema berichtete das heute journal am 06.01.2026 ab 09:45 Uhr.",
        ),
        (
            # The model page mixes both in one sentence.
            [
                Mention("heute journal update", JAN6, dt.time(0, 35), "das"),
                Mention("heute Xpress", JAN6, dt.time(7, 30), padded=True),
            ],
            "Über das Thema berichteten am 06.01.2026 mehrere Sendungen, unter anderem das heute journal update "
            "ab 0:35 Uhr und heute Xpress ab 07:30 Uhr.",
        ),
        (
            [Mention("heute", JAN6, dt.time(19, 0)), Mention("heute", dt.date(2026, 1, 7), dt.time(19, 0))],
            "Über das Thema berichteten mehrere Sendungen, unter anderem heute am 06.01.2026 ab 19:00 Uhr "
            "und heute am 07.01.2026 ab 19:00 Uhr.",
        ),
    ],
)
def test_sentence_and_parser_are_exact_inverses(mentions, sentence):
    assert broadcast_sentence(mentions) == sentence
    assert parse_broadcast_sentence(sentence) == mentions


def test_no_mentions_no_sentence():
    assert broadcast_sentence([]) == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Über das Thema berichteten viele Sendungen.",
        "Über das Thema berichtete das heute journal am 31.02.2026 ab 21:45 Uhr.",
        "Über das Thema berichtete das heute journal am 06.01.2026 ab 25:45 Uhr.",
        "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr",
        "Über das Thema berichtete das heute journal am 06.01.2026 ab 21:45 Uhr und heute ab 7:00 Uhr.",
        "Über das Thema berichtete das heute journal am 06.01.2026 ab 9:45 Uhr und ab 10:00 Uhr.",
        "Über das Thema berichtete das ZDF in mehreren Sendungen.",
    ],
)
def test_sentences_the_page_would_not_write_are_refused(sentence):
    with pytest.raises(BroadcastSentenceError):
        parse_broadcast_sentence(sentence)


@pytest.mark.parametrize(
    ("seconds", "display", "iso"),
    [
        (106, "1:46 min", "PT1M46S"),
        (27, "0:27 min", "PT27S"),
        (3723, "1:02:03 h", "PT1H2M3S"),
        (3600, "1:00:00 h", "PT1H"),
    ],
)
def test_durations_format_and_parse(seconds, display, iso):
    duration = dt.timedelta(seconds=seconds)
    assert format_duration(duration) == display
    assert iso_duration(duration) == iso
    assert parse_duration(display) == duration


@pytest.mark.parametrize("text", ["1:46", "1:60 min", "abc", "1:02:03 min", "1:2 min"])
def test_malformed_durations_do_not_parse(text):
    assert parse_duration(text) is None


WORDINGS = [
    (
        "show_lead",
        "Das heute journal berichtete am 06.01.2026 ab 21:45 Uhr über das Thema.",
        [Mention("heute journal", JAN6, dt.time(21, 45), "das")],
    ),
    (
        "show_lead",
        "heute Xpress berichtete am 06.01.2026 ab 07:30 Uhr über das Thema.",
        [Mention("heute Xpress", JAN6, dt.time(7, 30), padded=True)],
    ),
    (
        "date_lead",
        "Am 06.01.2026 berichtete das heute journal ab 21:45 Uhr über das Thema.",
        [Mention("heute journal", JAN6, dt.time(21, 45), "das")],
    ),
    (
        "date_lead",
        "Am 06.01.2026 berichteten das heute journal update ab 0:35 Uhr und heute Xpress ab 7:30 Uhr über das Thema.",
        [Mention("heute journal update", JAN6, dt.time(0, 35), "das"), Mention("heute Xpress", JAN6, dt.time(7, 30))],
    ),
    (
        "date_first",
        "Über das Thema berichtete am 06.01.2026 Das Erste ab 20:15 Uhr.",
        [Mention("Das Erste", JAN6, dt.time(20, 15))],
    ),
    (
        "among_others",
        "Über das Thema berichteten am 06.01.2026 unter anderem die Tagesschau ab 20:00 Uhr und das heute journal "
        "ab 21:45 Uhr.",
        [Mention("Tagesschau", JAN6, dt.time(20, 0), "die"), Mention("heute journal", JAN6, dt.time(21, 45), "das")],
    ),
    (
        "show_lead",
        "Die Tagesschau ab 20:00 Uhr und heute ab 19:00 Uhr berichteten am 06.01.2026 über das Thema.",
        [Mention("Tagesschau", JAN6, dt.time(20, 0), "die"), Mention("heute", JAN6, dt.time(19, 0))],
    ),
]


@pytest.mark.parametrize(("form", "sentence", "mentions"), WORDINGS)
def test_other_word_orders_are_read_and_written_back_word_for_word(form, sentence, mentions):
    assert read_broadcast_sentence(sentence) == (mentions, form)
    assert broadcast_sentence(mentions, form) == sentence
    assert looks_like_broadcast_sentence(sentence)


def test_a_form_without_a_wording_for_one_show_falls_back_to_the_standard_one():
    mention = Mention("heute journal", JAN6, dt.time(21, 45), "das")
    assert broadcast_sentence([mention], "among_others") == broadcast_sentence([mention])


@pytest.mark.parametrize(
    "line",
    [
        "Die Polizei berichtete am Morgen von mehreren Festnahmen.",
        "Ein Thema, das uns bewegt.",
    ],
)
def test_ordinary_answer_sentences_do_not_look_like_a_broadcast_note(line):
    assert not looks_like_broadcast_sentence(line)
