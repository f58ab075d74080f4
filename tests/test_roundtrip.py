"""Import an explainer, render it, and read the page back as text: every line returns, in order."""

import datetime as dt
import io
import random
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsroom.models import Article
from newsroom.services import article_import
from tests.textmode import missing_in_order, text_lines

SAMPLE = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"
SHARED_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "explainer-paris-gipfel.txt"

# An explainer this project has never seen: another kind, no intro clip, an hour-long
# clip, two liveblog cards, a single broadcast, questions without clips in between.
UNSEEN = """\
Was der neue Wehrdienst für junge Männer und Frauen bedeutet

Erklärt

Bundeswehr:Was der neue Wehrdienst für junge Männer und Frauen bedeutet

|

Ab Januar verschickt die Bundeswehr Fragebögen an alle 18-Jährigen. Was Pflicht ist & was freiwillig bleibt.

Rekruten bei einem Gelöbnis vor dem Reichstagsgebäude

Die Bundeswehr sucht Nachwuchs: Seit Jahren fehlen der Truppe Soldatinnen und Soldaten.

02.12.2025 | 1:02:03 h

Der Bundestag hat das Gesetz im Dezember beschlossen. Es tritt am 1. Januar in Kraft.

Wer bekommt Post von der Bundeswehr?

Alle jungen Männer und Frauen, die 18 Jahre alt werden. Männer müssen antworten, Frauen dürfen.

Muss ich zur Musterung?

Für Männer des Jahrgangs 2008 wird die Musterung wieder Pflicht.

Die Kreiswehrersatzämter werden dafür neu aufgebaut <nicht vor 2027>.

Ärztin misst den Blutdruck eines jungen Mannes

Wie läuft eine Musterung ab? Ein Besuch im Karrierecenter Hannover.

28.11.2025 | 4:10 min

Was passiert, wenn sich zu wenige melden?

Dann kann der Bundestag eine Bedarfswehrpflicht beschließen.

Mehr zur Sicherheitspolitik lesen Sie in unserem Liveblog:

Sicherheit in Europa
:Der Newsblog zur Verteidigung

Alles zu Aufrüstung, Nato und Bundeswehr im Überblick.
Soldaten auf einem Übungsplatz in Litauen
Newsblog

Die Debatte im Bundestag verfolgen Sie hier:

Bundestag
:Die Debatte zum Nachlesen

Reden, Abstimmungen und Reaktionen.
Blick in den Plenarsaal des Bundestags
Liveticker

Quelle: AFP, Reuters

Über das Thema berichtete das ZDF-Morgenmagazin am 03.12.2025 ab 7:05 Uhr.

Aktuelle Nachrichten zur Bundeswehr
"""


def sample_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def render(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def article_lines(html):
    """The text lines inside the page's <article> element."""
    match = re.search(r"<article class=\"article\">.*</article>", html, re.DOTALL)
    assert match, "the page has no <article class=article>"
    return text_lines(match.group(0))


def assert_round_trip(client, text):
    article = article_import(text=text, publish=True).article
    html = render(client, article)
    expected = sample_lines(text)
    assert missing_in_order(expected, text_lines(html)) is None
    # Stronger still: the article element holds exactly the sample's lines after the
    # page title, nothing added or lost between them. (The page always writes the
    # optional "|" divider under the heading.)
    canonical = expected[1:3] + ["|"] + expected[3 + (expected[3] == "|") :]
    # The page adds two things the text format does not carry: the "Stand" line under
    # the teaser, and on FAQ pages with three or more questions a table of contents
    # before the first question.
    stand = timezone.localtime(article.last_modified).strftime("Stand: %d.%m.%Y, %H:%M Uhr")
    canonical.insert(4, stand)
    questions = [item.question for item in article.faq_items.all()]
    if article.kind == "faq" and len(questions) >= 3:
        first = canonical.index(questions[0], 5)
        canonical[first:first] = ["Die Fragen im Überblick", *questions]
    assert article_lines(html) == canonical
    return article


@pytest.mark.django_db
def test_project_ships_the_shared_sample_unchanged():
    if SHARED_SAMPLE.exists():
        assert SAMPLE.read_text(encoding="utf-8") == SHARED_SAMPLE.read_text(encoding="utf-8")
    assert sample_lines(SAMPLE.read_text(encoding="utf-8"))[0].startswith("Wie die")


@pytest.mark.django_db
def test_every_line_of_the_sample_comes_back_in_order(client):
    article = assert_round_trip(client, SAMPLE.read_text(encoding="utf-8"))
    assert article.faq_items.count() == 6
    assert len(article.clips()) == 6


@pytest.mark.django_db
def test_the_demo_article_renders_every_line_of_the_sample(client):
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.published().get()
    html = render(client, article)
    assert missing_in_order(sample_lines(SAMPLE.read_text(encoding="utf-8")), text_lines(html)) is None


@pytest.mark.django_db
def test_an_unseen_explainer_round_trips(client):
    article = assert_round_trip(client, UNSEEN)
    assert article.kind == Article.Kind.EXPLAINER
    assert article.source == "AFP, Reuters"
    assert article.intro_clip is None
    assert [item.clip is not None for item in article.faq_items.all()] == [False, True, False]
    assert article.liveblog_placements.count() == 2
    assert article.topic.name == "Bundeswehr"
    html = render(client, article)
    # Editor text is escaped, never interpreted.
    assert "&lt;nicht vor 2027&gt;" in html
    assert "Pflicht ist &amp; was" in html


def generated_explainer(rng):
    """A random explainer in the text format, built from independent choices."""
    words = ("Gipfel", "Bund", "Länder", "Streit", "Hilfe", "Frage", "Preise", "Strom", "Bahn", "Wahl", "Klima")

    def phrase(count):
        return " ".join(rng.choice(words) for _ in range(count))

    def clip():
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
        seconds = rng.randrange(1, 7200)
        if seconds >= 3600:
            duration = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d} h"
        else:
            duration = f"{seconds // 60}:{seconds % 60:02d} min"
        return [f"Bild: {phrase(4)}", f"Clip über {phrase(6)}.", f"{day:%d.%m.%Y} | {duration}"]

    title = f"Was {phrase(5)} bedeutet"
    lines = [title, rng.choice(["FAQ", "Erklärt", "Nachricht", "Analyse"]), f"{phrase(2)}:{title}"]
    if rng.random() < 0.5:
        lines.append("|")
    lines.append(f"Teaser über {phrase(8)}.")
    if rng.random() < 0.6:
        lines += clip()
    lines += [f"Einleitung {index}: {phrase(10)}." for index in range(rng.randrange(0, 3))]
    if rng.random() < 0.5:
        lines += clip()
    for index in range(rng.randrange(0, 6)):
        lines.append(f"Frage {index} zu {phrase(3)}?")
        lines += [f"Antwort {index}.{part}: {phrase(9)}." for part in range(rng.randrange(1, 4))]
        if rng.random() < 0.5:
            lines += clip()
    tail = False
    for index in range(rng.randrange(0, 3)):
        lines += [f"Mehr dazu im Liveblog {index}:", phrase(3), f":Liveblog {index} {phrase(2)}"]
        lines += [f"Teaser {phrase(5)}.", f"Foto {phrase(4)}", rng.choice(["Liveblog", "Ticker"])]
        tail = True
    if rng.random() < 0.7:
        lines.append(f"Quelle: {rng.choice(['dpa', 'AFP', 'dpa, Reuters'])}")
        tail = True
    shows = [("das", "heute journal"), ("", "heute Xpress"), ("die", "Sendung mit der Maus"), ("", "Markus Lanz")]
    count = rng.randrange(0, 4)
    if count:
        chosen = rng.sample(shows, count)
        day = dt.date(2025, 6, rng.randrange(1, 29))
        names = [
            f"{det} {show}".strip() + f" ab {rng.randrange(24)}:{rng.randrange(60):02d} Uhr" for det, show in chosen
        ]
        if count == 1:
            name, _, clock = names[0].partition(" ab ")
            lines.append(f"Über das Thema berichtete {name} am {day:%d.%m.%Y} ab {clock}.")
        else:
            listing = ", ".join(names[:-1]) + " und " + names[-1]
            lines.append(f"Über das Thema berichteten am {day:%d.%m.%Y} mehrere Sendungen, unter anderem {listing}.")
        tail = True
    if tail and rng.random() < 0.8:
        lines.append(f"Aktuelle Nachrichten zu {rng.choice(words)}")
    return "\n\n".join(lines) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(12))
def test_generated_explainers_round_trip(client, seed):
    assert_round_trip(client, generated_explainer(random.Random(seed)))


# Real pages vary: the same sample as newsrooms also write it ---------------------------------

SAMPLE_NOTE = (
    "Über das Thema berichteten am 06.01.2026 mehrere Sendungen, unter anderem das heute journal update "
    "ab 0:35 Uhr und heute Xpress ab 7:30 Uhr."
)


def sample_with_note(note):
    text = SAMPLE.read_text(encoding="utf-8")
    assert SAMPLE_NOTE in text
    return text.replace(SAMPLE_NOTE, note)


@pytest.mark.django_db
def test_broadcast_times_with_and_without_leading_zero_come_back_as_written(client):
    # As on the model page: "0:35" and "07:30" in one sentence.
    note = SAMPLE_NOTE.replace("ab 7:30 Uhr", "ab 07:30 Uhr")
    article = assert_round_trip(client, sample_with_note(note))
    assert [(m.starts_at, m.starts_at_padded) for m in article.broadcast_mentions.all()] == [
        (dt.time(0, 35), False),
        (dt.time(7, 30), True),
    ]
    assert note in render(client, article)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("note", "form"),
    [
        ("Das heute journal berichtete am 06.01.2026 ab 21:45 Uhr über das Thema.", "show_lead"),
        ("Am 06.01.2026 berichtete heute Xpress ab 07:30 Uhr über das Thema.", "date_lead"),
        ("Über das Thema berichtete am 06.01.2026 das heute journal ab 21:45 Uhr.", "date_first"),
    ],
)
def test_a_one_show_note_in_another_word_order_is_structured_and_comes_back(client, note, form):
    article = assert_round_trip(client, sample_with_note(note))
    assert article.broadcast_form == form
    assert article.broadcast_mentions.count() == 1
    assert article.broadcast_note == ""
    assert note in render(client, article)


@pytest.mark.django_db
def test_a_broadcast_note_no_reader_can_structure_is_kept_as_text_and_comes_back(client):
    note = "Über das Thema berichtete das ZDF am Dienstag in mehreren Sendungen, zuletzt im heute journal."
    text = sample_with_note(note)
    result = article_import(text=text, publish=True)
    assert result.article.broadcast_note == note
    assert not result.article.broadcast_mentions.exists()
    assert any("als Text übernommen" in hint for hint in result.notes)
    result.article.delete()
    assert_round_trip(client, text)


@pytest.mark.django_db
def test_lines_in_the_tail_no_reader_knows_are_kept_in_order(client):
    text = sample_with_note(
        SAMPLE_NOTE + "\n\nMit Material von Reuters und AFP.\n\nMehr dazu heute Abend im heute journal."
    )
    article = assert_round_trip(client, text)
    assert article.broadcast_mentions.count() == 2
    assert article.broadcast_note == "Mit Material von Reuters und AFP.\nMehr dazu heute Abend im heute journal."


@pytest.mark.django_db
def test_a_crlf_copy_with_a_byte_order_mark_round_trips(client):
    text = "\ufeff" + SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    article = assert_round_trip(client, text.removeprefix("\ufeff").replace("\r\n", "\n"))
    copy = article_import(text=text, publish=True, allow_duplicate=True).article
    assert article_lines(render(client, copy)) == article_lines(render(client, article))


@pytest.mark.django_db
def test_a_messy_paste_round_trips(client):
    clean = SAMPLE.read_text(encoding="utf-8")
    lines = clean.splitlines()
    messy = [
        line.replace(" | ", "\u00a0|\t") + "   " if index % 3 == 0 else line.replace(" ", "\u00a0", 1)
        for index, line in enumerate(lines)
    ]
    article = article_import(text="\n".join(messy), publish=True).article  # no final newline
    html = render(client, article)
    assert missing_in_order(sample_lines(clean), text_lines(html)) is None
