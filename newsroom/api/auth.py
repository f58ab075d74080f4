"""Who may use the partner API: key authentication, the permission and per-key throttling."""

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from newsroom.models import PartnerAPIKey

KEYWORD = "Api-Key"
EXPECTED_HEADER = f"Erwartet: „Authorization: {KEYWORD} <Schlüssel>“."


class PartnerKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <prefix.secret>``: a partner's key, checked against its stored hash."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
            return None  # not ours: another authenticator (or none) may apply
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(f"Ungültiger Authorization-Header. {EXPECTED_HEADER}")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                f"Der Schlüssel enthält ungültige Zeichen. {EXPECTED_HEADER}"
            ) from None
        prefix, dot, _ = key.partition(".")
        api_key = (
            PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first() if dot and prefix else None
        )
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed("Unbekannter API-Schlüssel.")
        if api_key.revoked:
            raise exceptions.AuthenticationFailed("Dieser API-Schlüssel wurde widerrufen.")
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("Dieser API-Schlüssel ist abgelaufen.")
        if not api_key.partner.is_active:
            raise exceptions.AuthenticationFailed("Der Zugang dieses Partners ist deaktiviert.")
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class IsPartnerOrStaff(BasePermission):
    """A valid partner key, or a logged-in staff member browsing the API."""

    message = "Nur für Partner mit API-Schlüssel oder angemeldete Redaktionsmitglieder."

    def has_permission(self, request, view):
        if isinstance(request.auth, PartnerAPIKey):
            return True
        return bool(request.user and request.user.is_staff)


class PartnerKeyThrottle(SimpleRateThrottle):
    """Requests per key and period: ``NEWSROOM_API_RATE``, or the partner's own limit."""

    scope = "partner"

    def allow_request(self, request, view):
        if isinstance(request.auth, PartnerAPIKey) and request.auth.partner.rate_limit:
            self.rate = request.auth.partner.rate_limit
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerAPIKey):
            return None  # staff sessions are not throttled
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def wait(self):
        # Whole seconds: Retry-After carries an integer.
        wait = super().wait()
        return None if wait is None else max(1, round(wait))
