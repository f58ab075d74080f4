"""Clearly-labelled placeholder posters, drawn with Pillow (demo content and imported clips)."""

import hashlib
import io
import textwrap

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1280, 720  # 16:9
LABEL = "PLATZHALTER"


def _font(size):
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _background(seed_text):
    # A calm colour per title, dark enough for white text (contrast above 7:1).
    digest = hashlib.sha256(seed_text.encode("utf-8")).digest()
    return (20 + digest[0] % 40, 40 + digest[1] % 50, 70 + digest[2] % 60)


def placeholder_poster(title, subtitle="", *, filename="platzhalter.jpg"):
    """A 1280×720 JPEG with the label "PLATZHALTER", ``title`` and ``subtitle`` on it."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _background(title))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=(250, 200, 60))
    draw.text((64, 64), LABEL, font=_font(40), fill=(250, 200, 60))
    lines = textwrap.wrap(title, width=34)[:4]
    y = 180
    for line in lines:
        draw.text((64, y), line, font=_font(56), fill=(255, 255, 255))
        y += 72
    if subtitle:
        draw.text((64, HEIGHT - 110), subtitle, font=_font(40), fill=(230, 230, 230))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=filename)
