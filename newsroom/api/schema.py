"""How the partner API describes itself in OpenAPI (drf-spectacular): auth, errors, headers, ninjs.

Importing this module registers the authentication extension; ``newsroom.api.views`` imports it
for the shared response and header descriptions, so the schema view always finds it.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
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


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"kind": ["Bitte eine gültige Auswahl treffen. blog ist keine gültige Auswahl."]},
    }
)
class FieldErrors(serializers.DictField):
    """The invalid parameters by name, with a real example (Swagger UI would show ``additionalProp1``)."""


class ErrorSerializer(serializers.Serializer):
    """Every error: a German message in ``detail``; for invalid parameters also ``errors`` by name."""

    detail = serializers.CharField(help_text="Fehlermeldung auf Deutsch, z. B. „Nicht gefunden.“")
    errors = FieldErrors(
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


class TombstoneSerializer(serializers.Serializer):
    """What is left of an article partners may have shown (withdrawn or deleted); German text below."""

    id = serializers.IntegerField(help_text="Die ID des Artikels.")
    status = serializers.ChoiceField(
        choices=[("withdrawn", "zurückgezogen"), ("deleted", "gelöscht")],
        help_text="`withdrawn`: nicht mehr veröffentlicht (kann wiederkommen); `deleted`: gelöscht.",
    )
    since = serializers.DateTimeField(help_text="Seit wann, ISO 8601.")
    detail = serializers.CharField(help_text="z. B. „Dieser Artikel ist nicht mehr veröffentlicht. …“")

    class Meta:
        ref_name = "Tombstone"


GONE = {
    410: OpenApiResponse(
        TombstoneSerializer,
        description="Nicht mehr da: der Artikel war veröffentlicht und ist es nicht mehr (zurückgezogen "
        "oder gelöscht). Bitte aus dem eigenen Angebot entfernen. Artikel, die nie veröffentlicht waren, "
        "sind 404.",
    )
}
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


def read_schema(summary, response, *, description="", is_list=False, gone=False, parameters=(), operation_id=None):
    """``extend_schema`` for a read operation: 200 with ``response``, 304, errors and the cache headers.

    ``gone``: also 410 with a tombstone (an article's detail and ninjs). ``parameters``: the
    operation's own (e.g. a list that is not a viewset's ``list``: its paging).
    """
    responses = {200: OpenApiResponse(response, description=description or summary), **NOT_MODIFIED, **ERRORS}
    if gone:
        responses.update(GONE)
    parameters = [*parameters, *CONDITIONAL_REQUEST_HEADERS, *CACHE_RESPONSE_HEADERS, RETRY_AFTER, WWW_AUTHENTICATE]
    if is_list:
        responses.update(BAD_REQUEST)
        responses[404] = error("Ungültiger `cursor`.")
    else:
        # The route takes any segment (so a malformed id is a JSON 404), but an id is an integer.
        parameters.append(
            OpenApiParameter("id", OpenApiTypes.INT, location=OpenApiParameter.PATH, description="Die ID.")
        )
    return extend_schema(
        summary=summary, responses=dict(sorted(responses.items())), parameters=parameters, operation_id=operation_id
    )


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


# --- German for partners ------------------------------------------------------------------------------

# What partners read in the schema and Swagger UI; the code's docstrings (which drf-spectacular
# would show) stay English for the engineers.
COMPONENT_DESCRIPTIONS = {
    "Change": "Ein Eintrag im Änderungs-Feed: das Ereignis, wie es auch der Webhook meldet, ohne ninjs-Dokument "
    "(das steht unter `ninjs_url`).",
    "ArticleSummary": "Ein Artikel in der Liste: genug für einen Teaser und um zu entscheiden, ob das ganze "
    "Dokument (`api_url`) oder die ninjs-Fassung (`ninjs_url`) geholt wird.",
    "ArticleDetail": "Alles, was die Seite des Artikels zeigt, in der Reihenfolge der Seite.",
    "ArticleFAQItem": "Eine Frage mit Antwort (HTML, nur erlaubte Auszeichnung) und dem Clip nach der Antwort.",
    "Error": "Jeder Fehler: eine deutsche Meldung in `detail`; bei ungültigen Parametern zusätzlich `errors`.",
    "Tombstone": "Was von einem Artikel bleibt, den Partner gezeigt haben können: zurückgezogen oder gelöscht.",
    "NinjsDocument": "Ein Auszug aus einem IPTC-ninjs-3.2-Dokument; das vollständige Schema ist das der IPTC "
    "(iptc.org/std/ninjs).",
}
CONDITIONAL = (
    " Jede Antwort trägt `ETag` und `Last-Modified`; eine bedingte Anfrage (`If-None-Match` oder "
    "`If-Modified-Since`) auf einen unveränderten Stand bekommt 304 ohne Inhalt."
)
OPERATION_DESCRIPTIONS = {
    "/api/v1/articles/changes/": "Veröffentlicht, geändert, zurückgezogen, gelöscht (und für Sie vorab freigegeben), "
    "ältestes zuerst: so entfernt ein Partner, der abfragt, zurückgezogene Artikel. Dieselben Ereignisse mit "
    "denselben IDs wie bei den Webhooks (docs/partners.md). Weiter mit dem Link in `next`; den letzten Link "
    "merken und später wieder abrufen.",
    "/api/v1/articles/": "Nur veröffentlichte Artikel: alles andere ist ein 404, nie ein 403.",
    "/api/v1/clips/": "Ein Clip ist nur erreichbar, solange ein veröffentlichter Artikel ihn zeigt.",
    "/api/v1/topics/": "Themen mit mindestens einem veröffentlichten Artikel; "
    "ein Thema nur für Entwürfe bleibt verborgen.",
    "/api/v1/liveblog-links/": "Liveblog-Karten, solange ein veröffentlichter Artikel sie zeigt.",
}


def query_parameters(pagination):
    """A paginator's query parameters as ``extend_schema`` takes them (for a list that is not a viewset's ``list``)."""
    return [
        OpenApiParameter(spec["name"], spec["schema"], location=OpenApiParameter.QUERY, description=spec["description"])
        for spec in pagination.get_schema_operation_parameters(None)
    ]


_EVENT_TYPES = ["article.published", "article.updated", "article.unpublished", "article.deleted", "article.embargo"]
WEBHOOK_HEADERS = {
    "webhook-id": "Die Ereignis-ID (gleich `id` im Body), bei jeder Wiederholung dieselbe: schon verarbeitet, "
    "dann 2xx und nichts tun.",
    "webhook-timestamp": "Zeitpunkt der Zustellung in Sekunden seit 1970 (UTC); älter als 5 Minuten: ablehnen.",
    "webhook-signature": "`v1,<base64>`: HMAC-SHA256 mit dem Geheimnis (ohne `whsec_`, base64-dekodiert) über "
    "`<webhook-id>.<webhook-timestamp>.<Body>` (Standard Webhooks); mehrere Signaturen durch Leerzeichen getrennt.",
}


def webhook_components():
    """The webhook deliveries, described beside the API: the payload (``WebhookEvent``) and its signed headers.

    OpenAPI 3.0 has no ``webhooks`` section; ``x-webhooks`` has the shape 3.1 gives it.
    """
    data = {
        "type": "object",
        "required": ["article_id", "url", "version"],
        "properties": {
            "article_id": {"type": "integer", "description": "Die ID des Artikels."},
            "url": {"type": "string", "format": "uri", "description": "Die kanonische Adresse des Artikels."},
            "version": {"type": "integer", "description": "Zählt je Artikel mit jedem Ereignis hoch."},
            "ninjs_url": {"type": "string", "format": "uri", "description": "Bei Veröffentlichung, Änderung, Embargo."},
            "ninjs": {
                "allOf": [{"$ref": "#/components/schemas/NinjsDocument"}],
                "description": "Bei Veröffentlichung, Änderung, Embargo: das ninjs-3.2-Dokument.",
            },
            "tombstone": {
                "allOf": [{"$ref": "#/components/schemas/Tombstone"}],
                "description": (
                    "Bei `article.unpublished` und `article.deleted`: bitte entfernen; "
                    "nach einem `article.embargo` heißt es: die Vorabmeldung nicht veröffentlichen."
                ),
            },
            "embargoed_until": {
                "type": "string",
                "format": "date-time",
                "description": "Bei `article.embargo`: vor diesem Zeitpunkt nicht zeigen.",
            },
        },
    }
    event = {
        "type": "object",
        "description": "Eine Webhook-Zustellung (POST, JSON), signiert nach Standard Webhooks; Header siehe "
        "`x-webhooks`. Antwort 2xx innerhalb von 5 Sekunden, sonst Wiederholung (gut einen Tag lang).",
        "required": ["id", "type", "timestamp", "data"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "Die Ereignis-ID, gleich `webhook-id`."},
            "type": {"type": "string", "enum": _EVENT_TYPES, "description": "Was geschehen ist."},
            "timestamp": {"type": "string", "format": "date-time", "description": "Wann, ISO 8601."},
            "data": data,
        },
        "example": {
            "id": "2b0f6c1e-8d0a-4a43-9d55-0c1f3f7e9a10",
            "type": "article.unpublished",
            "timestamp": "2026-01-06T18:00:00+01:00",
            "data": {
                "article_id": 12,
                "url": "https://news.example.org/nachrichten/gipfel-in-paris-12/",
                "version": 3,
                "tombstone": {
                    "id": 12,
                    "status": "withdrawn",
                    "since": "2026-01-06T18:00:00+01:00",
                    "detail": "Dieser Artikel ist nicht mehr veröffentlicht. Bitte aus Ihrem Angebot entfernen.",
                },
            },
        },
    }
    hooks = {
        name: {
            "post": {
                "summary": f"Webhook `{name}`",
                "description": "An die Empfänger-URL, die die Redaktion für Sie angelegt hat (docs/partners.md).",
                "parameters": [
                    {
                        "name": header,
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": text,
                    }
                    for header, text in WEBHOOK_HEADERS.items()
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookEvent"}}},
                },
                "responses": {"2XX": {"description": "Angenommen; jede andere Antwort wird wiederholt."}},
            }
        }
        for name in _EVENT_TYPES
    }
    return event, hooks


def german_descriptions(result, generator, request, public):
    """drf-spectacular postprocessing hook: the partner-facing texts above in place of the docstrings.

    Also describes the webhook deliveries (``WebhookEvent``, ``x-webhooks``).
    """
    event, hooks = webhook_components()
    result.setdefault("components", {}).setdefault("schemas", {})["WebhookEvent"] = event
    result["x-webhooks"] = hooks
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in COMPONENT_DESCRIPTIONS:
            component["description"] = COMPONENT_DESCRIPTIONS[name]
    for path, item in result.get("paths", {}).items():
        about = next((text for prefix, text in OPERATION_DESCRIPTIONS.items() if path.startswith(prefix)), None)
        for operation in item.values():
            if about is not None:
                operation["description"] = about + CONDITIONAL
    return result
