"""The upload corpus: each bad file is refused with its German message and nothing is written; good ones are
stored clean (no EXIF or GPS, upright) and public metadata points at a rendition, not the original.
"""

import io
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from media_clips.models import VideoClip
from newsroom.models import LiveblogLink
from tests.test_desk import clip_form

pytestmark = pytest.mark.django_db

CLIP_ADD = reverse("admin:media_clips_videoclip_add")
CARD_ADD = reverse("admin:newsroom_livebloglink_add")
BROKEN = "Die Datei ist kein vollständiges Bild (beschädigt oder abgeschnitten)."
WRONG_FORMAT = "Bitte ein Bild als JPEG, PNG oder WebP hochladen."
TOO_MANY_PIXELS = "Das Bild ist zu groß: höchstens 40 Megapixel"
NOT_A_VIDEO = "Bitte eine Videodatei als MP4, WebM oder HLS-Playlist (.m3u8) hochladen."
ROOT = Path(__file__).resolve().parents[2]


def jpeg(size=(1280, 720), exif=None):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format="JPEG", quality=90, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def png_bomb(width, height):
    """A valid PNG of ``width`` × ``height`` black pixels that compresses to a few hundred kilobytes."""

    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])  # 1 bit grey
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def gps_exif():
    exif = Image.Exif()
    exif[0x0110] = "Kamera X100"  # camera model
    exif[0x0112] = 6  # orientation: turned by 90 degrees
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    return exif.tobytes()


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


REFUSED_IMAGES = {
    "abgeschnittenes JPEG": ("walde.jpg", jpeg()[:6000], BROKEN),
    "SVG mit Skript": (
        "walde.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        WRONG_FORMAT,
    ),
    "HTML als JPEG": ("walde.jpg", b"<!DOCTYPE html><script>alert(1)</script>", WRONG_FORMAT),
    "GIF/JS-Polyglott": ("walde.gif", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1)//;", WRONG_FORMAT),
    "Dekompressionsbombe": ("bombe.png", png_bomb(12000, 12000), TOO_MANY_PIXELS),
    "Riesenbombe": ("riesig.png", png_bomb(30000, 30000), "Das Bild ist zu groß"),
}


@pytest.mark.parametrize("case", REFUSED_IMAGES)
def test_a_bad_poster_is_refused_with_its_message_and_nothing_is_written(admin_client, settings, case):
    name, content, message = REFUSED_IMAGES[case]
    response = admin_client.post(CLIP_ADD, clip_form(poster=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert VideoClip.objects.count() == 0
    assert media_files(settings) == []


def test_a_bad_liveblog_image_is_refused_too(admin_client, settings):
    data = {
        "topline": "Krieg gegen die Ukraine",
        "title": "Alle Entwicklungen im Liveblog",
        "teaser": "Nachrichten und Hintergründe im Überblick.",
        "url": "/themen/ukraine/",
        "image": SimpleUploadedFile("ternopil.jpg", jpeg()[:5000]),
        "image_alt": "Rettungskräfte vor einem zerstörten Wohnhaus",
        "label": "Liveblog",
    }
    response = admin_client.post(CARD_ADD, data)
    assert response.status_code == 200
    assert BROKEN in response.content.decode()
    assert LiveblogLink.objects.count() == 0
    assert media_files(settings) == []


def test_an_oversized_file_says_the_limit(admin_client, settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1024 * 1024
    big = jpeg() + b"\x00" * (1700 * 1024)  # a JPEG with trailing bytes: 1.7 MB
    response = admin_client.post(CLIP_ADD, clip_form(poster=SimpleUploadedFile("walde.jpg", big)))
    assert "Die Datei ist zu groß: höchstens 1 MB, diese hat 1,7 MB." in response.content.decode()
    assert media_files(settings) == []


def test_the_bomb_is_refused_before_it_is_decoded():
    """Peak memory of refusing a 12000 × 12000 PNG: measured in a fresh interpreter."""
    code = (
        "import resource, sys, django; django.setup()\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from media_clips.validators import cleaned_image\n"
        "content = sys.stdin.buffer.read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    cleaned_image(SimpleUploadedFile('bombe.png', content))\n"
        "except Exception as error:\n    print(type(error).__name__, error.messages[0])\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=png_bomb(12000, 12000), capture_output=True, cwd=ROOT, timeout=60
    )
    refused, grown = result.stdout.decode().splitlines()
    assert refused.startswith(f"ValidationError {TOO_MANY_PIXELS}, dieses hat 12000 × 12000 Pixel")
    assert int(grown) < 50  # megabytes; decoding would take some 140 MB more


def test_a_poster_is_stored_without_exif_or_gps_and_upright(admin_client, settings):
    response = admin_client.post(
        CLIP_ADD, clip_form(poster=SimpleUploadedFile("walde.jpg", jpeg((1280, 720), gps_exif())))
    )
    assert response.status_code == 302
    clip = VideoClip.objects.get()
    with clip.poster.open() as stored, Image.open(stored) as image:
        assert image.size == (720, 1280)  # the orientation applied, not left to the reader's browser
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info
    assert (clip.poster_width, clip.poster_height) == (720, 1280)
    assert clip.poster_renditions  # made as for any upload


def test_public_metadata_points_at_a_rendition_not_the_original(admin_client, client, settings):
    from newsroom.services import article_publish
    from tests.factories import ArticleFactory

    admin_client.post(CLIP_ADD, clip_form(poster=SimpleUploadedFile("walde.jpg", jpeg((1920, 1080), gps_exif()))))
    clip = VideoClip.objects.get()
    article = ArticleFactory(draft=True, hero_clip=clip)
    article_publish(article=article, user=None)
    html = client.get(article.get_absolute_url()).content.decode()
    still = clip.poster_still
    assert still.url != clip.poster.url and still.width <= 1280
    assert f'<meta property="og:image" content="http://testserver{still.url}">' in html
    assert f'<meta name="twitter:image" content="http://testserver{still.url}">' in html
    assert f"http://testserver{clip.poster.url}" not in html
    ld = [json.loads(block) for block in _json_ld(html)]
    assert f"http://testserver{still.url}" in json.dumps(ld)


def _json_ld(html):
    import re

    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)


MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64
HLS = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nsegment0.ts\n#EXT-X-ENDLIST\n"
HTML = b"<!DOCTYPE html><title>x</title><script>alert(document.cookie)</script>"


@pytest.mark.parametrize(
    ("name", "content"), [("clip.html", HTML), ("clip.mp4", HTML), ("clip.webm", MP4), ("clip.m3u8", HTML)]
)
def test_a_file_that_is_not_a_video_is_refused_as_video(admin_client, settings, name, content):
    response = admin_client.post(CLIP_ADD, clip_form(video_file=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert NOT_A_VIDEO in response.content.decode()
    assert VideoClip.objects.count() == 0
    assert media_files(settings) == []


@pytest.mark.parametrize(("name", "content"), [("clip.mp4", MP4), ("clip.webm", WEBM), ("clip.m3u8", HLS)])
def test_real_video_containers_are_accepted(admin_client, name, content):
    response = admin_client.post(CLIP_ADD, clip_form(video_file=SimpleUploadedFile(name, content)))
    assert response.status_code == 302
    assert VideoClip.objects.get().video_file.name.endswith(name.rsplit(".", 1)[1])
