"""Shareable previews: signed, expiring links that show any article as readers will see it.

A link is ``/vorschau/<token>/``. The token is ``django.core.signing`` output (HMAC with
the secret key and a salt used for nothing else) over the article's id and creation time,
stamped with the time it was made. Nothing is stored: the signature is the only gate, so
the view starts from ``load_page(pk, published=False)``, not ``published()``, and shows the
article's current saved state, whatever its status.

- A link works for ``NEWSROOM_PREVIEW_MAX_AGE`` seconds (48 hours by default) after it was
  made. After that it answers **410 Gone**: the link existed and has ended for good (a new
  link is a new address), and the page tells the reader to ask the newsroom for a new one.
- A tampered or truncated token, one signed for another purpose (another salt), or a link
  to an article that no longer exists answers **404** with the same "ungültig" page: it does
  not reveal whether an article was there.
- The creation time in the token ties the link to that one article: should an id ever be
  used again (a restored or re-created database), an old link does not show the new article.

Every preview response is ``Cache-Control: no-store, private`` (no ETag, no 304: nothing on
the way may keep a draft) and ``X-Robots-Tag: noindex, nofollow``. The page carries no
canonical link, no JSON-LD and no Open Graph tags, so nothing points search engines or link
unfurlers at a page that is not public yet; robots.txt disallows ``/vorschau/`` as well.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from newsroom.dates import format_timestamp
from newsroom.models import Article, load_page
from newsroom.security.origin import absolute_url
from newsroom.views import article_page_context

SALT = "newsroom.preview"


class InvalidPreviewToken(Exception):
    """The token was not made by ``preview_token`` (or was changed since)."""


class ExpiredPreviewToken(Exception):
    """The token is genuine but older than ``NEWSROOM_PREVIEW_MAX_AGE``."""


def max_age():
    return dt.timedelta(seconds=settings.NEWSROOM_PREVIEW_MAX_AGE)


def _created_stamp(article):
    # Whole seconds: short in the URL, and identical whichever database stored it.
    return int(article.created_at.timestamp())


def preview_token(article):
    """A new signed token for ``article``; it works until ``preview_expires_at(token)``."""
    return signing.TimestampSigner(salt=SALT).sign_object([article.pk, _created_stamp(article)])


def _issued_at(token):
    # The signer checked the signature, so the timestamp (the middle part) is genuine.
    stamp = signing.b62_decode(token.rsplit(":", 2)[1])
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def preview_expires_at(token):
    """When a (genuine) token stops working: made + ``NEWSROOM_PREVIEW_MAX_AGE``."""
    return _issued_at(token) + max_age()


def read_preview_token(token):
    """``(article_id, created_stamp)`` of a genuine, current token.

    Raises ``ExpiredPreviewToken`` or ``InvalidPreviewToken``; a tampered token is always
    invalid, never merely expired (the signature is checked before the age).
    """
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise ExpiredPreviewToken from exc
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidPreviewToken from exc
    match payload:
        case [int(pk), int(created)]:
            return pk, created
    raise InvalidPreviewToken


def preview_url(article):
    """The absolute preview link for ``article`` (on the configured origin) and when it expires."""
    token = preview_token(article)
    return absolute_url(reverse("newsroom:preview", args=[token])), preview_expires_at(token)


def preview_status(article):
    """The status line of the banner: the editors' status, and whether readers see it yet."""
    label = article.get_status_display()
    state = article.state
    if state == Article.State.LIVE:
        return f"{label}, online"
    if state == Article.State.SCHEDULED:
        return f"{label}, geplant für {format_timestamp(article.publish_at)}"
    if state == Article.State.EXPIRED:
        return f"{label}, nicht mehr online"
    return label


def _private(response):
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _link_error(request, *, expired):
    status = 410 if expired else 404
    return _private(render(request, "newsroom/preview_error.html", {"expired": expired}, status=status))


@require_safe
def preview(request, token):
    """The article behind a preview link, as readers will see it, under a preview banner."""
    try:
        pk, created = read_preview_token(token)
    except ExpiredPreviewToken:
        return _link_error(request, expired=True)
    except InvalidPreviewToken:
        return _link_error(request, expired=False)
    # No published() here: the signed token is the gate, and drafts are what previews are for.
    article = load_page(pk, published=False)
    if article is None or _created_stamp(article) != created:
        return _link_error(request, expired=False)
    context = {
        **article_page_context(article),
        "preview": True,
        "preview_status": preview_status(article),
        "preview_expires_at": preview_expires_at(token),
    }
    return _private(render(request, "newsroom/article_detail.html", context))
