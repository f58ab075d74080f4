"""Environment-driven settings: safe defaults, a refused start without a secret key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'cache': settings.CACHES['default']['BACKEND'], "
    "'hosts': settings.ALLOWED_HOSTS, 'media': str(settings.MEDIA_ROOT), 'lang': settings.LANGUAGE_CODE, "
    "'tz': settings.TIME_ZONE, 'use_tz': settings.USE_TZ, 'base_url': settings.NEWSROOM_BASE_URL}))"
)


def run_settings(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "NEWSROOM_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings", MEDIA_ROOT=env.get("MEDIA_ROOT", "/tmp/nr-media"))
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_defaults_are_sqlite_locmem_and_debug_off():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50)
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"].endswith("LocMemCache")
    assert (values["lang"], values["tz"], values["use_tz"]) == ("de", "Europe/Berlin", True)


def test_the_canonical_origin_has_a_safe_default_and_refuses_anything_but_an_origin():
    assert json.loads(run_settings(DJANGO_DEBUG="1").stdout)["base_url"] == "http://127.0.0.1:8000"
    configured = run_settings(DJANGO_DEBUG="1", NEWSROOM_BASE_URL="https://www.example.org/")
    assert json.loads(configured.stdout)["base_url"] == "https://www.example.org"
    for wrong in ("www.example.org", "https://www.example.org/nachrichten", "ftp://example.org", "https://"):
        result = run_settings(DJANGO_DEBUG="1", NEWSROOM_BASE_URL=wrong)
        assert result.returncode != 0, wrong
        assert f"NEWSROOM_BASE_URL={wrong.rstrip('/')!r} is not an origin" in result.stderr, wrong


def test_debug_runs_without_a_secret_key():
    result = run_settings(DJANGO_DEBUG="1")
    assert json.loads(result.stdout)["debug"] is True


def test_database_redis_hosts_and_media_come_from_the_environment():
    result = run_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        REDIS_URL="redis://127.0.0.1:6379/1",
        DJANGO_ALLOWED_HOSTS="news.example.org, www.news.example.org",
        MEDIA_ROOT="/srv/media",
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "newsroom"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["hosts"] == ["news.example.org", "www.news.example.org"]
    assert values["media"] == "/srv/media"


def test_a_tls_deployment_passes_djangos_deploy_checks(tmp_path):
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_", "NEWSROOM_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY="k" * 20 + "-Zufall-" + "x9Q" * 10,
        # The README's production environment, exactly.
        DJANGO_ALLOWED_HOSTS="news.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://news.example.org",
        DJANGO_BEHIND_TLS_PROXY="1",
        DJANGO_SSL_REDIRECT="1",
        DJANGO_HSTS_SECONDS="31536000",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_HSTS_PRELOAD="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        NEWSROOM_BASE_URL="https://news.example.org",
    )
    result = deploy_check(env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

    # Without a shared cache and a public https origin, the same check names both.
    del env["REDIS_URL"]
    env["NEWSROOM_BASE_URL"] = "http://127.0.0.1:8000"
    result = deploy_check(env)
    assert result.returncode != 0
    assert "newsroom.W001" in result.stderr and "REDIS_URL" in result.stderr
    assert "newsroom.W002" in result.stderr and "NEWSROOM_BASE_URL" in result.stderr


def deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_is_configured_for_a_web_app_wal_busy_wait_and_immediate_writes(tmp_path):
    """A reader goes on while a save holds the write lock, and a second save waits instead of failing."""
    probe = (
        "import json, django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); "
        "mode = cursor.execute('PRAGMA journal_mode').fetchone()[0]; "
        "timeout = cursor.execute('PRAGMA busy_timeout').fetchone()[0]; "
        "print(json.dumps({'mode': mode, 'timeout': timeout, "
        "'transactions': connection.settings_dict['OPTIONS']['transaction_mode']}))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {"mode": "wal", "timeout": 4000, "transactions": "IMMEDIATE"}


def test_object_storage_is_one_setting_away():
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], settings.MEDIA_URL, "
        "settings.NEWSROOM_SERVE_MEDIA]))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="1")

    def read(**extra):
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        return json.loads(result.stdout)

    assert read() == ["django.core.files.storage.FileSystemStorage", "/media/", True]
    assert read(NEWSROOM_S3_BUCKET="medien", NEWSROOM_S3_PUBLIC_URL="https://cdn.example.org/") == [
        "storages.backends.s3.S3Storage",
        "https://cdn.example.org/",
        False,
    ]
    assert read(NEWSROOM_S3_BUCKET="medien", NEWSROOM_S3_ENDPOINT_URL="http://127.0.0.1:9000")[1] == (
        "http://127.0.0.1:9000/medien/"
    )
