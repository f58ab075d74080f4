"""What an uploaded poster, liveblog image or video file must be before anything is stored.

An image is decoded in full at validation (a truncated JPEG is refused here, not a 500 when
its renditions are made), its pixels and bytes are capped before decoding (a 140 kB PNG of
12000 × 12000 pixels would take a worker past 900 MB), and what is stored is a cleaned
original: turned upright by its EXIF orientation and re-encoded without EXIF, GPS, camera
or XMP data. A video file must be a real MP4, WebM or HLS playlist by its first bytes as
well as by its name, so an HTML page cannot be uploaded as one.
"""

import io
import posixpath
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image, ImageOps

from media_clips.renditions import to_srgb

# Pillow format → (extension, media type, encoder options) of the cleaned original.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 92, "optimize": True}),
    "PNG": ("png", "image/png", {"optimize": True}),
    "WEBP": ("webp", "image/webp", {"quality": 92}),
}
VIDEO_EXTENSIONS = {".mp4": "mp4", ".m4v": "mp4", ".webm": "webm", ".m3u8": "hls"}
_HEAD_BYTES = 64


def megabytes(size):
    """``26214400`` → ``"25 MB"``, ``32715571`` → ``"31,2 MB"``."""
    value = round(size / (1024 * 1024), 1)
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def _check_size(upload, limit):
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"Die Datei ist zu groß: höchstens {megabytes(limit)}, diese hat {megabytes(upload.size)}.",
            code="file_too_large",
        )


def _too_many_pixels(width=None, height=None):
    limit = settings.NEWSROOM_MAX_IMAGE_PIXELS / 1_000_000
    detail = f", dieses hat {width} × {height} Pixel" if width else ""
    return ValidationError(
        f"Das Bild ist zu groß: höchstens {limit:g} Megapixel{detail}. Bitte verkleinert hochladen.",
        code="image_too_large",
    )


BROKEN = ValidationError(
    "Die Datei ist kein vollständiges Bild (beschädigt oder abgeschnitten). Bitte erneut exportieren und hochladen.",
    code="image_broken",
)
WRONG_FORMAT = ValidationError("Bitte ein Bild als JPEG, PNG oder WebP hochladen.", code="image_format")


def cleaned_image(upload):
    """The upload as a cleaned original (a new ``SimpleUploadedFile``), or a ``ValidationError`` saying why not."""
    _check_size(upload, settings.NEWSROOM_MAX_UPLOAD_BYTES)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; the pixel cap below is the one that decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise WRONG_FORMAT
                width, height = image.size
                if width * height > settings.NEWSROOM_MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width, height)
                image.load()  # every pixel decoded: a truncated file fails here
                return _reencoded(image, upload.name)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except ValidationError:
        raise
    except Image.UnidentifiedImageError:  # not a picture Pillow knows: an SVG, an HTML page, a text
        raise WRONG_FORMAT from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise BROKEN from None


def _reencoded(image, name):
    extension, media_type, options = IMAGE_FORMATS[image.format]
    icc = image.info.get("icc_profile")  # colour, not personal data: kept so the picture looks the same
    upright = ImageOps.exif_transpose(image)
    if upright.mode == "CMYK":  # print colours: converted to sRGB through their profile, as the renditions are
        upright, icc = to_srgb(upright), None
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "transparency" in image.info or upright.mode == "PA" else "RGB")
    if image.format == "JPEG" and upright.mode != "RGB":
        upright = upright.convert("RGB")
    # A fresh image of the pixels only: no EXIF, GPS, camera model, XMP or comments travel on.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format=image.format, **options, **({"icc_profile": icc} if icc else {}))
    stem = posixpath.splitext(posixpath.basename(name or "bild"))[0] or "bild"
    return SimpleUploadedFile(f"{stem}.{extension}", buffer.getvalue(), media_type)


class CleanImageFormField(forms.ImageField):
    """Django's image field, after ``cleaned_image``: the cleaned original is what the form hands on."""

    def to_python(self, data):
        if data in self.empty_values or not hasattr(data, "read"):
            return super().to_python(data)
        return super().to_python(cleaned_image(data))


class CleanImageField(models.ImageField):
    """An image whose uploads are checked and cleaned (``cleaned_image``) in every model form."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def deconstruct(self):
        # The column is Django's own: the checks are behaviour, not schema.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


def video_kind(head):
    """``"mp4"``, ``"webm"`` or ``"hls"`` from a file's first bytes; ``None`` for anything else."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"#EXTM3U"):
        return "hls"
    return None


def validate_video_file(value):
    """A video file is an MP4, WebM or HLS playlist by name and by content; nothing else is stored."""
    upload = getattr(value, "file", value)
    if getattr(value, "_committed", False):
        return  # already stored: checked when it was uploaded
    extension = posixpath.splitext(value.name or "")[1].lower()
    expected = VIDEO_EXTENSIONS.get(extension)
    message = "Bitte eine Videodatei als MP4, WebM oder HLS-Playlist (.m3u8) hochladen."
    if expected is None:
        raise ValidationError(message, code="video_format")
    _check_size(value, settings.NEWSROOM_MAX_VIDEO_BYTES)
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    if video_kind(head) != expected:
        raise ValidationError(
            f"Der Inhalt der Datei passt nicht zur Endung {extension}: {message}", code="video_content"
        )
