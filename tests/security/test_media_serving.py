"""Uploaded media is served with DEBUG off (the single-machine production), safely.

Pictures and videos are shown; anything else is a download with ``nosniff`` and a policy
that runs nothing; pending uploads of unsaved forms are never public.
"""

import re
from pathlib import Path

import pytest

from tests.factories import VideoClipFactory
from tests.servers import Site, fetch, free_port

pytestmark = pytest.mark.django_db


def test_a_poster_is_served_inline_with_nosniff(client):
    clip = VideoClipFactory()
    response = client.get(clip.poster.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["seite.html", "bild.svg", "skript.js", "ohne-endung"])
def test_anything_but_pictures_and_video_is_a_download_that_runs_nothing(client, settings, name):
    folder = Path(settings.MEDIA_ROOT) / "clips"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"<script>alert(document.cookie)</script>")
    response = client.get(f"/media/clips/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_pending_uploads_and_paths_outside_media_are_not_served(client, settings):
    kept = Path(settings.MEDIA_ROOT) / "kept-uploads" / "abc"
    kept.mkdir(parents=True)
    (kept / "walde.jpg").write_bytes(b"\xff\xd8\xff")
    assert client.get("/media/kept-uploads/abc/walde.jpg").status_code == 404
    for path in ("/media/../newsroom/settings.py", "/media/%2e%2e/newsroom/settings.py"):
        assert client.get(path).status_code in (400, 404), path


@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_debug_off_serves_a_poster_rendition_and_a_page_with_its_policy(tmp_path):
    site = Site(tmp_path / "site")
    site.prepare()
    site.manage("load_demo")
    port = free_port()
    server = site.gunicorn(port)
    try:
        base = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(base + site.published_article_path())
        assert status == 200
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        page = body.decode()
        renditions = re.findall(r'srcset="([^" ]+) \d+w', page)
        assert renditions, "the page lists no rendition"
        status, headers, image = fetch(base + renditions[0])
        assert status == 200
        assert headers["Content-Type"] in {"image/webp", "image/jpeg"}
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert len(image) > 1000
    finally:
        server.stop()
