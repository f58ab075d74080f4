"""A partner developer's first hour: the key command as documented, messages that say what is expected,
the documentation telling the same as the API."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "partners.md").read_text()
EXPECTED = "Erwartet: „Authorization: Api-Key <Schlüssel>“."


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Anmeldedaten fehlen."),
        ("Bearer AbCdEfGh.0123456789", "Das Schema „Bearer“ kennt die API nicht."),
        ("Basic dXNlcjpwYXNz", "Das Schema „Basic“ kennt die API nicht."),
        ("AbCdEfGh.0123456789", "Vor dem Schlüssel fehlt „Api-Key“."),
    ],
)
def test_a_wrong_authorization_header_names_what_is_expected(client, header, message):
    response = client.get("/api/v1/articles/", **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert response.status_code == 401
    assert response.json()["detail"] == f"{message} {EXPECTED}"
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    if "Basic" not in message:
        assert f'{{"detail": "{message} {EXPECTED}"}}' in DOCS  # and the documentation shows it


def test_a_bad_cursor_says_so_as_the_documentation_does(api):
    response = api.get("/api/v1/articles/", {"cursor": "kaputt"})
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail == "Ungültiger Cursor: bitte nur den Link aus „next“ oder „previous“ verwenden."
    assert f'`{{"detail": "{detail}"}}`' in DOCS


def test_the_key_command_prints_the_configured_base_url(settings):
    settings.NEWSROOM_BASE_URL = "https://news.example.org"
    out = io.StringIO()
    call_command("create_partner_key", "Nachrichten-App", "--email", "dev@example.org", stdout=out)
    usage = out.getvalue().splitlines()[-1]
    assert re.fullmatch(
        r"Verwendung: curl -H 'Authorization: Api-Key [\w.]+' https://news\.example\.org/api/v1/articles/", usage
    )


def test_the_key_command_works_exactly_as_the_documentation_shows(tmp_path):
    command = re.search(
        r"^(DJANGO_DEBUG=1 \.venv/bin/python manage\.py create_partner_key [^\n]*\\\n[^\n]*)$", DOCS, re.M
    )
    assert command, "the documented command"
    line = command.group(1).replace("\\\n", " ")
    argv = line.split("manage.py", 1)[1].split("#")[0]
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    venv = ROOT / ".venv" / "bin" / "python"  # what the documentation names (make test made it)
    python = str(venv if venv.exists() else Path(sys.executable))
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    import shlex

    result = subprocess.run(
        [python, "manage.py", *shlex.split(argv)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Neuer API-Schlüssel (wird nur dieses eine Mal angezeigt):" in result.stdout
    assert "http://127.0.0.1:8000/api/v1/articles/" in result.stdout.splitlines()[-1]


ENGLISH = re.compile(r"\b(the|only|is|every|anything|never|with|which|when|this)\b")


def _texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield value
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _objects(node):
    if isinstance(node, dict):
        if "additionalProperties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_the_openapi_document_speaks_german_offers_only_the_key_and_has_real_examples(client):
    schema = client.get("/api/schema/?format=json").json()
    english = [text for text in _texts(schema) if ENGLISH.search(text)]
    assert english == []
    assert schema["info"]["description"].startswith("Lesender Zugang")
    assert list(schema["components"]["securitySchemes"]) == ["PartnerApiKey"]  # no cookieAuth for partners
    # Swagger UI invents "additionalProp1" for a map without an example.
    assert all("example" in node for node in _objects(schema))
    assert "ninjs_url" in schema["components"]["schemas"]["ArticleSummary"]["properties"]


def test_the_first_fifteen_minutes_work_as_written(tmp_path):
    """``make run`` in a fresh database, then the walk-through of docs/partners.md, literally.

    The receiver file and the shell steps are taken from the documentation as they stand; the
    walk-through's own variables point it at this test's ports and folder. The delivery it
    verifies comes from the worker that ``make run`` started beside the web server.
    """
    from tests.servers import Server, fetch, free_port, wait_until

    section = DOCS.split("## Die ersten 15 Minuten", 1)[1].split("\n## 1. ", 1)[0]
    (tmp_path / "empfaenger.py").write_text(re.search(r"```python\n(.*?)```", section, re.S).group(1))
    steps = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    port, hook_port = free_port(), free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "NEWSROOM_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = Server(["make", "-s", "run", f"PORT={port}"], env=env, cwd=ROOT, log=tmp_path / "make-run.log")
    try:

        def answering():
            try:
                return fetch(f"http://127.0.0.1:{port}/robots.txt", timeout=1)[0] == 200
            except OSError:
                return False

        wait_until(answering, timeout=180, interval=0.5, what="make run answering")
        result = subprocess.run(
            ["bash", "-c", steps],
            cwd=ROOT,
            env={**env, "BASE": f"http://127.0.0.1:{port}", "HOOK_PORT": str(hook_port), "WORK": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.stop()
    log = (tmp_path / "make-run.log").read_text(errors="replace")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- make run ---\n{log[-3000:]}"
    assert "Erneuter Abruf: HTTP 304" in result.stdout
    assert "Signatur stimmt: article.updated" in result.stdout
    assert "Worker läuft (Warteschlange: database" in log  # make run started it


def test_the_openapi_document_describes_the_webhook_payload_and_its_signed_headers(client):
    schema = client.get("/api/schema/?format=json").json()
    event = schema["components"]["schemas"]["WebhookEvent"]
    assert event["required"] == ["id", "type", "timestamp", "data"]
    assert event["properties"]["type"]["enum"] == [
        "article.published", "article.updated", "article.unpublished", "article.deleted", "article.embargo",
    ]  # fmt: skip
    assert set(event["properties"]["data"]["properties"]) >= {"article_id", "url", "version", "ninjs", "tombstone"}
    for name, hook in schema["x-webhooks"].items():
        headers = {p["name"] for p in hook["post"]["parameters"] if p["required"]}
        assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}, name
    assert "/api/v1/articles/changes/" in schema["paths"]
    assert "410" in schema["paths"]["/api/v1/articles/{id}/"]["get"]["responses"]
