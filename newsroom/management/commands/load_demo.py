"""``manage.py load_demo``: the sample explainer, its topic, clips, liveblog link and two demo editors.

The demo editors (only with ``DJANGO_DEBUG=1``) are ``redaktion`` in the role "Redaktion" and
``cvd`` in the role "Chef vom Dienst": staff, not superusers, so the demo shows the workflow
as a newsroom would use it. Idempotent: a second run changes nothing and says so.
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
from newsroom.roles import CHEF_VOM_DIENST, REDAKTION, role_group
from newsroom.services import article_import

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "explainer-paris-gipfel.txt"
# Username → role; the order in which they are printed.
DEMO_EDITORS = {"redaktion": REDAKTION, "cvd": CHEF_VOM_DIENST}


class Command(BaseCommand):
    help = (
        "Lädt den Demo-Artikel mit Thema, Clips und Liveblog-Link; mit DJANGO_DEBUG=1 auch die Demo-Konten "
        "„redaktion“ (Redaktion) und „cvd“ (Chef vom Dienst)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Druckt zum Schluss vollständige Adressen, z. B. --base-url http://127.0.0.1:8000",
        )

    def handle(self, *args, base_url="", **options):
        article, logins = self._load()
        if base_url:
            base = base_url.rstrip("/")
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS("Newsroom läuft gleich unter:"))
            self.stdout.write(f"  Startseite:   {base}/")
            self.stdout.write(f"  Erklärstück:  {base}{article.get_absolute_url()}")
            self.stdout.write(f"  Admin:        {base}/admin/")
            for index, (username, (role, password)) in enumerate(logins.items()):
                label = "Logins:" if index == 0 else ""
                self.stdout.write(f"  {label:<14}{username} / {password}  ({role})")
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
                link.image_is_placeholder = True
                link.image.save("liveblog-ukraine.jpg", placeholder_poster(card.image_alt, card.label))
                renditions_refresh(obj=link, field_name="image")

        article = Article.objects.filter(topline=parsed.topline, title=parsed.title).first()
        if article is None:
            # user=None: a trusted system call, the demo publishes without a duty editor.
            article = article_import(text=text, user=None, publish=True).article
            self.stdout.write(self.style.SUCCESS(f"Demo-Artikel angelegt: {article.get_absolute_url()}"))
        else:
            self.stdout.write(f"Demo-Artikel ist schon da: {article.get_absolute_url()}")
        return article, self._demo_editors()

    def _demo_editors(self):
        """Both demo accounts; returns username → (role, password) for those whose password is the printed one."""
        if not settings.DEBUG:
            self.stdout.write("Keine Demo-Konten angelegt: das geschieht nur mit DJANGO_DEBUG=1.")
            return {}
        logins = {}
        for username, role in DEMO_EDITORS.items():
            password = self._demo_editor(username, role)
            if password:
                logins[username] = (role, password)
        return logins

    def _demo_editor(self, username, role):
        # Derived from the secret key, so every run prints the same, working password.
        password = salted_hmac("newsroom.load_demo", username).hexdigest()[:16]
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(password)
        # The demo accounts show the roles: staff in exactly their group, never superusers
        # (an older demo database made "redaktion" a superuser; this brings it in line).
        if created or not user.is_staff or user.is_superuser:
            user.is_staff, user.is_superuser = True, False
            user.save()
        user.groups.set([role_group(role)])
        if user.check_password(password):
            self.stdout.write(f"Demo-Login ({role}): Benutzer „{username}“, Passwort „{password}“")
            return password
        self.stdout.write(
            f"Demo-Konto „{username}“ ({role}) hat ein eigenes Passwort "
            f"(neu setzen: manage.py changepassword {username})."
        )
        return None
