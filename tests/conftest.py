"""Shared fixtures: media in a temp dir, plain static files, a fresh cache per test."""

import pytest
from django.core.cache import cache


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
