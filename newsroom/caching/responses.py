"""Public responses from their stamp: 304 without rendering, a response cache, headers for the cache in front.

``public_response(stamp_of)`` wraps a public view. Per request it works out the stamp
(``newsroom.caching.stamps``, one query), answers a matching conditional request with 304
at once, serves a stored copy of the response when Django's cache holds one for this
address and this stamp, and only otherwise calls the view. The cache key contains the
ETag, so an edit, a publication, a take-down or a scheduled transition can never be served
stale from it: the next request has a new stamp and misses. Old entries expire (and the
local-memory cache is bounded by its ``MAX_ENTRIES``); Redis holds them when ``REDIS_URL``
is set.

Every response gets ``ETag``, ``Last-Modified``, a ``Cache-Control`` whose shared max-age ends
at the next scheduled change, and an ``xkey`` header with its surrogate keys, by which
``newsroom.caching.purge`` removes it from Varnish when what it shows changes.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from newsroom.caching.early import early_answer
from newsroom.caching.faults import degraded

# Bodies larger than this are not kept (a full sitemap page is well below it).
MAX_CACHED_BYTES = 2 * 1024 * 1024
CACHE_TIMEOUT = 24 * 60 * 60
_STORED_HEADERS = ("Content-Type", "Location", "Content-Language", "X-Robots-Tag")


def surrogate_keys(response, *keys):
    """Add surrogate keys to a response (e.g. the clips an article page shows)."""
    existing = response.headers.get("xkey", "").split()
    response.headers["xkey"] = " ".join(dict.fromkeys([*existing, *keys]))


def finish(response, stamp, *, keys=True):
    """Validators, caching headers and (with ``keys``) the surrogate keys of ``stamp`` on ``response``."""
    response["ETag"] = stamp.etag
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified.timestamp())
    response["Cache-Control"] = stamp.cache_control()
    if keys:
        surrogate_keys(response, *stamp.keys)
    return response


def _unchanged(stamp):
    # No surrogate keys on a 304: a cache that revalidates keeps the headers it stored and takes
    # over those of the 304, and the stored keys also name what the view added (an article's
    # clips and liveblog cards), which the stamp does not know.
    return finish(HttpResponseNotModified(), stamp, keys=False)


def not_modified(request, stamp):
    """A 304 when the request's ``If-None-Match``/``If-Modified-Since`` still hold, else ``None``.

    A failed ``If-Match``/``If-Unmodified-Since`` gives Django's 412.
    """
    meta = request.META
    if (
        meta.get("HTTP_IF_NONE_MATCH") == stamp.etag
        and request.method in ("GET", "HEAD")
        and "HTTP_IF_MATCH" not in meta
        and "HTTP_IF_UNMODIFIED_SINCE" not in meta
    ):
        # The common revalidation: exactly the ETag it was given, no other precondition. The
        # answer is what get_conditional_response() gives, without parsing anything.
        return _unchanged(stamp)
    last_modified = int(stamp.last_modified.timestamp()) if stamp.last_modified else None
    response = get_conditional_response(request, etag=stamp.etag, last_modified=last_modified)
    if response is None:
        return None
    return _unchanged(stamp) if response.status_code == 304 else finish(response, stamp, keys=False)


def cache_key(request, stamp, kind="page"):
    # The path and query, hashed to a short key: absolute links come from the configured origin
    # (newsroom.security.origin), so the Host header cannot make a copy per host or port.
    address = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"newsroom:{kind}:{stamp.etag.strip(chr(34))}:{address}"


def stored(key):
    """The response stored under ``key``, rebuilt, or ``None``."""
    entry = None
    with degraded("response cache"):
        entry = cache.get(key)
    if entry is None:
        return None
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def store(key, response):
    if response.streaming or response.status_code not in (200, 301) or len(response.content) > MAX_CACHED_BYTES:
        return
    headers = {name: response[name] for name in (*_STORED_HEADERS, "xkey") if name in response}
    with degraded("response cache"):
        cache.set(key, (response.status_code, headers, response.content), CACHE_TIMEOUT)


def enabled():
    return settings.NEWSROOM_RESPONSE_CACHE


def public_response(stamp_of):
    """Decorate a public GET view: ``stamp_of(request, *args, **kwargs)`` gives its stamp.

    A matching revalidation is answered before most middleware runs (``newsroom.caching.early``);
    without that middleware the wrapper answers it itself. ``stamp_of`` returning ``None`` means
    the resource is not there (e.g. an unpublished article): the view answers as it does (a 404)
    and nothing is cached. The stamp is passed to the view as ``request.stamp``.
    """

    def decorate(view):
        def early(request, *args, **kwargs):
            # Asked by newsroom.caching.early before most middleware; the view reuses the stamp.
            stamp = request.early_stamp = stamp_of(request, *args, **kwargs)
            return not_modified(request, stamp) if stamp is not None else None

        @early_answer(early)
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "early_asked", False):
                stamp = request.early_stamp  # a revalidation that the middleware did not answer
            else:
                stamp = stamp_of(request, *args, **kwargs)
                if stamp is not None:
                    unchanged = not_modified(request, stamp)
                    if unchanged is not None:
                        return unchanged
            request.stamp = stamp
            if stamp is None:
                return view(request, *args, **kwargs)
            key = cache_key(request, stamp)
            response = stored(key) if enabled() else None
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if enabled():
                    finish(response, stamp)
                    store(key, response)
            return finish(response, stamp)

        return wrapper

    return decorate
