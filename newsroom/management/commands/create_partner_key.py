"""``manage.py create_partner_key NAME``: a new API key for a partner, printed once."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom.models import Partner, PartnerAPIKey


class Command(BaseCommand):
    help = "Legt einen API-Schlüssel für einen Partner an (und den Partner, falls nötig) und zeigt ihn einmal an."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name der Partnerorganisation, z. B. „Regionalsender Nord“.")
        parser.add_argument("--email", default="", help="Kontakt-E-Mail, nötig für einen neuen Partner.")
        parser.add_argument("--key-name", default="", help="Bezeichnung des Schlüssels, z. B. „Produktion“.")

    @transaction.atomic
    def handle(self, *args, name, email, key_name, **options):
        name = name.strip()
        if not name:
            raise CommandError("Bitte den Namen der Partnerorganisation angeben.")
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            if not email:
                raise CommandError(
                    f"Den Partner „{name}“ gibt es noch nicht. Zum Anlegen bitte --email KONTAKT angeben."
                )
            partner = Partner(name=name, contact_email=email)
            try:
                partner.full_clean()
            except Exception as exc:  # ValidationError: say what is wrong and stop
                raise CommandError(f"Partner kann nicht angelegt werden: {exc}") from None
            partner.save()
            self.stdout.write(f"Partner „{partner}“ angelegt.")
        elif not partner.is_active:
            raise CommandError(f"Der Partner „{partner}“ ist deaktiviert; erst im Admin aktivieren.")
        _, key = PartnerAPIKey.objects.create_key(partner=partner, name=key_name or f"{partner} – Schlüssel")
        self.stdout.write("Neuer API-Schlüssel (wird nur dieses eine Mal angezeigt):")
        self.stdout.write(key)
        self.stdout.write(
            f"Verwendung: curl -H 'Authorization: Api-Key {key}' {settings.NEWSROOM_BASE_URL}/api/v1/articles/"
        )
