"""``manage.py create_webhook PARTNER URL``: a webhook endpoint for a partner; its secret is printed once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom.models import Partner
from newsroom.webhooks.endpoints import EVENTS, create_endpoint


class Command(BaseCommand):
    help = "Legt einen Webhook für einen Partner an und zeigt das Geheimnis zum Prüfen der Signaturen einmal an."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Name der Partnerorganisation, wie beim API-Schlüssel.")
        parser.add_argument("url", help="Adresse des Empfängers, z. B. https://partner.example/newsroom-hook.")
        parser.add_argument(
            "--events",
            default=",".join(EVENTS),
            help=f"Kommagetrennt; Standard: alle ({', '.join(EVENTS)}).",
        )

    def handle(self, *args, partner, url, events, **options):
        found = Partner.objects.filter(name=partner.strip()).first()
        if found is None:
            raise CommandError(f"Den Partner „{partner}“ gibt es nicht; erst mit create_partner_key anlegen.")
        try:
            endpoint = create_endpoint(
                partner=found, url=url, events=[name.strip() for name in events.split(",") if name.strip()]
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
            raise CommandError(f"Webhook nicht angelegt: {problems}") from None
        self.stdout.write(f"Webhook für „{found}“ an {endpoint.url} ({', '.join(endpoint.events)}).")
        self.stdout.write("Geheimnis zum Prüfen der Signaturen (wird nur dieses eine Mal angezeigt):")
        self.stdout.write(endpoint.secret)
