"""``{% picture %}`` and ``{% video_still %}``: responsive markup from the renditions recorded on a model.

Both read the renditions through ``media_clips.fields.renditions_of``, which uses only what
was loaded with the object: no storage access beyond ``storage.url()``, which builds a string.
"""

from django import template

from media_clips.fields import renditions_of

register = template.Library()


@register.inclusion_tag("shared/picture.html")
def picture(image, *, alt, css_class, sizes, priority=False):
    """A ``<picture>`` (WebP sources, JPEG ``<img>``) or, without renditions, the plain image.

    ``priority`` marks the page's main image (the hero): fetched early and eagerly;
    every other image loads lazily.
    """
    renditions = renditions_of(image)
    still = renditions.still()
    context = {
        "alt": alt,
        "css_class": css_class,
        "sizes": sizes,
        "priority": priority,
        "src": still.url,
        "width": still.width,
        "height": still.height,
    }
    if renditions.of_format("jpeg"):
        context["webp_srcset"] = renditions.srcset("webp")
        context["jpeg_srcset"] = renditions.srcset("jpeg")
    return context


@register.simple_tag
def video_still(image):
    """The still for ``<video poster>`` (``Renditions.still()``); ``None`` without an image."""
    if not image:
        return None
    return renditions_of(image).still()
