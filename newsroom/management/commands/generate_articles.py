"""``manage.py generate_articles --count N [--seed S]``: realistic test data at scale; ``--remove`` removes it."""

import time

from django.core.management.base import BaseCommand, CommandError

from newsroom.services.generating import GENERATED_SOURCE, generate_articles, generated_articles, generated_remove

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Erzeugt Testdaten in großer Menge: Artikel in allen Zuständen mit Fragen, Clips, Themen, Liveblog-Karten "
        f"und Sendungshinweisen (Quelle „{GENERATED_SOURCE}“). Mit --remove werden sie wieder entfernt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=0, help="Wie viele Artikel, z. B. 100000.")
        parser.add_argument("--seed", type=int, default=0, help="Startwert des Zufalls: gleicher Wert, gleiche Daten.")
        parser.add_argument("--remove", action="store_true", help="Alle erzeugten Testdaten entfernen.")

    def handle(self, *args, count, seed, remove, **options):
        started = time.monotonic()
        if remove:
            removed = generated_remove(progress=self._progress("entfernt"))
            self.stdout.write(
                self.style.SUCCESS(f"{removed} Testartikel entfernt ({time.monotonic() - started:.0f} s).")
            )
            return
        if count < 1:
            raise CommandError(
                "Bitte mit --count angeben, wie viele Artikel erzeugt werden sollen, z. B. --count 1000."
            )
        made = generate_articles(count=count, seed=seed, progress=self._progress("erzeugt"))
        total = generated_articles().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{made} Testartikel erzeugt in {time.monotonic() - started:.0f} s; insgesamt {total} Testartikel. "
                "Entfernen mit: manage.py generate_articles --remove"
            )
        )

    def _progress(self, verb):
        def progress(done, total):
            filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            percent = round(100 * done / total) if total else 100
            self.stderr.write(f"\r[{bar}] {done:>7} / {total} Artikel {verb} ({percent} %)", ending="")
            if done >= total:
                self.stderr.write("")

        return progress
