"""The IPTC ninjs 3.2 rendition of an article, as the partner API serves it."""

import mimetypes
import re
from html import unescape
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.utils.html import escape, strip_tags

from newsroom.broadcasts import broadcast_note_lines
from newsroom.dates import iso_datetime
from newsroom.richtext import safe_link

NINJS_STANDARD = {
    "name": "ninjs",
    "version": "3.2",
    # The schema's own ``$id``, fragment included, as the 3.x schema's examples write it.
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.2.json#",
}
LANGUAGE = "de"

# IPTC has no "Explainer" genre; Background ("context, definition and detail") is the
# closest code for FAQ and explainer pieces. Scheme: http://cv.iptc.org/newscodes/genre/
GENRE_SCHEME = "http://cv.iptc.org/newscodes/genre/"
GENRES = {
    "faq": "Background",
    "explainer": "Background",
    "news": "Current",
    "analysis": "Analysis",
}

# Content types by file extension; ``mimetypes`` knows the rest, but its answers for
# these differ between platforms (e.g. HLS playlists, WebP).
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/x-mpegURL",
    ".mpd": "application/dash+xml",
}

_RELATIVE_HREF = re.compile(r'href="/(?!/)')
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|ul|ol|h2)>", re.IGNORECASE)


def embargoed_ninjs(article, *, base_url):
    """The document of a scheduled article for a partner it is released to, embargoed until its go-live.

    ninjs 3.2's ``embargoedUntil`` is the go-live: before it the partner may prepare but not
    show the article. ``pubStatus`` stays ``usable`` (IPTC: the embargo says when, the status
    whether at all).
    """
    document = article_ninjs(article, base_url=base_url)
    document["embargoedUntil"] = _timestamp(article.publish_at)
    return document


def article_ninjs(article, *, base_url):
    """The ninjs 3.2 document (a JSON-serialisable dict) for ``article``.

    ``article`` comes from ``Article.objects.for_page()``: nothing here queries the
    database. Callers decide visibility (``Article.objects.published()``); the
    document always says ``pubStatus: usable``. ``base_url`` is the site's origin,
    e.g. ``https://news.example.org``, and turns paths into absolute URLs.
    """
    base_url = base_url.rstrip("/")
    body = _body_html(article, base_url)
    plain = _plain_text(body)
    document = {
        "standard": dict(NINJS_STANDARD),
        "uri": base_url + article.get_absolute_url(),
        "type": "text",
        "language": LANGUAGE,
        "pubStatus": "usable",
        "firstCreated": _timestamp(article.date_published or article.created_at),
        "versionCreated": _timestamp(article.updated_at),
        # The page's topline ("Dachzeile") is a headline of its own; ninjs leaves
        # headline roles to the provider, "topline" is the newsroom's name for it.
        "headlines": _non_empty(
            [
                {"role": "main", "value": article.title},
                {"role": "topline", "value": article.topline},
            ]
        ),
        "descriptions": _non_empty([{"role": "teaser", "contentType": "text/plain", "value": article.teaser}]),
        "bodies": [
            {
                # "html" as in IPTC's dpa example; counts are of the visible text.
                "role": "html",
                "contentType": "text/html",
                "charCount": len(plain),
                "wordCount": len(plain.split()),
                "value": body,
            }
        ]
        if body
        else [],
        "infoSources": [{"name": article.source, "role": "source"}] if article.source else [],
        "subjects": _subjects(article, base_url),
        "genres": _genres(article),
        "associations": _associations(article, base_url),
    }
    if article.unpublish_at:
        # Partners must take the item down when the page goes offline.
        document["expires"] = _timestamp(article.unpublish_at)
    return {key: value for key, value in document.items() if value not in (None, "", [], {})}


def _body_html(article, base_url):
    """The page's running text: intro, questions and answers, liveblog pointers, source, broadcast note."""
    blocks = []
    if article.intro:
        blocks.append(_absolute_links(article.intro, base_url))
    for item in article.faq_items.all():
        blocks.append(f'<h2 id="{escape(item.anchor)}">{escape(item.question)}</h2>')
        if item.answer:
            blocks.append(_absolute_links(item.answer, base_url))
    for placement in article.liveblog_placements.all():
        link = placement.liveblog_link
        if placement.lead_in:
            blocks.append(f"<p>{escape(placement.lead_in)}</p>")
        # The lead-in ends in a colon: the card it introduces follows as a link.
        label = escape(f"{link.topline}: {link.title}")
        if href := safe_link(link.url):
            blocks.append(f'<p><a href="{escape(_absolute(href, base_url))}">{label}</a></p>')
        else:
            blocks.append(f"<p>{label}</p>")
    if article.source:
        blocks.append(f"<p>Quelle: {escape(article.source)}</p>")
    blocks += [f"<p>{escape(line)}</p>" for line in broadcast_note_lines(article)]
    return "\n".join(blocks)


def _subjects(article, base_url):
    topic = article.topic
    if topic is None:
        return []
    return [{"name": topic.name, "uri": base_url + topic.get_absolute_url(), "literal": topic.slug}]


def _genres(article):
    code = GENRES.get(article.kind)
    if code is None:
        return []
    return [{"name": code, "uri": GENRE_SCHEME + code}]


def _associations(article, base_url):
    """One nested ninjs object per clip, in page order, named after its first place on the page."""
    names = {}
    for slot, row, clip in article.clip_placements():
        names.setdefault(clip.pk, f"{slot.name}-{row.anchor}" if slot.owner_field else slot.name)
    return [_clip_ninjs(clip, names[clip.pk], base_url) for clip in article.clips()]


def _clip_ninjs(clip, name, base_url):
    descriptions = [{"role": "caption", "contentType": "text/plain", "value": clip.description}]
    if clip.credit:
        descriptions.append({"role": "creditline", "contentType": "text/plain", "value": clip.credit})
    association = {
        "name": name,
        "uri": f"{base_url}/api/v1/clips/{clip.pk}/",
        "type": "video",
        "language": LANGUAGE,
        "headlines": _non_empty([{"role": "main", "value": clip.title}]),
        "descriptions": _non_empty(descriptions),
        "firstCreated": _timestamp(clip.published_at),
        "versionCreated": _timestamp(clip.updated_at),
        "renditions": _renditions(clip, base_url),
    }
    return {key: value for key, value in association.items() if value not in (None, "", [], {})}


def _renditions(clip, base_url):
    """The poster still and the video; the clip's length always rides on one of them.

    ninjs has no alt-text field. The alt text describes the poster image (not the
    video), so it goes into that rendition's ``title``, next to the ``href`` a
    partner puts into ``<img src>``. ``duration`` (seconds) is a rendition property:
    it belongs to the video; a clip without a playable video carries it on the
    poster, which stands in for the clip as on the page ("1:46 min" under the still).
    """
    duration = _seconds(clip.duration)
    renditions = []
    poster = None
    if clip.poster:
        poster = _with_content_type({"name": "poster", "href": _absolute(clip.poster_url, base_url)})
        if clip.poster_alt:
            poster["title"] = clip.poster_alt
        if clip.poster_width and clip.poster_height:
            poster["width"] = clip.poster_width
            poster["height"] = clip.poster_height
        renditions.append(poster)
    source = clip.video_source
    if source:
        video = _with_content_type({"name": "video", "href": _absolute(source, base_url)})
        if duration is not None:
            video["duration"] = duration
        renditions.append(video)
    elif duration is not None:
        if poster is not None:
            poster["duration"] = duration
        else:
            renditions.append({"name": "video", "duration": duration})
    return renditions


def _with_content_type(rendition):
    path = urlsplit(rendition["href"]).path.lower()
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix) or mimetypes.guess_type(path)[0]
    if content_type:
        rendition["contentType"] = content_type
    return rendition


def _absolute(url, base_url):
    """``/media/x.jpg`` → ``https://news.example.org/media/x.jpg``; absolute URLs stay as they are."""
    if urlsplit(url).scheme:
        return url
    if url.startswith("//"):
        return urlsplit(base_url).scheme + ":" + url
    return base_url + ("" if url.startswith("/") else "/") + url


def _absolute_links(html, base_url):
    """Site-relative links in sanitised rich text, made absolute so they work on partner sites."""
    return _RELATIVE_HREF.sub(lambda match: f'href="{base_url}/', html)


def _plain_text(html):
    return " ".join(unescape(strip_tags(_BLOCK_END.sub(" ", html))).split())


def _timestamp(value):
    """RFC 3339 with the newsroom's offset, e.g. ``2026-01-06T09:00:00+01:00``."""
    return iso_datetime(value) if value is not None else None


def _seconds(duration):
    if duration is None:
        return None
    seconds = duration.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _non_empty(items):
    return [item for item in items if item.get("value")]
