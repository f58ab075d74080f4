"""Partner API errors: always JSON with a German ``detail``, field errors named under ``errors``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with every error as ``{"detail": …}`` and field errors under ``errors``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Nicht gefunden.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        response.data = {"detail": f"Zu viele Anfragen. Bitte in {exc.wait} Sekunden erneut versuchen."}
    elif isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        names = ", ".join(f"„{name}“" for name in errors)
        first = next(iter(errors.values()))
        first = first[0] if isinstance(first, list) and first else first
        response.data = {"detail": f"Ungültiger Parameter {names}: {first}", "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response
