"""Template tags for what search engines, social networks and feed readers read: JSON-LD, meta, URLs."""

from django import template
from django.templatetags.static import static
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from media_clips.templatetags.responsive_images import clip_figure_html
from newsroom import dates, richtext
from newsroom.dates import iso_datetime
from newsroom.security.origin import absolute_url as canonical_url
from newsroom.structured_data import (
    LOGO_PATH,
    LOGO_SIZE,
    article_structured_data,
    date_modified,
    json_ld_text,
)

register = template.Library()


@register.simple_tag
def absolute_url(path):
    """``/nachrichten/…`` → ``https://www.example.org/nachrichten/…``: the configured origin, never the Host header."""
    return canonical_url(path)


@register.filter
def safe_link(value):
    """A link target a page may render (``newsroom.richtext.safe_link``), else "": ``{% with href=url|safe_link %}``."""
    return richtext.safe_link(value)


@register.filter(is_safe=True)
def json_ld(data):
    """One ``<script type="application/ld+json">`` element; editor text cannot close it."""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(json_ld_text(data)))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """Every JSON-LD object of the explainer page, one script element each."""
    objects = article_structured_data(article, canonical_url)
    return format_html_join("\n", "{}", ((json_ld(data),) for data in objects))


@register.simple_tag
def faq_items(article):
    """The questions and answers of an article page, each a ``<section>`` with its clip (markup built here).

    Answers are stored sanitised (``SanitizedHTMLField``), so they go in as they are; everything
    else is escaped.
    """
    parts = []
    for item in article.faq_items.all():
        clip = clip_figure_html(item.clip) if item.clip_id else ""
        parts.append(
            '\n<section class="faq-item">\n'
            f'<h2 class="faq-item__question" id="{escape(item.anchor)}">{escape(item.question)}</h2>\n'
            f'<div class="faq-item__answer richtext">{item.answer}</div>\n'
            f"{clip}\n</section>\n"
        )
    return mark_safe("".join(parts))  # the answers are sanitised HTML, the rest escaped


@register.filter
def w3c_datetime(value):
    """W3C datetime with the Berlin offset, as sitemaps want it: ``2026-01-06T10:31:00+01:00``."""
    return iso_datetime(value) if value else ""


@register.filter
def german_date(value):
    """``06.01.2026`` (``newsroom.dates.format_date``)."""
    return dates.format_date(value) if value else ""


@register.filter
def german_timestamp(value):
    """``06.01.2026, 09:15 Uhr`` (``newsroom.dates.format_timestamp``)."""
    return dates.format_timestamp(value) if value else ""


@register.filter
def iso_date(value):
    """``2026-01-06`` for ``<time datetime>``."""
    return dates.iso_date(value) if value else ""


@register.inclusion_tag("shared/social_meta.html", takes_context=True)
def social_meta(context, kind, title, description, path, clip=None, article=None):
    """Open Graph and Twitter card tags; the clip's poster is the image, else the site logo.

    With ``article`` (loaded by ``for_page()``), also its publication and change times.
    """
    absolute = canonical_url
    if clip is not None and clip.poster:
        still = clip.poster_still
        image = {
            "url": absolute(still.url),
            "width": still.width,
            "height": still.height,
            "alt": clip.poster_alt,
            "large": True,
        }
    else:
        width, height = LOGO_SIZE
        image = {
            "url": absolute(static(LOGO_PATH)),
            "width": width,
            "height": height,
            "alt": f"Logo von {context.get('site_name', '')}",
            "large": False,
        }
    return {
        "site_name": context.get("site_name", ""),
        "kind": kind,
        "title": title,
        "description": description,
        "url": absolute(path),
        "image": image,
        "published": iso_datetime(article.date_published) if article else "",
        "modified": iso_datetime(date_modified(article)) if article else "",
    }
