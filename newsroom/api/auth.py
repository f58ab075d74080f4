"""Who may use the partner API: key authentication, the permission and per-key throttling."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from newsroom.caching.faults import degraded
from newsroom.caching.stamps import Beside
from newsroom.models import Partner, PartnerAPIKey, RowReader, fetch_all

KEYWORD = "Api-Key"
EXPECTED_HEADER = f"Erwartet: „Authorization: {KEYWORD} <Schlüssel>“."


_KEYS = RowReader(PartnerAPIKey, "k")
_PARTNERS = RowReader(Partner, "p")
_PARTNER_FIELD = PartnerAPIKey._meta.get_field("partner")
_KEY_QUERY = (
    f"SELECT {_KEYS.select}, {_PARTNERS.select} FROM {PartnerAPIKey._meta.db_table} k "
    f"JOIN {Partner._meta.db_table} p ON p.id = k.partner_id WHERE k.prefix = %(key_prefix)s"
)


def _key(row):
    key, partner = _KEYS.instance(row), _PARTNERS.instance(row, len(_KEYS))
    if key is not None:
        _PARTNER_FIELD.set_cached_value(key, partner)  # as select_related() would
    return key


def key_with_partner(prefix):
    """The key with this prefix and its partner, in one query written out once (every API request asks)."""
    rows = fetch_all(_KEY_QUERY, {"key_prefix": prefix})
    return _key(rows[0]) if rows else None


def key_beside():
    """The key with the prefix ``key_prefix`` (a parameter) and its partner, read beside a stamp.

    A ``Beside`` for the stamps' query (``newsroom.api.revalidation``);
    ``checked_key_from_beside`` reads and checks what it found.
    """
    columns = [(f"key_{column}", f"k.{column}") for column in _KEYS.columns]
    columns += [(f"partner_{column}", f"p.{column}") for column in _PARTNERS.columns]
    joins = (
        f"LEFT JOIN {PartnerAPIKey._meta.db_table} k ON k.prefix = %(key_prefix)s "
        f"LEFT JOIN {Partner._meta.db_table} p ON p.id = k.partner_id"
    )
    return Beside(tuple(columns), joins)


def _beside_row(values):
    return [values[f"key_{column}"] for column in _KEYS.columns] + [
        values[f"partner_{column}"] for column in _PARTNERS.columns
    ]


# Keys that passed ``check_key``, by the stored row they were checked against and a digest of the
# presented key. The row is read again on every request, so a revoked key, a changed hash or a
# deactivated partner no longer matches; only the expiry, which moves with the clock, is checked
# again. Partners poll with few keys: checking one costs more than the rest of a revalidation.
_CHECKED = {}
_CHECKED_MAX = 1024


def checked_key_from_beside(values, key):
    """The key (with its partner) that ``key_beside`` found, checked as ``check_key`` does (and raising as it).

    The instances are those ``key_with_partner`` gives; a key that passed is remembered.
    """
    row = _beside_row(values)
    try:
        memo = (tuple(row), hashlib.sha256(key.encode()).digest())
        api_key = _CHECKED.get(memo)
    except TypeError:  # a value that cannot be a dictionary key: check every time
        memo, api_key = None, None
    if api_key is not None:
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("Dieser API-Schlüssel ist abgelaufen.")
        return api_key
    api_key = _key(row)
    check_key(api_key, key)
    if memo is not None:
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[memo] = api_key
    return api_key


def presented_key(request):
    """The key string of an ``Authorization: Api-Key <key>`` header; ``None`` without an Authorization header.

    Raises ``AuthenticationFailed`` for a malformed header, and for one that uses another scheme
    (``Bearer …``) or carries the bare key: partners learn what is expected instead of "Anmeldedaten fehlen."
    """
    # The header straight from the WSGI environ (``request.headers`` would copy them all first).
    header = request.META.get("HTTP_AUTHORIZATION", "").encode("iso-8859-1").split()
    if not header:
        return None  # none at all: a staff member's session may apply
    scheme = header[0].decode("latin-1")
    if scheme.lower() != KEYWORD.lower():
        if len(header) == 1 and key_prefix(scheme):
            raise exceptions.AuthenticationFailed(f"Vor dem Schlüssel fehlt „{KEYWORD}“. {EXPECTED_HEADER}")
        raise exceptions.AuthenticationFailed(f"Das Schema „{scheme[:20]}“ kennt die API nicht. {EXPECTED_HEADER}")
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
        count = 0  # without the cache (an outage), every request is let through: the throttle fails open
        with degraded("API throttle"):
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
