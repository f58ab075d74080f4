"""The partner API's read-only viewsets on published content, with conditional GETs."""

import hashlib

from django.db.models import Max
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from media_clips.serializers import VideoClipSerializer
from newsroom.api.filters import ArticleFilter, ArticleFilterBackend
from newsroom.api.ninjs import article_ninjs
from newsroom.api.pagination import IdPagination, Pagination
from newsroom.api.schema import NinjsDocumentSerializer, read_schema
from newsroom.api.serializers import (
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    LiveblogLinkSerializer,
    TopicSerializer,
)
from newsroom.models import Article, LiveblogLink, Topic, clips_in_published_articles


class ConditionalMixin:
    """ETag and Last-Modified on every GET, and 304 for a matching revalidation.

    Any path segment reaches the view as ``pk`` (DRF's default stops at a dot), so a
    malformed id such as ``1.5`` gets the API's JSON 404 rather than the site's HTML page.

    The ETag hashes the JSON representation itself, so it changes whenever anything
    in it changes (an answer, a caption), and never otherwise. Last-Modified is the
    latest ``updated_at`` involved; for lists also the latest visibility change, so an
    article going live or away counts even though nothing was saved.
    """

    lookup_value_regex = "[^/]+"

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.last_modified = self.list_last_modified()
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response.last_modified = self.object_last_modified(instance)
        return response

    def list_last_modified(self):
        own = self.get_queryset().aggregate(last=Max("updated_at"))["last"]
        return max((stamp for stamp in (own, Article.objects.last_visibility_change()) if stamp), default=None)

    def object_last_modified(self, instance):
        return instance.updated_at

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if getattr(response, "accepted_renderer", None) and response.accepted_renderer.format != "json":
            return response  # the browsable API for staff
        body = JSONRenderer().render(response.data)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        last_modified = getattr(response, "last_modified", None)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        if last_modified:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        conditional = get_conditional_response(
            request._request,
            etag=etag,
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )
        if conditional is not response:
            for header in ("Vary", "Cache-Control"):
                conditional[header] = response[header]
        return conditional


@extend_schema_view(
    list=read_schema(
        "Veröffentlichte Artikel",
        ArticleSummarySerializer(many=True),
        description="Eine Seite veröffentlichter Artikel, neueste zuerst; weiter mit dem Link in `next`.",
        is_list=True,
    ),
    retrieve=read_schema("Ein Artikel mit allem, was auf seiner Seite steht", ArticleDetailSerializer),
)
class ArticleViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles only: anything else is a 404, never a 403."""

    pagination_class = Pagination
    filter_backends = (ArticleFilterBackend,)
    filterset_class = ArticleFilter

    def get_queryset(self):
        published = Article.objects.published()
        if self.action == "list":
            return published.select_related("topic", "hero_clip")
        return published.for_page()

    def get_serializer_class(self):
        return ArticleSummarySerializer if self.action == "list" else ArticleDetailSerializer

    def list_last_modified(self):
        stamps = (
            Article.objects.last_visibility_change(),
            Article.objects.published().aggregate(last=Max("hero_clip__updated_at"))["last"],
        )
        return max((stamp for stamp in stamps if stamp), default=None)

    def object_last_modified(self, article):
        return article.page_last_modified

    @read_schema(
        "Der Artikel als IPTC ninjs 3.2",
        NinjsDocumentSerializer,
        description="Ein ninjs-3.2-Dokument (application/json); vollständiges Schema bei der IPTC.",
    )
    @action(detail=True, url_path="ninjs", url_name="ninjs")
    def ninjs(self, request, pk=None):
        article = self.get_object()
        response = Response(article_ninjs(article, base_url=request.build_absolute_uri("/").rstrip("/")))
        response.last_modified = self.object_last_modified(article)
        return response


@extend_schema_view(
    list=read_schema("Clips in veröffentlichten Artikeln", VideoClipSerializer(many=True), is_list=True),
    retrieve=read_schema("Ein Clip", VideoClipSerializer),
)
class ClipViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A clip is reachable only while a published article uses it."""

    serializer_class = VideoClipSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        return clips_in_published_articles()


@extend_schema_view(
    list=read_schema("Themen", TopicSerializer(many=True), is_list=True),
    retrieve=read_schema("Ein Thema", TopicSerializer),
)
class TopicViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Topics with at least one published article; a topic made for a draft stays hidden."""

    serializer_class = TopicSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        return Topic.objects.with_published_articles()


@extend_schema_view(
    list=read_schema("Liveblog-Karten in veröffentlichten Artikeln", LiveblogLinkSerializer(many=True), is_list=True),
    retrieve=read_schema("Eine Liveblog-Karte", LiveblogLinkSerializer),
)
class LiveblogLinkViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = LiveblogLinkSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        return LiveblogLink.objects.in_published_articles()
