"""Uploaded media served by Django itself: ``/media/`` of the single-machine production (and of development).

``NEWSROOM_SERVE_MEDIA`` (on by default) routes ``MEDIA_URL`` here; a deployment whose web
server or object storage serves the files turns it off. Every answer says ``nosniff``; only
pictures and videos are shown in the browser, anything else is a download that runs nothing
(``Content-Disposition: attachment`` and a policy that allows no content at all). Uploads
kept for a form that came back with errors are the editor's, not the public's: never served.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from media_clips.uploads import FOLDER as KEPT_UPLOADS

# What a browser may show inline: raster pictures and video (SVG can carry script, so it is a download).
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "video/")
HLS_TYPES = ("application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl")
MAX_AGE = 24 * 60 * 60


@require_safe
def media(request, path):
    if path.startswith(f"{KEPT_UPLOADS}/"):
        raise Http404("Nicht gefunden.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if not content_type.startswith(INLINE_TYPES + HLS_TYPES):
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
