"""Security headers beyond Django's own: the Content-Security-Policy's per-surface parts, Permissions-Policy.

The policy itself is ``CONTENT_SECURITY_POLICY`` (django-csp, settings): on public pages
scripts come only from this site (no inline script runs: JSON-LD is a data block, which a
policy does not govern and which therefore needs no nonce; a nonce would not fit pages that
the response cache and Varnish serve to many readers anyway). The admin and the API's
Swagger UI are built from libraries that set inline styles and ``data:`` images, so those
two surfaces allow them (still no inline script without the request's nonce).
"""

from csp.constants import UNSAFE_INLINE

# Powerful browser features no Newsroom page uses; video fullscreen stays with the site.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"
RELAXED_PREFIXES = ("/admin/", "/api/docs/")
RELAXED = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]}


class SecurityHeadersMiddleware:
    """After ``csp.middleware.CSPMiddleware`` in ``MIDDLEWARE``, so its additions reach the policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(RELAXED_PREFIXES):
            response._csp_update = {**RELAXED, **(getattr(response, "_csp_update", None) or {})}
        return response
