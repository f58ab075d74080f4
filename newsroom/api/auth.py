"""Who may use the partner API: key authentication, the permission and per-key throttling."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from newsroom.caching.stamps import moment
from newsroom.models import Partner, PartnerAPIKey

KEYWORD = "Api-Key"
EXPECTED_HEADER = f"Erwartet: „Authorization: {KEYWORD} <Schlüssel>“."


_KEY = PartnerAPIKey._meta
_PARTNER = Partner._meta
_KEY_COLUMNS = [field.column for field in _KEY.concrete_fields]
_PARTNER_COLUMNS = [field.column for field in _PARTNER.concrete_fields]
_KEY_QUERY = (
    "SELECT {key_columns}, {partner_columns} FROM {keys} AS k JOIN {partners} AS p ON p.id = k.partner_id "
    "WHERE k.prefix = %s"
).format(
    key_columns=", ".join(f"k.{column}" for column in _KEY_COLUMNS),
    partner_columns=", ".join(f"p.{column}" for column in _PARTNER_COLUMNS),
    keys=_KEY.db_table,
    partners=_PARTNER.db_table,
)


def _aware(value):
    # SQLite hands raw queries naive UTC datetimes; the ORM would have made them aware.
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, dt.UTC)
    return value


def key_with_partner(prefix):
    """The key with this prefix and its partner, in one query written out once (every API request asks)."""
    with connection.cursor() as cursor:
        cursor.execute(_KEY_QUERY, [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [_aware(value) for value in row]
    key = PartnerAPIKey.from_db(connection.alias, _KEY_COLUMNS, values[: len(_KEY_COLUMNS)])
    partner = Partner.from_db(connection.alias, _PARTNER_COLUMNS, values[len(_KEY_COLUMNS) :])
    key.partner = partner
    return key


# What a revalidation needs of the key, as probes beside its stamp (``newsroom.api.revalidation``).
_PROBED_KEY = ("id", "hashed_key", "revoked", "expiry_date")
_PROBED_PARTNER = ("id", "is_active", "rate_limit")


def key_probes():
    """Scalar probes of a key and its partner, to run in a stamp's query (``alongside``).

    They take the parameter ``key_prefix``.
    """
    keys, partners = _KEY.db_table, _PARTNER.db_table
    probes = [
        (f"key_{name}", f"(SELECT k.{_KEY.get_field(name).column} FROM {keys} k WHERE k.prefix = %(key_prefix)s)")
        for name in _PROBED_KEY
    ]
    probes += [
        (
            f"partner_{name}",
            f"(SELECT p.{_PARTNER.get_field(name).column} FROM {partners} p "
            f"JOIN {keys} k ON k.partner_id = p.id WHERE k.prefix = %(key_prefix)s)",
        )
        for name in _PROBED_PARTNER
    ]
    return probes


def key_from_probes(values):
    """The key (with its partner) that ``key_probes`` found, or ``None``; enough for ``check_key`` and the throttle."""
    if values.get("key_id") is None:
        return None
    partner = Partner(
        id=values["partner_id"], is_active=bool(values["partner_is_active"]), rate_limit=values["partner_rate_limit"]
    )
    expiry = values["key_expiry_date"]
    return PartnerAPIKey(
        id=values["key_id"],
        hashed_key=values["key_hashed_key"],
        revoked=bool(values["key_revoked"]),
        expiry_date=moment(expiry) if expiry is not None else None,
        partner=partner,
    )


def presented_key(request):
    """The key string of an ``Authorization: Api-Key <key>`` header; ``None`` if the header is not ours.

    Raises ``AuthenticationFailed`` for a header of ours that is malformed.
    """
    header = get_authorization_header(request).split()
    if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
        return None  # not ours: another authenticator (or none) may apply
    if len(header) != 2:
        raise exceptions.AuthenticationFailed(f"Ungültiger Authorization-Header. {EXPECTED_HEADER}")
    try:
        return header[1].decode("ascii")
    except UnicodeDecodeError:
        raise exceptions.AuthenticationFailed(f"Der Schlüssel enthält ungültige Zeichen. {EXPECTED_HEADER}") from None


def key_prefix(key):
    prefix, dot, _ = key.partition(".")
    return prefix if dot and prefix else None


def check_key(api_key, key):
    """Raise ``AuthenticationFailed`` unless ``api_key`` (found by the prefix of ``key``) lets ``key`` in."""
    if api_key is None or not api_key.is_valid(key):
        raise exceptions.AuthenticationFailed("Unbekannter API-Schlüssel.")
    if api_key.revoked:
        raise exceptions.AuthenticationFailed("Dieser API-Schlüssel wurde widerrufen.")
    if api_key.has_expired:
        raise exceptions.AuthenticationFailed("Dieser API-Schlüssel ist abgelaufen.")
    if not api_key.partner.is_active:
        raise exceptions.AuthenticationFailed("Der Zugang dieses Partners ist deaktiviert.")


class PartnerKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <prefix.secret>``: a partner's key, checked against its stored hash."""

    def authenticate(self, request):
        key = presented_key(request)
        if key is None:
            return None
        prefix = key_prefix(key)
        api_key = key_with_partner(prefix) if prefix else None
        check_key(api_key, key)
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
    """Requests per key and period: ``NEWSROOM_API_RATE``, or the partner's own limit.

    A counter per key and fixed window (one ``cache.incr``), where DRF's own throttle keeps
    the time of every request in the period and stores the whole list again each time (at
    thousands of requests an hour, that list is most of a request's cost). The price of the
    window: just after a window starts, a key may have used up to its limit just before too.
    """

    scope = "partner"

    def allow_request(self, request, view):
        if isinstance(request.auth, PartnerAPIKey) and request.auth.partner.rate_limit:
            self.rate = request.auth.partner.rate_limit
            self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration) * self.duration
        counter = f"{self.key}:{window}"
        self.window_ends = window + self.duration
        try:
            count = self.cache.incr(counter)
        except ValueError:  # the window's first request (unless another worker started it just now)
            count = 1 if self.cache.add(counter, 1, self.duration + 1) else self.cache.incr(counter)
        return count <= self.num_requests

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerAPIKey):
            return None  # staff sessions are not throttled
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def wait(self):
        # Until the window ends, in whole seconds: Retry-After carries an integer.
        return max(1, round(self.window_ends - self.now))
