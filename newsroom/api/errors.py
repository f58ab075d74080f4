"""Partner API errors: always JSON with a German ``detail``, field errors named under ``errors``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from newsroom.api.auth import EXPECTED_HEADER


def exception_handler(exc, context):
    """DRF's handler, with every error as ``{"detail": …}`` and field errors under ``errors``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Nicht gefunden.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": f"Anmeldedaten fehlen. {EXPECTED_HEADER}"}
    elif isinstance(exc, exceptions.Throttled):
        seconds = "1 Sekunde" if exc.wait == 1 else f"{exc.wait} Sekunden"
        response.data = {"detail": f"Zu viele Anfragen. Bitte in {seconds} erneut versuchen."}
    elif isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        parts = []
        for name, messages in errors.items():
            message = messages[0] if isinstance(messages, list) and messages else messages
            parts.append(f"„{name}“: {message}")
        label = "Ungültiger Parameter" if len(parts) == 1 else "Ungültige Parameter"
        response.data = {"detail": f"{label} {'; '.join(parts)}", "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response
