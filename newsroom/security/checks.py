"""System checks for a production start: what a single machine needs beyond Django's own deploy checks."""

from django.conf import settings
from django.core import checks

# Caches every process of a deployment shares; a local-memory or dummy cache is one per process.
SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
)


@checks.register(checks.Tags.caches)
def check_shared_cache(app_configs, **kwargs):
    """Without a shared cache, each gunicorn worker counts the API throttle on its own (limit × workers)."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] in SHARED_CACHES:
        return []
    return [
        checks.Warning(
            "The default cache is not shared between processes: each worker counts API requests "
            "on its own (the partner limit times the number of workers) and keeps its own response cache.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for production.",
            id="newsroom.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    """Feeds, sitemaps, social cards and the API link to NEWSROOM_BASE_URL: in production, the public https origin."""
    if settings.NEWSROOM_BASE_URL.startswith("https://"):
        return []
    return [
        checks.Warning(
            f"NEWSROOM_BASE_URL is {settings.NEWSROOM_BASE_URL!r}: every absolute URL in feeds, sitemaps, "
            "structured data and the partner API starts with it.",
            hint="Set NEWSROOM_BASE_URL to the site's public origin, e.g. https://www.example.org.",
            id="newsroom.W002",
        )
    ]
