"""Which receiver URLs a webhook may have: no requests from Newsroom into networks it should not reach.

With ``DEBUG`` on (development) only loopback and ``NEWSROOM_WEBHOOK_ALLOWED_HOSTS`` are
allowed; with ``DEBUG`` off any public address and those hosts, and private, loopback,
link-local and reserved ranges only with ``NEWSROOM_WEBHOOK_ALLOW_PRIVATE``. The check runs
when an endpoint is saved and again before every attempt, on the addresses the name resolves
to then; the attempt connects to the address that was checked (no second lookup to rebind).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def _allowed_host(host):
    return host.lower() in {name.lower() for name in settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS}


def _refusal(address):
    """Why ``address`` may not be a target, or ``None``."""
    if settings.DEBUG:
        if not address.is_loopback:
            return (
                "Während der Entwicklung (DEBUG) sind nur Empfänger auf diesem Rechner (127.0.0.1, ::1) oder in "
                "NEWSROOM_WEBHOOK_ALLOWED_HOSTS erlaubt."
            )
        return None
    if address.is_global or settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE:
        return None
    return (
        f"Die Adresse {address} liegt in einem privaten oder reservierten Netz; solche Empfänger sind nur mit "
        "NEWSROOM_WEBHOOK_ALLOW_PRIVATE oder über NEWSROOM_WEBHOOK_ALLOWED_HOSTS erlaubt."
    )


def split(url):
    """``(scheme, host, port)`` of a receiver URL, or a ``ValidationError`` saying what is wrong with it."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            "Bitte eine vollständige http- oder https-Adresse angeben, z. B. https://partner.example/hook."
        )
    if parts.username or parts.password:
        raise ValidationError("Die Adresse darf keine Zugangsdaten enthalten; die Zustellungen sind signiert.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError("Der Port der Adresse ist ungültig.") from None
    return parts.scheme, parts.hostname, port


def resolve(url):
    """The checked address to connect to for ``url``: ``(scheme, host, port, ip)``; ``ValidationError`` if refused."""
    scheme, host, port = split(url)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise ValidationError(f"Der Name {host} lässt sich nicht auflösen ({exc}).") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    else:
        addresses = [literal]
    if not _allowed_host(host):
        for address in addresses:
            if (reason := _refusal(address)) is not None:
                raise ValidationError(reason)
    return scheme, host, port, str(addresses[0])


def validate_target(url):
    """The model field's validator: a receiver URL Newsroom may send to."""
    resolve(url)
