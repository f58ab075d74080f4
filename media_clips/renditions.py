"""Responsive renditions of an image: 16:9 centre crops in a few widths, WebP and JPEG, no metadata.

Pure functions: bytes in, rendition specs and bytes out. Storing them is
``media_clips.services.store_renditions``; this module does no I/O.
"""

import io
from dataclasses import dataclass

from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageCms, ImageOps

WIDTHS = (480, 800, 1280)
ASPECT = (16, 9)
# (format key, Pillow format, media type, file extension, encoder options)
FORMATS = (
    ("webp", "WEBP", "image/webp", "webp", {"quality": 80, "method": 4}),
    ("jpeg", "JPEG", "image/jpeg", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
)
MEDIA_TYPES = {key: media_type for key, _, media_type, _, _ in FORMATS}
EXTENSIONS = {key: extension for key, _, _, extension, _ in FORMATS}

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# EXIF orientations that turn the picture by 90 degrees, swapping width and height.
_QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    content: bytes

    @property
    def media_type(self):
        return MEDIA_TYPES[self.format]

    @property
    def extension(self):
        return EXTENSIONS[self.format]


def crop_size(size):
    """The largest 16:9 area of an image of ``size`` (width, height)."""
    width, height = size
    if width * ASPECT[1] > height * ASPECT[0]:  # wider than 16:9: trim the sides
        return max(1, round(height * ASPECT[0] / ASPECT[1])), height
    return width, max(1, round(width * ASPECT[1] / ASPECT[0]))


def rendition_sizes(size):
    """The (width, height) of each rendition for a source of ``size``, smallest first.

    The standard widths below the crop's width, then the crop's own width capped at
    the largest standard width: never upscaled, and a 1000-pixel source still gets
    a 1000-pixel rendition rather than stopping at 800.
    """
    crop_width, crop_height = crop_size(size)
    top = min(crop_width, WIDTHS[-1])
    widths = [width for width in WIDTHS if width < top] + [top]
    return [
        (width, crop_height if width == crop_width else max(1, round(width * ASPECT[1] / ASPECT[0])))
        for width in widths
    ]


def _open(source):
    return Image.open(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)


def oriented_size(source):
    """The size of ``source`` as it is displayed (EXIF orientation applied), without decoding pixels."""
    with _open(source) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112)
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def to_srgb(image):
    """An RGB image in sRGB: transparency flattened onto white, an embedded ICC profile applied."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        icc = image.info.get("icc_profile")
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        if icc:
            flat.info["icc_profile"] = icc
        image = flat
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "CMYK", "L"):
        try:
            return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to Pillow's plain conversion
    return image.convert("RGB")


def _encode(image, pillow_format, options):
    buffer = io.BytesIO()
    image.save(buffer, format=pillow_format, **options)
    return buffer.getvalue()


def make_renditions(source):
    """Every rendition of ``source`` (image bytes or a binary file), WebP and JPEG per width.

    The picture is turned upright by its EXIF orientation, converted to sRGB RGB,
    centre-cropped to 16:9 and scaled down. The output carries no EXIF, ICC or XMP:
    each rendition is encoded from a fresh image holding pixels only.
    """
    with _open(source) as opened:
        image = to_srgb(ImageOps.exif_transpose(opened))
    crop_width, crop_height = crop_size(image.size)
    left = (image.width - crop_width) / 2
    top = (image.height - crop_height) / 2
    box = (left, top, left + crop_width, top + crop_height)
    renditions = []
    for width, height in rendition_sizes(image.size):
        scaled = image.resize((width, height), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        pixels = Image.frombytes("RGB", scaled.size, scaled.tobytes())  # no info dict: no metadata
        for key, pillow_format, _, _, options in FORMATS:
            renditions.append(Rendition(width, height, key, _encode(pixels, pillow_format, options)))
    return renditions


_URLS = {}
_URLS_LIMIT = 50_000


def storage_url(storage, name):
    """``storage.url(name)``, remembered for local files (the same name always has the same URL there).

    A page lists some thirty rendition URLs; for a file system storage each is a fixed
    function of its name. Other storages (signed object-storage URLs) are asked every time.
    """
    if not isinstance(storage, FileSystemStorage):
        return storage.url(name)
    key = (storage.base_url, name)
    url = _URLS.get(key)
    if url is None:
        if len(_URLS) >= _URLS_LIMIT:
            _URLS.clear()
        url = _URLS[key] = storage.url(name)
    return url


@dataclass(frozen=True)
class StoredRendition:
    """One rendition file as the model records it (``RenditionsField``)."""

    name: str
    width: int
    height: int
    format: str
    bytes: int | None = None

    @property
    def media_type(self):
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class Still:
    """What an ``<img>`` or ``<video poster>`` shows: a URL with its pixel size (which may be unknown)."""

    url: str
    width: int | None
    height: int | None


class Renditions:
    """The stored renditions of one image, and the choices every surface makes from them.

    Built by ``media_clips.fields.renditions_of(image)``. The page's ``srcset``, the video
    still, the feed enclosure and JSON-LD all pick through these methods: the largest JPEG
    (at most 1280 pixels wide) stands in for the image, the original only when there are
    no renditions. Nothing here touches storage beyond ``storage.url()``, which builds a string.
    """

    def __init__(self, image, entries, *, width=None, height=None):
        self.image = image
        self.entries = tuple(
            StoredRendition(
                **{key: entry[key] for key in ("name", "width", "height", "format", "bytes") if key in entry}
            )
            for entry in entries or ()
        )
        self._width, self._height = width, height

    def __bool__(self):
        return bool(self.entries)

    def of_format(self, format_key):
        """The renditions in one format, narrowest first."""
        return sorted((entry for entry in self.entries if entry.format == format_key), key=lambda entry: entry.width)

    def largest(self, format_key="jpeg"):
        found = self.of_format(format_key)
        return found[-1] if found else None

    def url(self, rendition):
        return storage_url(self.image.storage, rendition.name)

    def srcset(self, format_key):
        return ", ".join(f"{self.url(entry)} {entry.width}w" for entry in self.of_format(format_key))

    def still(self):
        """The image to show where one file is needed: the largest JPEG rendition, else the original.

        ``None`` without an image.
        """
        if not self.image:
            return None
        largest = self.largest("jpeg")
        if largest is not None:
            return Still(self.url(largest), largest.width, largest.height)
        return Still(self.image.url, self._width, self._height)
