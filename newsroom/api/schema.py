"""How the partner API describes itself in OpenAPI (drf-spectacular): auth, errors, headers, ninjs.

Importing this module registers the authentication extension; ``newsroom.api.views`` imports it
for the shared response and header descriptions, so the schema view always finds it.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from newsroom.api.auth import KEYWORD


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """``Authorization: Api-Key <key>``: OpenAPI's apiKey scheme in the Authorization header."""

    target_class = "newsroom.api.auth.PartnerKeyAuthentication"
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f"Der API-Schlüssel des Partners, mit Präfix: `Authorization: {KEYWORD} <Schlüssel>`, "
                f"z. B. `{KEYWORD} AbCdEfGh.0123456789abcdef…`. In Swagger UI unter „Authorize“ "
                f"den ganzen Wert eintragen, also `{KEYWORD} ` samt Leerzeichen vor dem Schlüssel."
            ),
        }


# --- errors -----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error: a German message in ``detail``; for invalid parameters also ``errors`` by name."""

    detail = serializers.CharField(help_text="Fehlermeldung auf Deutsch, z. B. „Nicht gefunden.“")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Nur bei 400: die ungültigen Parameter mit ihren Meldungen, z. B. `{"kind": ["…"]}`.',
    )

    class Meta:
        ref_name = "Error"


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    {"type": "integer", "minimum": 1},
    location=OpenApiParameter.HEADER,
    required=True,
    description="Sekunden bis zur nächsten erlaubten Anfrage.",
    response=[429],
)
WWW_AUTHENTICATE = OpenApiParameter(
    "WWW-Authenticate",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description=f'Immer `{KEYWORD} realm="api"`.',
    response=[401],
)


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    401: error(
        "Kein, ein unbekannter, widerrufener oder abgelaufener Schlüssel, oder der Partner ist deaktiviert. "
        "`WWW-Authenticate` nennt das Verfahren."
    ),
    403: error("Angemeldet, aber kein Redaktionsmitglied (nur bei Sitzungs-Anmeldung, nie mit API-Schlüssel)."),
    404: error("Nicht gefunden: gibt es nicht oder ist (noch) nicht veröffentlicht."),
    429: error("Anfragelimit des Schlüssels erreicht; `Retry-After` nennt die Sekunden bis zum nächsten Versuch."),
}
BAD_REQUEST = {400: error("Ungültiger Parameter; `errors` nennt ihn mit seiner Meldung.")}
NOT_MODIFIED = {
    304: OpenApiResponse(
        description="Nicht geändert: `If-None-Match` oder `If-Modified-Since` passt zum aktuellen Stand. Ohne Body."
    )
}


# --- conditional requests -----------------------------------------------------------------------

CONDITIONAL_REQUEST_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="Der `ETag` einer früheren Antwort; passt er noch, kommt 304 ohne Body.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description=(
            "Das `Last-Modified` einer früheren Antwort (HTTP-Datum, z. B. `Tue, 06 Jan 2026 09:00:00 GMT`); "
            "ohne Änderung seither kommt 304. Wird ignoriert, wenn `If-None-Match` mitkommt."
        ),
    ),
]
CACHE_RESPONSE_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=True,
        description="Prüfsumme der Antwort, für `If-None-Match`.",
        response=[200],
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="Letzte Änderung an dem, was die Antwort zeigt (HTTP-Datum), für `If-Modified-Since`. "
        "Kann bei leeren Listen fehlen.",
        response=[200],
    ),
    OpenApiParameter(
        "Cache-Control",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=True,
        description="`private, no-cache`: zwischenspeichern erlaubt, aber vor jeder Verwendung nachfragen.",
        response=[200],
    ),
]


def read_schema(summary, response, *, description="", is_list=False):
    """``extend_schema`` for a read operation: 200 with ``response``, 304, errors and the cache headers."""
    responses = {200: OpenApiResponse(response, description=description or summary), **NOT_MODIFIED, **ERRORS}
    parameters = [*CONDITIONAL_REQUEST_HEADERS, *CACHE_RESPONSE_HEADERS, RETRY_AFTER, WWW_AUTHENTICATE]
    if is_list:
        responses.update(BAD_REQUEST)
        responses[404] = error("Ungültiger `cursor`.")
    else:
        # The route takes any segment (so a malformed id is a JSON 404), but an id is an integer.
        parameters.append(
            OpenApiParameter("id", OpenApiTypes.INT, location=OpenApiParameter.PATH, description="Die ID.")
        )
    return extend_schema(summary=summary, responses=dict(sorted(responses.items())), parameters=parameters)


# --- ninjs ------------------------------------------------------------------------------------------


class NinjsStandardSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Immer `ninjs`.")
    version = serializers.CharField(help_text="z. B. `3.2`")
    schema = serializers.URLField(help_text="`$id` des ninjs-Schemas.")

    class Meta:
        ref_name = "NinjsStandard"


class NinjsDocumentSerializer(serializers.Serializer):
    """A minimal view of an IPTC ninjs 3.2 document; the full schema is IPTC's (iptc.org/std/ninjs)."""

    uri = serializers.URLField(help_text="Die kanonische Adresse des Artikels.")
    standard = NinjsStandardSerializer()
    type = serializers.CharField(help_text="Immer `text`.")
    language = serializers.CharField(required=False, help_text="`de`")
    pubStatus = serializers.CharField(required=False, help_text="Immer `usable`.")
    firstCreated = serializers.CharField(required=False, help_text="RFC 3339.")
    versionCreated = serializers.CharField(required=False, help_text="RFC 3339.")
    expires = serializers.CharField(required=False, help_text="Nur bei geplantem Offline-Gang (RFC 3339).")

    class Meta:
        ref_name = "NinjsDocument"
