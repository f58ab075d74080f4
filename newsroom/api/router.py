"""The partner API's one router, and its JSON 404 for unknown paths."""

from django.http import JsonResponse
from rest_framework.routers import DefaultRouter

from newsroom.api.views import ArticleViewSet, ClipViewSet, LiveblogLinkViewSet, TopicViewSet


def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON too (route ``re_path(r"^api/", not_found)`` after the API)."""
    return JsonResponse({"detail": "Nicht gefunden."}, status=404)


router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("clips", ClipViewSet, basename="clip")
router.register("topics", TopicViewSet, basename="topic")
router.register("liveblog-links", LiveblogLinkViewSet, basename="liveblog-link")
