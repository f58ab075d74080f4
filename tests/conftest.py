"""Shared fixtures: media in a temp dir, plain static files, a fresh cache per test, the browser."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests never run collectstatic; hashed storage would need its manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _live_server_is_the_canonical_origin(request, settings):
    """Behind a live server, absolute links (preview links, canonical URLs) point at it, as at a real site."""
    if "live_server" in request.fixturenames:
        settings.NEWSROOM_BASE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; a missing browser fails the test, never skips it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install Debian's package (apt-get install -y chromium) "
            "or point NEWSROOM_CHROMIUM at a Chromium binary; browser tests never download one."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls here
    # (test database setup, fixtures) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# The two roles signed in (tests of the editors' desk and of corrections) ------------------------


@pytest.fixture
def redakteurin(django_user_model):
    from newsroom.roles import REDAKTION
    from tests.test_workflow import make_editor

    return make_editor(django_user_model, "redakteurin", REDAKTION)


@pytest.fixture
def redaktion_client(client, redakteurin):
    client.force_login(redakteurin)
    return client


@pytest.fixture
def cvd_client(django_user_model):
    from django.test import Client

    from newsroom.roles import CHEF_VOM_DIENST
    from tests.test_workflow import make_editor

    other = Client()
    other.force_login(make_editor(django_user_model, "chefin", CHEF_VOM_DIENST))
    return other


@pytest.fixture
def partner():
    from newsroom.models import Partner

    return Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")


@pytest.fixture
def key(partner):
    from newsroom.models import PartnerAPIKey

    return PartnerAPIKey.objects.create_key(partner=partner, name="Produktion")[1]


@pytest.fixture
def api(client, key):
    """A client that sends the partner's key with every request."""

    class PartnerClient:
        def get(self, path, data=None, **headers):
            return client.get(path, data, HTTP_AUTHORIZATION=f"Api-Key {key}", **headers)

    return PartnerClient()


@pytest.fixture(params=["database", "redis"])
def queue(request, settings, monkeypatch, tmp_path):
    """The task queue a test runs on: the database queue, then RQ with a Redis of its own (every suite run)."""
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_WEBHOOK_RETRY_DELAYS = [0.05, 0.05, 0.05, 0.05]
    settings.NEWSROOM_WEBHOOK_TIMEOUT = 2
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}}
        yield "database"
        return
    import django_rq.settings

    from tests.servers import free_port, redis_server

    port = free_port()
    server = redis_server(port, tmp_path)
    config = {"URL": f"redis://127.0.0.1:{port}/0", "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 2}
    monkeypatch.setattr(django_rq.settings, "QUEUES", {"default": config, "webhooks": config})
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "webhooks"]}}
    request.node.redis = (server, port, tmp_path)
    try:
        yield "redis"
    finally:
        request.node.redis[0].stop()
