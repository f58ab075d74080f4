"""``manage.py import_explainer FILE [--publish]``: an explainer in the text format becomes an article."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom.admin.base import admin_url
from newsroom.importer import ExplainerParseError
from newsroom.services import DuplicateArticleError, article_import


class Command(BaseCommand):
    help = "Importiert ein Erklärstück im Textformat (siehe newsroom/demo/) als neuen Artikel."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur Textdatei (UTF-8); „-“ liest von der Standardeingabe.")
        parser.add_argument("--publish", action="store_true", help="Sofort veröffentlichen statt als Entwurf anlegen.")
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="Auch anlegen, wenn es schon einen Artikel mit diesem Titel gibt.",
        )

    def handle(self, *args, file, publish, allow_duplicate, **options):
        text = self._read(file)
        try:
            result = article_import(text=text, publish=publish, allow_duplicate=allow_duplicate)
        except ExplainerParseError as exc:
            raise CommandError(f"{file}: {exc} Es wurde nichts gespeichert.") from None
        except DuplicateArticleError as exc:
            raise CommandError(
                f"{file}: {exc} Adresse im Admin: {admin_url(exc.existing._meta, 'change', exc.existing.pk)} – "
                "Es wurde nichts gespeichert. Mit --allow-duplicate trotzdem als weiteren Artikel anlegen."
            ) from None
        except ValidationError as exc:
            # Parsed, but a value breaks a model rule; the import's transaction rolled back.
            messages = "; ".join(exc.messages)
            raise CommandError(
                f"{file}: Der Text lässt sich so nicht speichern: {messages} Es wurde nichts gespeichert."
            ) from None
        article = result.article
        for note in result.notes:
            self.stdout.write(f"Hinweis: {note}")
        state = "veröffentlicht" if publish else "als Entwurf angelegt"
        self.stdout.write(self.style.SUCCESS(f"Artikel {article.pk} {state}: {article}"))
        self.stdout.write(f"id: {article.pk}")
        self.stdout.write(f"url: {article.get_absolute_url()}")

    def _read(self, file):
        if file == "-":
            import sys

            return sys.stdin.read()
        path = Path(file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Datei nicht gefunden: {file}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: Die Datei ist nicht UTF-8-kodiert (Byte {exc.start}).") from None
        except OSError as exc:
            raise CommandError(f"{file}: Datei kann nicht gelesen werden ({exc.strerror}).") from None
