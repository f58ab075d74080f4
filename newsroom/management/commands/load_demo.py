"""``manage.py load_demo``: the sample explainer, its topic, clips, liveblog link and the demo editor.

Idempotent: a second run changes nothing and says so.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.crypto import salted_hmac

from media_clips.placeholders import placeholder_poster
from media_clips.services import renditions_refresh
from newsroom.importer import parse_explainer
from newsroom.models import Article, LiveblogLink, Topic
from newsroom.services import article_import

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "explainer-paris-gipfel.txt"
DEMO_USERNAME = "redaktion"


class Command(BaseCommand):
    help = "Lädt den Demo-Artikel mit Thema, Clips, Liveblog-Link und dem Redaktionskonto „redaktion“."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Druckt zum Schluss vollständige Adressen, z. B. --base-url http://127.0.0.1:8000",
        )

    def handle(self, *args, base_url="", **options):
        article, password = self._load()
        if base_url:
            base = base_url.rstrip("/")
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS("Newsroom läuft gleich unter:"))
            self.stdout.write(f"  Startseite:   {base}/")
            self.stdout.write(f"  Erklärstück:  {base}{article.get_absolute_url()}")
            self.stdout.write(f"  Redaktion:    {base}/admin/")
            if password:
                self.stdout.write(f"  Login:        {DEMO_USERNAME} / {password}")
            self.stdout.write("")

    @transaction.atomic
    def _load(self):
        text = DEMO_FILE.read_text(encoding="utf-8")
        parsed = parse_explainer(text)
        Topic.objects.get_or_create(headline=parsed.topic_headline, defaults={"name": "Ukraine", "slug": "ukraine"})
        for card in parsed.liveblogs:
            link, created = LiveblogLink.objects.get_or_create(
                topline=card.topline,
                title=card.title,
                defaults={
                    "teaser": card.teaser,
                    "image_alt": card.image_alt,
                    "label": card.label,
                    "url": "/themen/ukraine/",
                },
            )
            if created:
                link.image.save("liveblog-ukraine.jpg", placeholder_poster(card.image_alt, card.label))
                renditions_refresh(obj=link, field_name="image")

        article = Article.objects.filter(topline=parsed.topline, title=parsed.title).first()
        if article is None:
            article = article_import(text=text, publish=True).article
            self.stdout.write(self.style.SUCCESS(f"Demo-Artikel angelegt: {article.get_absolute_url()}"))
        else:
            self.stdout.write(f"Demo-Artikel ist schon da: {article.get_absolute_url()}")
        return article, self._demo_editor()

    def _demo_editor(self):
        if not settings.DEBUG:
            self.stdout.write("Kein Demo-Konto angelegt: das geschieht nur mit DJANGO_DEBUG=1.")
            return None
        # Derived from the secret key, so every run prints the same, working password.
        password = salted_hmac("newsroom.load_demo", DEMO_USERNAME).hexdigest()[:16]
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        if user.check_password(password):
            self.stdout.write(f"Demo-Login: Benutzer „{DEMO_USERNAME}“, Passwort „{password}“")
            return password
        self.stdout.write(
            f"Demo-Konto „{DEMO_USERNAME}“ hat ein eigenes Passwort "
            f"(neu setzen: manage.py changepassword {DEMO_USERNAME})."
        )
        return None
