"""The partner API (v1): read-only access to published content for partner organisations.

The URLs are ``newsroom.api.router.router``; ``not_found`` (the JSON 404 under ``/api/``),
the viewsets and ``article_ninjs`` are re-exported here so callers keep short imports. They are resolved on first use:
Django REST framework imports ``newsroom.api.auth`` and ``newsroom.api.errors`` from
the settings while it is still loading, and an eager import of the viewsets here would
import DRF's views in the middle of that.
"""

import importlib

_EXPORTS = {
    "not_found": "newsroom.api.router",
    "ArticleViewSet": "newsroom.api.views",
    "ClipViewSet": "newsroom.api.views",
    "TopicViewSet": "newsroom.api.views",
    "LiveblogLinkViewSet": "newsroom.api.views",
    "article_ninjs": "newsroom.api.ninjs",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
