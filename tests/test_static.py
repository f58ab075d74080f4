"""Production static files: collected with hashed names, compressed, and served by WhiteNoise."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SERVE = """
import django
from django.test import Client
from django.templatetags.static import static
django.setup()
url = static("css/site.css")
assert url != "/static/css/site.css", url  # hashed name from the manifest
response = Client().get(url)
assert response.status_code == 200, response.status_code
assert "max-age=315360000" in response["Cache-Control"], response["Cache-Control"]
print(url)
"""


def test_collectstatic_builds_hashed_files_that_whitenoise_serves(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collect.returncode == 0, collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "css").glob("site.*.css.gz"))
    serve = subprocess.run([sys.executable, "-c", SERVE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert serve.returncode == 0, serve.stderr
    assert serve.stdout.startswith("/static/css/site.")
