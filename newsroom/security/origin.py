"""The site's one canonical origin: every absolute URL Newsroom writes starts with ``NEWSROOM_BASE_URL``.

Feeds, sitemaps, structured data, social cards, preview links and the partner API all build
their absolute URLs here, never from the request: the ``Host`` header (and its port) is what
a client chooses, and a page cached behind a proxy would otherwise hand that choice to every
reader after it.
"""

from urllib.parse import urlsplit

from django.conf import settings

_ABSOLUTE_SCHEMES = ("http://", "https://", "mailto:")


def base_url():
    """``https://www.example.org``: the configured origin, without a trailing slash."""
    return settings.NEWSROOM_BASE_URL


def absolute_url(url):
    """``/nachrichten/…`` → ``https://www.example.org/nachrichten/…``; absolute URLs pass unchanged.

    A protocol-relative URL (``//cdn.example.org/…``, from a storage) gets the origin's scheme.
    """
    if not url:
        return url
    if url.lower().startswith(_ABSOLUTE_SCHEMES):
        return url
    origin = base_url()
    if url.startswith("//"):
        return f"{urlsplit(origin).scheme}:{url}"
    return origin + ("" if url.startswith("/") else "/") + url
