"""The text importer: what it maps, how it fails, and the import_explainer command."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.importer import ExplainerParseError, parse_explainer
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic
from newsroom.services import article_import
from tests.factories import TopicFactory

SAMPLE = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"
ALL_MODELS = (Article, FAQItem, VideoClip, Topic, LiveblogLink, ArticleLiveblogLink, BroadcastMention)


def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


def counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def test_the_sample_parses_into_its_structure():
    parsed = parse_explainer(sample_text())
    assert parsed.kind == "faq"
    assert parsed.topline == "Gipfel in Paris"
    assert parsed.title.startswith('Wie die "Koalition der Willigen"')
    assert parsed.hero_clip.alt == "Emmanuel Macron und Wolodymyr Selenskyj vor dem Élysée-Palast"
    assert parsed.hero_clip.published_on == dt.date(2026, 1, 6)
    assert parsed.hero_clip.duration == dt.timedelta(minutes=1, seconds=46)
    assert len(parsed.intro) == 2
    assert parsed.intro_clip.alt == "Timm Kröger berichtet aus Kiew"
    assert [q.question for q in parsed.questions][:2] == [
        "Worüber wird in Paris beraten?",
        "Was ist bereits vereinbart?",
    ]
    assert [len(q.paragraphs) for q in parsed.questions] == [1, 2, 2, 1, 2, 2]
    assert [q.clip is not None for q in parsed.questions] == [False, True, True, True, True, False]
    (card,) = parsed.liveblogs
    assert (card.topline, card.title, card.label) == (
        "Krieg gegen die Ukraine",
        "Alle Entwicklungen im Liveblog",
        "Liveblog",
    )
    assert card.lead_in.endswith("in unserem Liveblog:")
    assert parsed.source == "dpa"
    assert [(m.determiner, m.show, m.starts_at) for m in parsed.mentions] == [
        ("das", "heute journal update", dt.time(0, 35)),
        ("", "heute Xpress", dt.time(7, 30)),
    ]
    assert parsed.topic_headline == "Aktuelle Nachrichten zur Ukraine"


def line_of(text, content):
    return text.splitlines().index(content) + 1


def replace_line(text, number, new):
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("edit", "line", "fragment"),
    [
        (lambda t: "", 1, "leer"),
        (lambda t: replace_line(t, 3, "Kommentar"), 3, "Rubrik"),
        (lambda t: replace_line(t, 5, "Gipfel in Paris – ohne Doppelpunkt"), 5, "Dachzeile:Titel"),
        (lambda t: replace_line(t, 1, "Ein anderer Seitentitel"), 1, "Seitentitel"),
        (lambda t: replace_line(t, 15, "31.02.2026 | 1:46 min"), 15, "kein gültiges Datum"),
        (lambda t: replace_line(t, 15, "06.01.2026 | 1:46 Minuten"), 15, "Dauer"),
        (lambda t: replace_line(t, 15, "06.01.2026 | 0:00 min"), 15, "größer als null"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(edit, line, fragment):
    with pytest.raises(ExplainerParseError) as info:
        parse_explainer(edit(sample_text()))
    assert info.value.line == line
    assert str(info.value).startswith(f"Zeile {line}: ")
    assert fragment in str(info.value)


def test_a_broadcast_note_no_reader_can_structure_is_kept_as_text_with_a_note_naming_its_line():
    text = sample_text().replace("und heute Xpress ab 7:30 Uhr.", "und heute Xpress gegen halb acht.")
    note_line = text.splitlines()[91]
    assert note_line.startswith("Über das Thema")
    parsed = parse_explainer(text)
    assert parsed.mentions == []
    assert parsed.broadcast_note == note_line
    assert parsed.topic_headline == "Aktuelle Nachrichten zur Ukraine"
    assert [note for note in parsed.notes if note.startswith(f"Zeile {line_of(text, note_line)}: als Text übernommen")]


def test_a_question_without_answer_is_refused():
    text = sample_text().replace("Was ist bereits vereinbart?", "Was ist bereits vereinbart?\n\nUnd was noch?", 1)
    # "Was ist bereits vereinbart?" is now followed directly by another question.
    with pytest.raises(ExplainerParseError) as info:
        parse_explainer(text)
    assert info.value.line == line_of(text, "Und was noch?")
    assert f"Frage in Zeile {line_of(text, 'Was ist bereits vereinbart?')}" in info.value.message
    assert "Antwort" in info.value.message


def test_a_paragraph_after_a_clip_is_refused():
    text = sample_text().replace(
        "06.01.2026 | 1:52 min\n", "06.01.2026 | 1:52 min\n\nEin Absatz, der nach dem Clip steht.\n", 1
    )
    with pytest.raises(ExplainerParseError) as info:
        parse_explainer(text)
    assert info.value.line == line_of(text, "Ein Absatz, der nach dem Clip steht.")
    assert "Nach dem Clip" in info.value.message


def test_lines_after_the_topic_link_are_refused():
    with pytest.raises(ExplainerParseError) as info:
        parse_explainer(sample_text() + "\nNoch eine Zeile\n")
    assert info.value.line == 96
    assert "Unerwartete Zeile" in info.value.message


def test_windows_line_endings_are_read_like_unix_ones():
    assert parse_explainer(sample_text().replace("\n", "\r\n")) == parse_explainer(sample_text())


@pytest.mark.django_db
def test_import_writes_a_draft_with_everything_in_it():
    article = article_import(text=sample_text()).article
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()
    assert article.slug == "wie-die-koalition-der-willigen-einen-frieden-in-der-ukraine-absichern-will"
    assert article.intro.startswith("<p>Erwartet werden Delegationen")
    assert [item.anchor for item in article.faq_items.all()][0] == "worueber-wird-in-paris-beraten"
    assert article.faq_items.get(position=1).answer.count("<p>") == 2
    assert article.topic.headline == "Aktuelle Nachrichten zur Ukraine"
    assert (article.topic.name, article.topic.slug) == ("Ukraine", "ukraine")
    assert VideoClip.objects.count() == 6
    clip = article.hero_clip
    assert clip.poster and (clip.poster_width, clip.poster_height) == (1280, 720)
    assert clip.published_on == dt.date(2026, 1, 6)
    mentions = list(article.broadcast_mentions.all())
    assert [m.show_name for m in mentions] == ["das heute journal update", "heute Xpress"]


@pytest.mark.django_db
def test_import_reuses_an_existing_topic_and_the_same_clips():
    topic = TopicFactory(name="Ukraine", slug="ukraine-krieg", headline="Aktuelle Nachrichten zur Ukraine")
    first = article_import(text=sample_text()).article
    second = article_import(text=sample_text(), allow_duplicate=True).article
    assert first.topic == second.topic == topic
    assert VideoClip.objects.count() == 6
    assert LiveblogLink.objects.count() == 1
    assert second.hero_clip == first.hero_clip


@pytest.mark.django_db
def test_import_with_publish_is_live():
    article = article_import(text=sample_text(), publish=True).article
    assert Article.objects.published().get() == article
    assert article.first_published_at is not None


@pytest.mark.django_db
def test_command_prints_the_id_and_the_url(tmp_path):
    path = tmp_path / "erklaerstueck.txt"
    path.write_text(sample_text(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_explainer", str(path), "--publish", stdout=out)
    article = Article.objects.get()
    assert f"id: {article.pk}" in out.getvalue()
    assert f"url: /nachrichten/{article.slug}-{article.pk}/" in out.getvalue()
    assert article in Article.objects.published()


GARBAGE = [
    "lorem ipsum\n",
    "\x00\x01 binary \xff garbage\n" * 3,
    "Titel\n\nFAQ\n\nDachzeile:Titel\n\nTeaser\n\nBild\n\nUnterschrift\n\n99.99.2026 | 1:00 min\n",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_exits_non_zero_names_the_line_and_changes_nothing(tmp_path, text):
    article_import(text=sample_text())  # something already saved must stay as it is
    before = counts()
    path = tmp_path / "garbage.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_explainer", str(path))
    assert "Zeile " in str(info.value)
    assert "nichts gespeichert" in str(info.value)
    assert counts() == before


@pytest.mark.django_db
def test_a_database_failure_mid_import_leaves_nothing_behind(monkeypatch, settings):
    from newsroom.services import importing as services

    def fail(*args, **kwargs):
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(services.BroadcastMention.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        article_import(text=sample_text())
    assert all(count == 0 for count in counts().values())
    posters = Path(settings.MEDIA_ROOT) / "posters"
    assert not posters.exists() or not any(path.is_file() for path in posters.rglob("*"))


@pytest.mark.django_db
def test_command_reports_a_missing_file_clearly():
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command("import_explainer", "/nonexistent/erklaerstueck.txt")


@pytest.mark.django_db
def test_command_exit_code_is_non_zero_for_garbage(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "garbage.txt"
    path.write_text("Nur eine Zeile\nund noch eine\n", encoding="utf-8")
    # In a subprocess the command talks to the development database; a parse error
    # happens before any query, so nothing there is touched either.
    result = subprocess.run(
        [sys.executable, "manage.py", "import_explainer", str(path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode != 0
    assert "Zeile 2:" in result.stderr
    assert "Rubrik" in result.stderr


@pytest.mark.parametrize(
    ("old", "new_fn", "what"),
    [
        ("Worüber wird in Paris beraten?", lambda: "Warum " + "sehr " * 70 + "lange?", "Die Frage"),
        ("Quelle: dpa", lambda: "Quelle: " + "dpa, " * 30, "Die Quelle"),
        ("heute Xpress ab 7:30 Uhr.", lambda: "heute " + "Xpress " * 20 + "ab 7:30 Uhr.", "Der Sendungsname"),
        ("Timm Kröger berichtet aus Kiew", lambda: "Kiew " * 70, "Der Alternativtext"),
    ],
)
def test_values_longer_than_their_field_name_the_line(old, new_fn, what):
    text = sample_text()
    line = line_of(text, next(row for row in text.splitlines() if old in row))
    with pytest.raises(ExplainerParseError) as info:
        parse_explainer(text.replace(old, new_fn(), 1))
    assert info.value.line == line
    assert info.value.message.startswith(f"{what} ist ")
    assert "höchstens" in info.value.message


@pytest.mark.django_db
def test_an_editor_without_add_topic_imports_without_making_a_topic(django_user_model):
    from django.contrib.auth.models import Group

    from newsroom.roles import REDAKTION, role_group

    # A role as a site may have narrowed it: Redaktion without the right to make topics.
    narrowed = Group.objects.create(name="Redaktion ohne Themen")
    narrowed.permissions.set(role_group(REDAKTION).permissions.exclude(codename="add_topic"))
    editor = django_user_model.objects.create_user("redakteurin", password="x", is_staff=True)
    editor.groups.add(narrowed)
    assert not editor.has_perm("newsroom.add_topic")
    result = article_import(text=sample_text(), user=editor)
    assert result.article.topic is None
    assert not Topic.objects.exists()
    assert any("Aktuelle Nachrichten zur Ukraine" in note and "kein Thema" in note for note in result.notes)
    # An existing topic is simply used.
    topic = TopicFactory(name="Ukraine", slug="ukraine", headline="Aktuelle Nachrichten zur Ukraine")
    assert article_import(text=sample_text(), user=editor, allow_duplicate=True).article.topic == topic


@pytest.mark.django_db
def test_a_refused_clip_leaves_no_poster_file_behind(monkeypatch, settings):
    from django.core.exceptions import ValidationError

    def refuse(self, *args, **kwargs):
        raise ValidationError({"title": "abgelehnt"})

    monkeypatch.setattr(VideoClip, "full_clean", refuse)
    with pytest.raises(ValidationError):
        article_import(text=sample_text())
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert all(count == 0 for count in counts().values())


@pytest.mark.django_db
def test_importing_a_title_that_exists_exits_naming_it_unless_allowed(tmp_path):
    path = tmp_path / "erklaerstueck.txt"
    path.write_text(sample_text(), encoding="utf-8")
    call_command("import_explainer", str(path), stdout=io.StringIO())
    existing = Article.objects.get()
    before = counts()
    with pytest.raises(CommandError) as info:
        call_command("import_explainer", str(path), stdout=io.StringIO())
    message = str(info.value)
    assert f"„{existing.title}“" in message and f"Nr. {existing.pk}" in message
    assert f"/admin/newsroom/article/{existing.pk}/change/" in message
    assert "--allow-duplicate" in message and "nichts gespeichert" in message
    assert counts() == before
    out = io.StringIO()
    call_command("import_explainer", str(path), "--allow-duplicate", stdout=out)
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_the_command_prints_what_was_cleaned_or_kept_as_text(tmp_path):
    path = tmp_path / "erklaerstueck.txt"
    text = "\ufeff" + sample_text().replace("Quelle: dpa", "Quelle: dpa\x01").replace("\n", "\r\n")
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_explainer", str(path), stdout=out)
    assert "Hinweis: Zeile 91: Steuerzeichen entfernt (U+0001)." in out.getvalue()
    assert Article.objects.get().source == "dpa"
