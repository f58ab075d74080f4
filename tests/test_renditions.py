"""Responsive images: 16:9 renditions without metadata, stored once, listed in srcsets; native video for clips."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from media_clips.models import VideoClip
from media_clips.renditions import make_renditions
from media_clips.services import renditions_refresh, store_renditions
from newsroom.models import LiveblogLink
from newsroom.services import article_import
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
    image_file,
)
from tests.textmode import text_lines

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"
GREEN, RED = (20, 160, 60), (220, 20, 20)


def jpeg_bytes(size=(1920, 1080), color=GREEN, **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", quality=90, **save_options)
    return buffer.getvalue()


def with_red_margins(size, margin, *, sides):
    """A green picture whose outer ``margin`` pixels (left/right or top/bottom) are red."""
    image = Image.new("RGB", size, RED)
    width, height = size
    box = (margin, 0, width - margin, height) if sides == "x" else (0, margin, width, height - margin)
    image.paste(GREEN, box)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def opened(rendition):
    image = Image.open(io.BytesIO(rendition.content))
    image.load()
    return image


def close_to(pixel, color, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=True))


def files_under(root):
    return sorted(path.relative_to(root).as_posix() for path in Path(root).rglob("*") if path.is_file())


def clip_with_renditions(**fields):
    clip = VideoClipFactory(poster=image_file(size=(1920, 1080)), **fields)
    renditions_refresh(obj=clip, field_name="poster")
    return clip


# The pure image work


def test_a_large_source_gets_three_16_9_widths_in_webp_and_jpeg():
    renditions = make_renditions(jpeg_bytes((1920, 1080)))
    assert [(r.width, r.height, r.format) for r in renditions] == [
        (480, 270, "webp"),
        (480, 270, "jpeg"),
        (800, 450, "webp"),
        (800, 450, "jpeg"),
        (1280, 720, "webp"),
        (1280, 720, "jpeg"),
    ]
    for rendition in renditions:
        image = opened(rendition)
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
        assert image.size == (rendition.width, rendition.height)
        assert image.mode == "RGB"


def test_a_small_source_is_never_upscaled():
    renditions = make_renditions(jpeg_bytes((320, 180)))
    assert {(r.width, r.height) for r in renditions} == {(320, 180)}
    assert sorted(r.format for r in renditions) == ["jpeg", "webp"]


def test_a_source_between_the_widths_keeps_its_own_width_on_top():
    renditions = make_renditions(jpeg_bytes((1000, 700)))
    assert sorted({r.width for r in renditions}) == [480, 800, 1000]
    assert all(opened(r).width <= 1000 for r in renditions)


@pytest.mark.parametrize(
    ("size", "sides"),
    [((2000, 720), "x"), ((1280, 1440), "y")],
    ids=["too-wide", "too-tall"],
)
def test_the_crop_is_16_9_from_the_centre(size, sides):
    # The red margins lie exactly outside the centred 1280×720 area.
    margin = (size[0] - 1280) // 2 if sides == "x" else (size[1] - 720) // 2
    largest = [r for r in make_renditions(with_red_margins(size, margin, sides=sides)) if r.format == "jpeg"][-1]
    image = opened(largest)
    assert image.size == (1280, 720)
    for corner in ((2, 2), (1277, 2), (2, 717), (1277, 717)):
        assert close_to(image.getpixel(corner), GREEN), corner


def test_renditions_carry_no_exif_icc_or_xmp():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamerahersteller"
    exif[ExifTags.Base.Model] = "Geheimes Modell 9000"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Redaktionsgeheimnis</rdf:RDF></x:xmpmeta>'
    source = jpeg_bytes(exif=exif.tobytes(), icc_profile=icc, xmp=xmp)
    with Image.open(io.BytesIO(source)) as check:  # the source really carries all three
        assert check.getexif()[ExifTags.Base.Make] == "Kamerahersteller"
        assert {"exif", "icc_profile", "xmp"} <= set(check.info)

    for rendition in make_renditions(source):
        image = opened(rendition)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp"} & set(image.info)
        for secret in (b"Kamerahersteller", b"Geheimes Modell", b"Redaktionsgeheimnis", b"Exif\x00\x00"):
            assert secret not in rendition.content


def test_a_portrait_photo_turned_by_exif_is_cropped_upright():
    # Stored 1080 wide and 1920 tall, shown turned a quarter (orientation 6): a 1920×1080 landscape.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    renditions = make_renditions(jpeg_bytes((1080, 1920), exif=exif.tobytes()))
    assert max(r.width for r in renditions) == 1280
    assert all(opened(r).size == (r.width, r.height) for r in renditions)


def test_transparent_and_cmyk_sources_become_rgb():
    transparent = io.BytesIO()
    Image.new("RGBA", (960, 540), (0, 0, 0, 0)).save(transparent, format="PNG")
    cmyk = io.BytesIO()
    Image.new("CMYK", (960, 540), (0, 255, 255, 0)).save(cmyk, format="JPEG")

    flattened = [r for r in make_renditions(transparent.getvalue()) if r.format == "jpeg"][0]
    assert opened(flattened).mode == "RGB"
    assert close_to(opened(flattened).getpixel((10, 10)), (255, 255, 255), tolerance=4)  # onto white
    red = [r for r in make_renditions(cmyk.getvalue()) if r.format == "jpeg"][0]
    assert opened(red).mode == "RGB"
    assert opened(red).getpixel((10, 10))[0] > 200


# Storage: deterministic names, made once


def test_stored_renditions_have_deterministic_names_and_are_made_once(settings):
    clip = VideoClipFactory(poster=image_file(name="gipfel.jpg", size=(1920, 1080)))
    digest = hashlib.sha256(Path(clip.poster.path).read_bytes()).hexdigest()[:8]
    stem = Path(clip.poster.name).stem

    first = store_renditions(clip.poster)
    files = files_under(settings.MEDIA_ROOT)
    stamps = {path: path.stat().st_mtime_ns for path in Path(settings.MEDIA_ROOT, "renditions").iterdir()}
    second = store_renditions(clip.poster)

    assert first == second
    assert [entry["name"] for entry in first] == [
        f"renditions/{stem}-{digest}-{width}w.{ext}" for width in (480, 800, 1280) for ext in ("webp", "jpg")
    ]
    assert files_under(settings.MEDIA_ROOT) == files
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps
    assert {(entry["width"], entry["height"]) for entry in first} == {(480, 270), (800, 450), (1280, 720)}


def test_a_missing_rendition_file_is_made_again(settings):
    clip = clip_with_renditions()
    name = clip.poster_renditions[0]["name"]
    (Path(settings.MEDIA_ROOT) / name).unlink()

    written = renditions_refresh(obj=clip, field_name="poster")

    assert written == [name]
    assert (Path(settings.MEDIA_ROOT) / name).is_file()


def test_a_replaced_poster_gets_new_renditions():
    clip = clip_with_renditions()
    before = {entry["name"] for entry in clip.poster_renditions}
    clip.poster = image_file(name="neu.jpg", size=(1920, 1080), color=(200, 180, 20))
    clip.save()
    renditions_refresh(obj=clip, field_name="poster")
    clip.refresh_from_db()
    assert before.isdisjoint(entry["name"] for entry in clip.poster_renditions)
    assert all("/neu-" in entry["name"] for entry in clip.poster_renditions)


def test_a_clip_without_poster_has_no_renditions():
    clip = VideoClipFactory(poster="", poster_alt="")
    assert renditions_refresh(obj=clip, field_name="poster") == []
    assert clip.poster_renditions == []


# The page


def figures(html):
    return re.findall(r"<figure.*?</figure>", html, re.DOTALL)


def test_a_clip_is_a_picture_with_webp_and_jpeg_srcsets(client):
    clip = clip_with_renditions()
    html = client.get(ArticleFactory(hero_clip=clip).get_absolute_url()).content.decode()
    url = {(entry["width"], entry["format"]): f"/media/{entry['name']}" for entry in clip.poster_renditions}
    hero = figures(html)[0]
    assert (
        f'<picture><source type="image/webp" srcset="{url[480, "webp"]} 480w, {url[800, "webp"]} 800w, '
        f'{url[1280, "webp"]} 1280w" sizes="(min-width: 52rem) 52rem, 100vw">' in hero
    )
    assert (
        f'<img class="clip__poster" src="{url[1280, "jpeg"]}" srcset="{url[480, "jpeg"]} 480w, '
        f'{url[800, "jpeg"]} 800w, {url[1280, "jpeg"]} 1280w" sizes="(min-width: 52rem) 52rem, 100vw" '
        f'alt="{clip.poster_alt}" width="1280" height="720"' in hero
    )
    assert clip.poster.url not in hero  # the original upload is not sent to readers


def test_the_hero_loads_eagerly_with_high_priority_and_the_others_lazily(client):
    article = ArticleFactory(hero_clip=clip_with_renditions(), intro_clip=clip_with_renditions())
    FAQItemFactory(article=article, clip=clip_with_renditions())
    hero, *others = figures(client.get(article.get_absolute_url()).content.decode())
    assert 'fetchpriority="high" loading="eager"' in hero
    assert 'loading="lazy"' not in hero
    assert len(others) == 2
    for figure in others:
        assert 'loading="lazy"' in figure
        assert "fetchpriority" not in figure and 'loading="eager"' not in figure


def test_a_clip_without_renditions_shows_the_plain_poster(client):
    clip = VideoClipFactory(poster=image_file(size=(640, 360)))
    hero = figures(client.get(ArticleFactory(hero_clip=clip).get_absolute_url()).content.decode())[0]
    assert "<picture>" not in hero
    assert f'<img class="clip__poster" src="{clip.poster.url}" alt="{clip.poster_alt}" width="640" height="360"' in hero


def test_the_liveblog_card_image_and_the_teaser_are_pictures_too(client):
    link = LiveblogLinkFactory(image=image_file(size=(1920, 1080)))
    renditions_refresh(obj=link, field_name="image")
    placement = ArticleLiveblogLinkFactory(liveblog_link=link, article__hero_clip=clip_with_renditions())

    page = client.get(placement.article.get_absolute_url()).content.decode()
    card = re.search(r'<a href="[^"]*" class="liveblog-card">.*?</a>', page, re.DOTALL).group(0)
    assert '<picture><source type="image/webp"' in card
    assert 'sizes="(min-width: 36em) 20rem, 100vw"' in card
    assert f'alt="{link.image_alt}" width="1280" height="720" loading="lazy"' in card

    home = client.get(reverse("newsroom:home")).content.decode()
    teaser = re.search(r'<article class="teaser">.*?</article>', home, re.DOTALL).group(0)
    assert '<picture><source type="image/webp"' in teaser
    assert '<img class="teaser__image"' in teaser and 'loading="lazy"' in teaser


@pytest.mark.parametrize(
    ("video_url", "media_type"),
    [
        ("https://media.example.org/clips/gipfel.mp4", "video/mp4"),
        ("https://media.example.org/clips/gipfel/master.m3u8?token=1", "application/x-mpegURL"),
    ],
)
def test_a_clip_with_a_video_plays_in_a_native_video_element(client, video_url, media_type):
    clip = clip_with_renditions(title="Thomas Walde ordnet den Gipfel ein", video_url=video_url)
    html = client.get(ArticleFactory(hero_clip=clip).get_absolute_url()).content.decode()
    hero = figures(html)[0]
    still = next(e for e in clip.poster_renditions if e["format"] == "jpeg" and e["width"] == 1280)
    video = re.search(r"<video[^>]*>", hero).group(0)
    assert 'controls preload="none"' in video
    assert f'poster="/media/{still["name"]}" width="1280" height="720"' in video
    assert 'aria-label="Thomas Walde ordnet den Gipfel ein"' in video
    assert f'<source src="{video_url.replace("&", "&amp;")}" type="{media_type}">' in hero
    # Fallback content for browsers without video: the poster's alt text and a link to the video.
    fallback = re.search(r"<video.*?</video>", hero, re.DOTALL).group(0)
    assert f'alt="{clip.poster_alt}"' in fallback
    assert f'href="{video_url}"' in fallback
    assert hero.count("Video ansehen") == 1
    lines = text_lines(hero)
    assert lines[0] == clip.poster_alt
    # The caption and the exact meta line stay as they were.
    assert (
        '<time datetime="2026-01-06">06.01.2026</time> <span class="clip__sep" aria-hidden="true">|</span> '
        '<time datetime="PT1M46S">1:46 min</time>' in hero
    )


def test_a_clip_without_video_has_no_video_element(client):
    hero = figures(client.get(ArticleFactory(hero_clip=clip_with_renditions()).get_absolute_url()).content.decode())[0]
    assert "<video" not in hero
    assert "Video ansehen" not in hero


def test_the_article_page_still_runs_exactly_five_queries(client, django_assert_num_queries):
    article = ArticleFactory(topic=TopicFactory(), hero_clip=clip_with_renditions(), intro_clip=clip_with_renditions())
    for _ in range(3):
        FAQItemFactory(article=article, clip=clip_with_renditions(video_url="https://media.example.org/a.mp4"))
    link = LiveblogLinkFactory()
    renditions_refresh(obj=link, field_name="image")
    ArticleLiveblogLinkFactory(article=article, liveblog_link=link)
    BroadcastMentionFactory(article=article)
    with django_assert_num_queries(5):  # the stamp + the four of the page
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 3  # hero, intro clip, liveblog card; the FAQ clips are videos
    assert html.count("<video") == 3


# Where renditions are made


def run_make_renditions():
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    return out.getvalue()


def test_make_renditions_backfills_and_is_idempotent(settings):
    clips = VideoClipFactory.create_batch(2, poster=image_file(size=(1280, 720)))
    link = LiveblogLinkFactory()
    without_poster = VideoClipFactory(poster="", poster_alt="")

    output = run_make_renditions()

    for clip in clips:
        clip.refresh_from_db()
        assert len(clip.poster_renditions) == 6
        assert f"Videoclip {clip.pk}" in output
        for entry in clip.poster_renditions:
            assert entry["name"] in output
            assert (Path(settings.MEDIA_ROOT) / entry["name"]).is_file()
    link.refresh_from_db()
    assert {entry["format"] for entry in link.image_renditions} == {"webp", "jpeg"}  # 320 px: one width
    assert f"Liveblog-Link {link.pk}" in output
    assert f"Videoclip {without_poster.pk}" not in output
    assert "14 Bildvarianten für 3 Bilder erzeugt." in output

    files = files_under(settings.MEDIA_ROOT)
    again = run_make_renditions()
    assert "Alle Bildvarianten sind schon da." in again
    assert "erzeugt" not in again
    assert files_under(settings.MEDIA_ROOT) == files


def test_the_importer_makes_renditions_for_new_clips_and_cards(settings, client):
    article = article_import(text=SAMPLE.read_text(encoding="utf-8"), publish=True).article
    clips = article.clips()
    assert len(clips) == 6
    for clip in clips:
        assert [(e["width"], e["format"]) for e in clip.poster_renditions] == [
            (w, f) for w in (480, 800, 1280) for f in ("webp", "jpeg")
        ]
        assert all((Path(settings.MEDIA_ROOT) / e["name"]).is_file() for e in clip.poster_renditions)
    link = article.liveblog_placements.get().liveblog_link
    assert len(link.image_renditions) == 6
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 7


def test_a_failed_import_leaves_no_renditions_behind(monkeypatch, settings):
    from newsroom.services import importing as services

    def fail(*args, **kwargs):
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(services.BroadcastMention.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        article_import(text=SAMPLE.read_text(encoding="utf-8"))
    assert files_under(settings.MEDIA_ROOT) == []


def test_load_demo_makes_renditions_for_every_image():
    call_command("load_demo", stdout=io.StringIO())
    assert VideoClip.objects.count() == 6
    assert all(len(clip.poster_renditions) == 6 for clip in VideoClip.objects.all())
    assert len(LiveblogLink.objects.get().image_renditions) == 6
    assert "Alle Bildvarianten sind schon da." in run_make_renditions()


def clip_form(poster, **fields):
    return {
        "title": "Thomas Walde ordnet ein",
        "description": "ZDF-Korrespondent Thomas Walde ordnet ein.",
        "duration": "00:01:46",
        "published_at_0": "06.01.2026",
        "published_at_1": "09:00:00",
        "credit": "",
        "poster": poster,
        "poster_alt": "Thomas Walde vor dem Tagungsort in Paris",
        "video_url": "",
        **fields,
    }


def upload(name, size, color):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_saving_a_poster_in_the_admin_makes_its_renditions(admin_client, settings):
    response = admin_client.post(
        reverse("admin:media_clips_videoclip_add"), clip_form(upload("walde.jpg", (1920, 1080), GREEN))
    )
    assert response.status_code == 302
    clip = VideoClip.objects.get()
    assert len(clip.poster_renditions) == 6
    assert all(f"/{Path(clip.poster.name).stem}-" in e["name"] for e in clip.poster_renditions)
    first = {e["name"] for e in clip.poster_renditions}

    change = reverse("admin:media_clips_videoclip_change", args=[clip.pk])
    response = admin_client.post(change, clip_form(upload("walde-neu.jpg", (1600, 900), RED)))
    assert response.status_code == 302
    clip.refresh_from_db()
    assert first.isdisjoint(e["name"] for e in clip.poster_renditions)
    assert max(e["width"] for e in clip.poster_renditions) == 1280

    response = admin_client.post(change, clip_form("", title="Nur der Titel ist neu"))
    assert response.status_code == 302
    assert VideoClip.objects.get().poster_renditions == clip.poster_renditions


def test_saving_a_liveblog_image_in_the_admin_makes_its_renditions(admin_client):
    response = admin_client.post(
        reverse("admin:newsroom_livebloglink_add"),
        {
            "topline": "Krieg gegen die Ukraine",
            "title": "Alle Entwicklungen im Liveblog",
            "teaser": "Nachrichten und Hintergründe im Überblick.",
            "url": "/themen/ukraine/",
            "image": upload("ternopil.jpg", (1280, 720), GREEN),
            "image_alt": "Rettungskräfte vor einem zerstörten Wohnhaus",
            "label": "Liveblog",
        },
    )
    assert response.status_code == 302
    assert len(LiveblogLink.objects.get().image_renditions) == 6
