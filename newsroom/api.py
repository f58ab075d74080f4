"""The partner API (v1): read-only viewsets on published content, one router, conditional GETs."""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from media_clips.serializers import VideoClipSerializer
from newsroom.api_schema import NinjsDocumentSerializer, read_schema
from newsroom.models import Article, LiveblogLink, Topic, clips_in_published_articles
from newsroom.ninjs import article_ninjs
from newsroom.serializers import (
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    LiveblogLinkSerializer,
    TopicSerializer,
)

MAX_PAGE_SIZE = 100


class Pagination(CursorPagination):
    """Newest first; cursors stay valid while articles are added, at constant cost at any depth."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-publish_at", "-id")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": [f"Erwartet eine ganze Zahl von 1 bis {MAX_PAGE_SIZE}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's decoding, plus a check of the position: a forged ``p=`` is a 404 like any bad cursor."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            value = field.to_python(cursor.position)
        except DjangoValidationError:
            raise NotFound(self.invalid_cursor_message) from None
        if value is None or (isinstance(value, dt.datetime) and timezone.is_naive(value)):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Die Position in der Liste, wie sie in `next` oder `previous` steht; "
                "nicht selbst bauen. Ein ungültiger Cursor ergibt 404.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Einträge pro Seite, 1 bis {MAX_PAGE_SIZE} (Standard {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": self.page_size},
            },
        ]


class IdPagination(Pagination):
    ordering = ("-id",)


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


class ArticleFilter(filters.FilterSet):
    topic = filters.CharFilter(method="filter_topic", help_text="Slug eines Themas, z. B. `ukraine`.")
    kind = filters.ChoiceFilter(choices=Article.Kind.choices, help_text="Format: faq, explainer, news, analysis.")
    updated_since = filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text="Nur Artikel, die seit diesem Zeitpunkt geändert wurden (ISO 8601, z. B. 2026-01-06T10:00:00+01:00).",
    )
    search = filters.CharFilter(method="filter_search", help_text="Suchbegriff in Titel, Dachzeile, Teaser, Fragen.")

    class Meta:
        model = Article
        fields = ("topic", "kind", "updated_since", "search")

    def filter_updated_since(self, queryset, name, value):
        # Real offsets lie within ±14 hours; the database refuses larger ones (a 500, not a
        # 400). In UTC the value is what every database understands.
        offset = value.utcoffset()
        try:
            if offset is not None and abs(offset) > dt.timedelta(hours=14):
                raise OverflowError
            since = value.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError(
                {"updated_since": ["Zeitpunkt außerhalb des gültigen Bereichs (Zeitzone höchstens ±14:00)."]}
            ) from None
        # Going live counts as a change: publishing does not touch updated_at.
        return queryset.filter(Q(updated_at__gte=since) | Q(publish_at__gte=since))

    def filter_topic(self, queryset, name, value):
        if not Topic.objects.with_published_articles().filter(slug=value).exists():
            raise ValidationError({"topic": [f"Unbekanntes Thema „{value}“. Erwartet der Slug eines Themas."]})
        return queryset.filter(topic__slug=value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching_questions = Article.objects.filter(faq_items__question__icontains=value).values("pk")
        return queryset.filter(
            Q(title__icontains=value)
            | Q(topline__icontains=value)
            | Q(teaser__icontains=value)
            | Q(pk__in=matching_questions)
        )


class ArticleFilterBackend(filters.DjangoFilterBackend):
    """Bad filter values are a 400 that names the parameter (``Ungültiger Parameter „kind“ …``)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        return filterset.qs


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


def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON too (route ``re_path(r"^api/", not_found)`` after the API)."""
    return JsonResponse({"detail": "Nicht gefunden."}, status=404)


router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("clips", ClipViewSet, basename="clip")
router.register("topics", TopicViewSet, basename="topic")
router.register("liveblog-links", LiveblogLinkViewSet, basename="liveblog-link")
