"""A partner's webhook endpoints: what they may subscribe to, and making one (its secret is shown once)."""

import base64
import secrets

from django.core.exceptions import ValidationError

from newsroom.models import ArticleEvent, WebhookEndpoint
from newsroom.webhooks.targets import validate_target

EVENT_CHOICES = ArticleEvent.Type.choices
EVENTS = [value for value, _ in EVENT_CHOICES]


def new_secret():
    """A Standard Webhooks secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def check_events(events):
    unknown = [name for name in events if name not in EVENTS]
    if unknown:
        raise ValidationError(f"Unbekannte Ereignisse: {', '.join(unknown)}. Möglich sind: {', '.join(EVENTS)}.")
    if not events:
        raise ValidationError("Bitte mindestens ein Ereignis wählen.")
    return [name for name in EVENTS if name in events]


def create_endpoint(*, partner, url, events):
    """A new active endpoint for ``partner``; ``ValidationError`` (German) for a URL or events it may not have."""
    errors = {}
    try:
        validate_target(url)
    except ValidationError as exc:
        errors["url"] = exc.messages
    try:
        events = check_events(list(events))
    except ValidationError as exc:
        errors["events"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return WebhookEndpoint.objects.create(partner=partner, url=url, events=events, secret=new_secret())
