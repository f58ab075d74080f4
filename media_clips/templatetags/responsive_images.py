"""``{% picture %}`` and ``{% video_still %}``: responsive markup from the renditions stored on a model.

Reads only the renditions list already loaded with the object; no storage access
beyond ``storage.url()``, which builds a string.
"""

from django import template

register = template.Library()


def _of_format(renditions, format_key):
    return sorted((entry for entry in renditions or () if entry.get("format") == format_key), key=lambda e: e["width"])


def _srcset(image, entries):
    return ", ".join(f"{image.storage.url(entry['name'])} {entry['width']}w" for entry in entries)


@register.inclusion_tag("shared/picture.html")
def picture(image, renditions, *, alt, css_class, sizes, width=None, height=None, priority=False):
    """A ``<picture>`` (WebP sources, JPEG ``<img>``) or, without renditions, the plain image.

    ``priority`` marks the page's main image (the hero): fetched early and eagerly;
    every other image loads lazily.
    """
    context = {"alt": alt, "css_class": css_class, "sizes": sizes, "priority": priority}
    jpegs = _of_format(renditions, "jpeg")
    if not jpegs:
        return {**context, "src": image.url, "width": width, "height": height}
    largest = jpegs[-1]
    return {
        **context,
        "webp_srcset": _srcset(image, _of_format(renditions, "webp")),
        "jpeg_srcset": _srcset(image, jpegs),
        "src": image.storage.url(largest["name"]),
        "width": largest["width"],
        "height": largest["height"],
    }


@register.simple_tag
def video_still(image, renditions, *, width=None, height=None):
    """The still for ``<video poster>``: the largest JPEG rendition (1280 wide at most), else the image itself.

    ``None`` without an image. A dict with ``url``, ``width`` and ``height``.
    """
    if not image:
        return None
    jpegs = _of_format(renditions, "jpeg")
    if jpegs:
        largest = jpegs[-1]
        return {"url": image.storage.url(largest["name"]), "width": largest["width"], "height": largest["height"]}
    return {"url": image.url, "width": width, "height": height}
