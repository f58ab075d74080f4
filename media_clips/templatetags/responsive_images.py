"""``{% picture %}``, ``{% video_still %}`` and ``{% clip_figure %}``: a clip's markup from its recorded renditions.

They read the renditions through ``media_clips.fields.renditions_of``, which uses only what
was loaded with the object: no storage access beyond ``storage.url()``, which builds a string.
The markup is built here rather than by template includes: an article page shows half a
dozen clips, and an include per clip was the biggest part of rendering it.
"""

from django import template
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from media_clips.fields import renditions_of
from newsroom.dates import format_date, iso_date

register = template.Library()


def _e(value):
    return conditional_escape(value)


def _loading(priority):
    return ' fetchpriority="high" loading="eager"' if priority else ' loading="lazy"'


def picture_html(image, *, alt, css_class, sizes, priority=False):
    """A ``<picture>`` (WebP sources, JPEG ``<img>`` with ``srcset``) or, without renditions, the plain image.

    ``priority`` marks the page's main image (the hero): fetched early and eagerly; every
    other image loads lazily.
    """
    renditions = renditions_of(image)
    still = renditions.still()
    common = f' alt="{_e(alt)}"'
    if renditions.of_format("jpeg"):
        webp = renditions.srcset("webp")
        source = f'<source type="image/webp" srcset="{_e(webp)}" sizes="{_e(sizes)}">' if webp else ""
        return mark_safe(  # every value escaped above or here
            f'<picture>{source}<img class="{_e(css_class)}" src="{_e(still.url)}" '
            f'srcset="{_e(renditions.srcset("jpeg"))}" sizes="{_e(sizes)}"{common} '
            f'width="{_e(still.width)}" height="{_e(still.height)}"{_loading(priority)} decoding="async"></picture>'
        )
    size = f' width="{_e(still.width)}" height="{_e(still.height)}"' if still.width and still.height else ""
    return mark_safe(  # every value escaped
        f'<img class="{_e(css_class)}" src="{_e(still.url)}"{common}{size}{_loading(priority)} decoding="async">'
    )


@register.simple_tag
def picture(image, *, alt, css_class, sizes, priority=False):
    return picture_html(image, alt=alt, css_class=css_class, sizes=sizes, priority=priority)


@register.simple_tag
def video_still(image):
    """The still for ``<video poster>`` (``Renditions.still()``); ``None`` without an image."""
    if not image:
        return None
    return renditions_of(image).still()


def _video(clip):
    still = video_still(clip.poster)
    size = f' width="{_e(still.width)}" height="{_e(still.height)}"' if still and still.width and still.height else ""
    poster = f' poster="{_e(still.url)}"{size}' if still else ""
    kind = f' type="{_e(clip.video_type)}"' if clip.video_type else ""
    image = (
        f'<img class="clip__poster" src="{_e(still.url)}" alt="{_e(clip.poster_alt)}"{size} loading="lazy" '
        'decoding="async">'
        if still
        else ""
    )
    source = _e(clip.video_source)
    return (
        f'<video class="clip__video" controls preload="none"{poster} aria-label="{_e(clip.title)}">\n'
        f'<source src="{source}"{kind}>\n'
        f"{image}\n"
        f'<p class="clip__play"><a href="{source}">Video ansehen<span class="visually-hidden">: {_e(clip.title)}'
        "</span></a></p>\n"
        "</video>\n"
    )


@register.simple_tag
def clip_figure(clip, *, hero=False):
    return clip_figure_html(clip, hero=hero)


def clip_figure_html(clip, *, hero=False):
    """A clip as the page shows it: video or poster, caption, and the meta line ``06.01.2026 | 1:46 min``.

    Remembered by everything the markup is made of (``_figure_key``): a clip appears on many
    pages and in every FAQ, and its figure only changes when the clip does.
    """
    key = _figure_key(clip, hero)
    if key is None:
        return _figure(clip, hero)
    html = _FIGURES.get(key)
    if html is None:
        if len(_FIGURES) >= _FIGURES_LIMIT:
            _FIGURES.clear()
        html = _FIGURES[key] = _figure(clip, hero)
    return html


_FIGURES = {}
_FIGURES_LIMIT = 5_000


def _figure_key(clip, hero):
    """The clip's stored values, where its files are served from and the time zone; ``None``: not rememberable.

    Files in a storage other than the local file system (signed, expiring object-storage URLs)
    are asked for their URLs every time, so such a figure is built every time.
    """
    meta = clip._meta
    storages = [meta.get_field(name).storage for name in ("poster", "video_file")]
    if not all(isinstance(storage, FileSystemStorage) for storage in storages):
        return None
    values = repr([clip.__dict__.get(field.attname) for field in meta.concrete_fields])
    zone = timezone.get_current_timezone_name()
    return (hero, values, zone, *(storage.base_url for storage in storages))


def _figure(clip, hero):
    if clip.video_source:
        media = _video(clip)
    elif clip.poster:
        media = (
            picture_html(
                clip.poster,
                alt=clip.poster_alt,
                css_class="clip__poster",
                sizes="(min-width: 52rem) 52rem, 100vw",
                priority=hero,
            )
            + "\n"
        )
    else:
        media = ""
    day = clip.published_on
    return mark_safe(  # every value escaped above or here
        f'<figure class="clip{" clip--hero" if hero else ""}">\n'
        f"{media}"
        '<figcaption class="clip__caption">\n'
        f'<p class="clip__text">{_e(clip.description)}</p>\n'
        f'<p class="clip__meta"><time datetime="{iso_date(day)}">{format_date(day)}</time> '
        '<span class="clip__sep" aria-hidden="true">|</span> '
        f'<time datetime="{_e(clip.duration_iso)}">{_e(clip.duration_display)}</time></p>\n'
        "</figcaption>\n"
        "</figure>\n"
    )
