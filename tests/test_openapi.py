"""The partner API's OpenAPI description: valid, complete, offline docs, and true to what the API returns."""

import datetime as dt
import io
import re
from base64 import b64encode
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from media_clips.models import VideoClip
from newsroom.models import Article, LiveblogLink, Partner, PartnerAPIKey, Topic
from newsroom.services import article_unpublish
from newsroom.webhooks.relay import relay
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/schema/?format=json"
ARTICLE_PATHS = ("/api/v1/articles/", "/api/v1/articles/{id}/", "/api/v1/articles/{id}/ninjs/")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES_PER_OPERATION = 120  # × 9 operations × 2 modes: at least 2,000 cases


@pytest.fixture
def schema(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


# --- the document --------------------------------------------------------------------------------


def test_schema_is_valid_openapi(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_offers_partners_only_their_key(schema):
    # The staff's session sign-in (browsable API) still works, but is not the partners' to use.
    schemes = schema["components"]["securitySchemes"]
    assert list(schemes) == ["PartnerApiKey"]
    key = schemes["PartnerApiKey"]
    assert (key["type"], key["in"], key["name"]) == ("apiKey", "header", "Authorization")
    assert "Api-Key <Schlüssel>" in key["description"]
    for path, operations in schema["paths"].items():
        assert operations["get"]["security"] == [{"PartnerApiKey": []}], path


def test_every_operation_lists_its_errors_and_conditional_headers(schema):
    assert set(schema["paths"]) >= set(ARTICLE_PATHS)
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        responses = operation["responses"]
        assert {"200", "304", "401", "403", "404", "429"} <= set(responses), path
        for code in ("401", "403", "404", "429"):
            assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        assert "content" not in responses["304"]
        assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
        assert set(responses["200"]["headers"]) >= {"ETag", "Last-Modified"}
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert set(headers) == {"If-None-Match", "If-Modified-Since"}
        assert not any(p.get("required") for p in headers.values())
        if path.endswith("{id}/") or path.endswith("ninjs/"):
            assert "400" not in responses, path
        else:
            assert "400" in responses, path
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert error["properties"]["errors"]["additionalProperties"]["type"] == "array"


def test_article_list_declares_its_filters_and_paging(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"] if p["in"] == "query"}
    assert set(parameters) == {"cursor", "page_size", "topic", "kind", "updated_since", "search"}
    assert parameters["kind"]["schema"]["enum"] == sorted(Article.Kind.values)
    assert parameters["updated_since"]["schema"] == {"type": "string", "format": "date-time"}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert parameters["topic"]["schema"]["type"] == parameters["search"]["schema"]["type"] == "string"
    assert parameters["cursor"]["schema"]["type"] == "string"
    for path in ("/api/v1/clips/", "/api/v1/topics/", "/api/v1/liveblog-links/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert names == {"cursor", "page_size"}, path


def test_nullable_fields_are_marked_nullable(schema):
    components = schema["components"]["schemas"]

    def nullable(component, field):
        return components[component]["properties"][field].get("nullable", False)

    for component, field in [
        ("ArticleSummary", "hero_clip"),
        ("ArticleSummary", "topic"),
        ("ArticleSummary", "first_published_at"),
        ("ArticleDetail", "intro_clip"),
        ("ArticleFAQItem", "clip"),
        ("VideoClip", "poster"),
        ("VideoClip", "video_url"),
        ("LiveblogLink", "image"),
        ("LiveblogLink", "url"),
        ("Poster", "width"),
        ("LiveblogImage", "width"),
    ]:
        assert nullable(component, field), (component, field)
    assert not nullable("ArticleSummary", "title")
    assert "nullable" not in components["ArticleSummary"]["properties"]["updated_at"]


def test_ninjs_response_is_a_ninjs_object(schema):
    ok = schema["paths"]["/api/v1/articles/{id}/ninjs/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NinjsDocument"}
    ninjs = schema["components"]["schemas"]["NinjsDocument"]
    assert ninjs["type"] == "object"
    assert set(ninjs["required"]) == {"uri", "standard", "type"}


def test_schema_needs_no_key(client):
    assert client.get(SCHEMA_URL).status_code == 200


# --- Swagger UI ------------------------------------------------------------------------------------


def test_swagger_ui_works_offline_with_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    foreign = [url for url in re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", html) if "//testserver" not in url]
    assert foreign == []
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    # The page's own start script comes from the same view (no inline script, for the CSP).
    start = [asset for asset in assets if asset.startswith("/api/docs/?")]
    assert start == ["/api/docs/?script="]
    for asset in assets:
        if asset not in start:
            assert asset.startswith(static_url), asset
            assert finders.find(asset.removeprefix(static_url)), f"{asset} is not a static file"
    script = client.get(start[0])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in script.content.decode()


# --- the API, fuzzed against its own schema ------------------------------------------------------------


@contextmanager
def connection_kept_open():
    """The real WSGI handler closes "old" connections per request; in a test that would drop the transaction.

    Django's test client does the same: it disconnects the handler while it serves a request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def content():
    """Demo content, plus factory articles with every optional part present or missing, and hidden ones."""
    call_command("load_demo", stdout=io.StringIO())
    now = timezone.now()
    bare_clip = VideoClipFactory(
        poster=None, poster_alt="", video_url="", credit="", duration=dt.timedelta(seconds=1.5)
    )
    full = ArticleFactory(
        kind=Article.Kind.EXPLAINER,
        hero_clip=VideoClipFactory(video_url="https://media.example.org/clip.m3u8", credit="ZDF"),
        intro_clip=bare_clip,
        unpublish_at=now + dt.timedelta(days=30),
    )
    FAQItemFactory(article=full, clip=bare_clip)
    FAQItemFactory(article=full, clip=None)
    ArticleLiveblogLinkFactory(article=full, liveblog_link=LiveblogLinkFactory(url="", image=None))
    BroadcastMentionFactory(article=full)
    ArticleFactory(kind=Article.Kind.NEWS, topic=None, first_published_at=None, intro="", source="")
    ArticleFactory(kind=Article.Kind.ANALYSIS)
    hostile_content()
    hidden = [
        ArticleFactory(draft=True, title="Geheimer Entwurf"),
        ArticleFactory(publish_at=now + dt.timedelta(hours=1), title="Geheim geplant"),
    ]
    # The changes feed: everything above told, and a take-down with its tombstone.
    article_unpublish(article=ArticleFactory(title="Zurückgezogen"), user=None)
    relay()
    return {
        "article_ids": sorted(Article.objects.published().values_list("pk", flat=True)),
        "hidden_ids": [article.pk for article in hidden],
        "topic_slugs": sorted(Topic.objects.values_list("slug", flat=True)),
        # Every id of each kind, reachable or not, for the generated detail requests.
        "ids": {
            "articles": sorted(Article.objects.values_list("pk", flat=True)),
            "clips": sorted(VideoClip.objects.values_list("pk", flat=True)),
            "topics": sorted(Topic.objects.values_list("pk", flat=True)),
            "liveblog-links": sorted(LiveblogLink.objects.values_list("pk", flat=True)),
        },
    }


def unicode_sample(length):
    """``length`` characters from every block of Unicode's first two planes (one per 128 code points),
    without surrogates, control characters or noncharacters (which no text field stores)."""
    points = [
        point
        for point in range(0x20, 0x20000, 0x80)
        if not (0xD800 <= point <= 0xDFFF or 0x7F <= point <= 0x9F or 0xFDD0 <= point <= 0xFDEF)
        and point & 0xFFFE != 0xFFFE
    ]
    text = "".join(map(chr, points))
    return (text * (length // len(text) + 1))[:length]


def hostile_content():
    """Valid but hostile: every field at its maximal length, every Unicode block, long texts, markup as text."""
    topic = TopicFactory(name=unicode_sample(100), slug="x" * 100, headline=unicode_sample(200))
    clip = VideoClipFactory(
        title=unicode_sample(200),
        description=unicode_sample(5000),
        poster_alt=unicode_sample(300),
        credit=unicode_sample(200),
        video_url="https://media.example.org/" + "a" * 400 + ".mp4",
    )
    article = ArticleFactory(
        topic=topic,
        hero_clip=clip,
        topline=unicode_sample(100),
        title=unicode_sample(200),
        teaser=unicode_sample(3000) + ' <script>alert(1)</script> "\\ \u0000',
        intro=f"<p>{unicode_sample(20000)}</p>",
        source=unicode_sample(100),
    )
    for number in range(3):
        FAQItemFactory(
            article=article,
            clip=clip,
            question=f"{number} {unicode_sample(298)}",
            answer=f"<p>{unicode_sample(8000)}</p>",
        )
    card = LiveblogLinkFactory(
        topline=unicode_sample(100), title=unicode_sample(200), teaser=unicode_sample(2000), label=unicode_sample(40)
    )
    ArticleLiveblogLinkFactory(article=article, liveblog_link=card, lead_in=unicode_sample(300))
    return article


@pytest.fixture
def auth_headers():
    partner = Partner.objects.create(name="Fuzzing", contact_email="fuzz@example.org", rate_limit="100000/hour")
    key = PartnerAPIKey.objects.create_key(partner=partner, name="schemathesis")[1]
    return {"Authorization": f"Api-Key {key}"}


@pytest.fixture
def api_schema():
    with connection_kept_open():
        return schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


def operations(api_schema):
    found = [result.ok() for result in api_schema.get_all_operations()]
    assert len(found) == 10  # the changes feed joined the nine reads
    return found


def real_values(content, operation):
    """Sometimes swap generated ids and slugs for existing ones, so that 200s get checked too."""
    ids = content["ids"][operation.path.split("/")[3]]
    slugs = content["topic_slugs"] if operation.path == "/api/v1/articles/" else None

    def apply(case, data):
        if ids and case.path_parameters and data.draw(st.booleans()):
            case.path_parameters = {**case.path_parameters, "id": data.draw(st.sampled_from(ids))}
        if slugs and data.draw(st.booleans()):
            case.query = {**(case.query or {}), "topic": data.draw(st.sampled_from(slugs))}
        return case

    return apply


def fuzz(operation, mode, apply, headers):
    """EXAMPLES_PER_OPERATION generated requests to one operation, each checked against the schema."""
    calls = []

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def check(case, data):
        calls.append(1)
        apply(case, data).call_and_validate(headers=headers, checks=CHECKS)

    with connection_kept_open():
        check()
    return len(calls)


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema_for_generated_requests(api_schema, content, auth_headers, mode):
    """Bounded and deterministic: no 5xx, and every answer (status, type, body, headers) as documented."""
    cases = sum(
        fuzz(operation, mode, real_values(content, operation), auth_headers) for operation in operations(api_schema)
    )
    # The two modes together: at least 2,000 requests reach the real handlers (the key's limit is far above).
    assert cases >= 1000, cases
    print(f"schemathesis {mode.name}: {cases} cases, 0 × 5xx, 0 schema violations")


def test_every_real_page_and_article_conforms(api_schema, content, auth_headers):
    """Not generated: every list walked page by page along `next`, every article, every ninjs, 304s too.

    The key's partner has an embargoed article, so its list and detail are the partner's own.
    """
    by_path = {operation.path: operation for operation in operations(api_schema)}
    embargoed = ArticleFactory(publish_at=timezone.now() + dt.timedelta(hours=2), title="Mit Sperrfrist")
    embargoed.embargo_partners.add(Partner.objects.get(name="Fuzzing"))
    with connection_kept_open():
        for path, operation in by_path.items():
            if "{id}" in path:
                continue
            query = {"page_size": 2}
            for _ in range(50):
                response = operation.Case(query=query).call_and_validate(headers=auth_headers, checks=CHECKS)
                body = response.json()
                for item in body["results"]:
                    if path.endswith("/changes/"):  # events, not documents: the article's own URL is checked below
                        assert item["article_id"] in content["ids"]["articles"]
                        continue
                    detail = by_path[path + "{id}/"].Case(path_parameters={"id": item["id"]})
                    detail.call_and_validate(headers=auth_headers, checks=CHECKS)
                if not body["next"]:
                    break
                query = {"page_size": 2, "cursor": parse_qs(urlsplit(body["next"]).query)["cursor"][0]}
            else:
                raise AssertionError(f"{path}: more than 50 pages")
            etag = response.headers["etag"][0]
            again = operation.Case(query=query, headers={"If-None-Match": etag})
            assert again.call_and_validate(headers=auth_headers, checks=CHECKS).status_code == 304
        ninjs = by_path["/api/v1/articles/{id}/ninjs/"]
        for pk in content["article_ids"]:
            response = ninjs.Case(path_parameters={"id": pk}).call_and_validate(headers=auth_headers, checks=CHECKS)
            assert response.json()["standard"]["name"] == "ninjs"
        for pk in content["hidden_ids"]:
            response = ninjs.Case(path_parameters={"id": pk}).call_and_validate(headers=auth_headers, checks=CHECKS)
            assert response.status_code == 404
        response = ninjs.Case(path_parameters={"id": embargoed.pk}).call_and_validate(
            headers=auth_headers, checks=CHECKS
        )
        assert "embargoedUntil" in response.json()
        bad = by_path["/api/v1/articles/"].Case(query={"kind": "blog", "page_size": "0"})
        assert bad.call_and_validate(headers=auth_headers, checks=CHECKS).status_code == 400
        anonymous = by_path["/api/v1/topics/"].Case()
        assert anonymous.call_and_validate(checks=CHECKS).status_code == 401


# --- what fuzzing and review found: malformed input is a JSON 4xx, never a 500 or an HTML page ------------


def forged_cursor(query):
    return b64encode(query.encode()).decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/articles/?page_size=²", 400),  # "²".isdigit(), but int("²") fails
        ("/api/v1/articles/?page_size=%EF%BC%95", 400),  # fullwidth digit five
        (f"/api/v1/articles/?cursor={forged_cursor('p=garbage')}", 404),  # position is not a date
        (f"/api/v1/articles/?cursor={forged_cursor('p=2026-01-06 10:00:00')}", 404),  # naive date
        (f"/api/v1/clips/?cursor={forged_cursor('p=abc')}", 404),  # position is not an id
        ("/api/v1/articles/?cursor=nicht-base64", 404),
        ("/api/v1/articles/1.5/", 404),  # a dot used to fall through to the site's HTML 404
        ("/api/v1/articles/1e-5/ninjs/", 404),
        ("/api/v1/clips/99999999999999999999999/", 404),
        ("/api/v1/articles/?updated_since=2026-13-01", 400),
        ("/api/v1/articles/?search=a%00b", 400),
    ],
)
def test_malformed_requests_get_json_errors(client, auth_headers, url, status):
    ArticleFactory(hero_clip=VideoClipFactory())
    response = client.get(url, HTTP_AUTHORIZATION=auth_headers["Authorization"])
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
