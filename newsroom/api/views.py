"""The partner API's read-only viewsets on published content, with conditional GETs and a response cache.

Each GET first works out its stamp (``newsroom.caching.stamps``: a few index probes, after
authentication and throttling, which DRF has done by then). A matching ``If-None-Match`` or
``If-Modified-Since`` is a 304 without serialising anything; a document the cache holds for
this stamp is served as stored; otherwise the data is serialised and rendered once, stored
and sent. The browsable API for staff is never cached.
"""

import hashlib

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from media_clips.serializers import VideoClipSerializer
from newsroom.api.filters import ArticleFilter, ArticleFilterBackend, parse_since
from newsroom.api.ninjs import article_ninjs, embargoed_ninjs
from newsroom.api.pagination import ChangesPagination, IdPagination, Pagination
from newsroom.api.revalidation import answering_revalidations
from newsroom.api.schema import NinjsDocumentSerializer, query_parameters, read_schema
from newsroom.api.serializers import (
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    ChangeSerializer,
    LiveblogLinkSerializer,
    TopicSerializer,
)
from newsroom.caching import article_stamp, listing_stamp, not_modified, surrogate_keys
from newsroom.caching.responses import cache_key, enabled, store, stored
from newsroom.dates import iso_datetime
from newsroom.models import (
    Article,
    ArticleDeletion,
    ArticleEvent,
    LiveblogLink,
    PartnerAPIKey,
    Topic,
    clips_in_published_articles,
    load_page,
)
from newsroom.security.origin import base_url

API_CACHE_CONTROL = "private, no-cache"
# DRF varies on Accept (two renderers); the API's documents also differ by credentials.
_VARY = ("Accept", "Authorization", "Cookie")
_VARY_HEADER = ", ".join(_VARY)
_MAX_ID_DIGITS = 18


def _valid_pk(pk):
    """An id as the database takes it; anything else (``1.5``, ``abc``, 30 digits) is a 404."""
    if not (str(pk).isascii() and str(pk).isdigit() and len(str(pk)) <= _MAX_ID_DIGITS):
        raise NotFound("Nicht gefunden.")
    return int(pk)


class ConditionalMixin:
    """ETag and Last-Modified on every GET from the stamp, 304 for a matching revalidation, cached documents.

    Any path segment reaches the view as ``pk`` (DRF's default stops at a dot), so a
    malformed id such as ``1.5`` gets the API's JSON 404 rather than the site's HTML page.
    """

    lookup_value_regex = "[^/]+"
    stamp_kind = "api"
    unstamped_actions = ()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return answering_revalidations(super().as_view(actions, **initkwargs), cls, actions or {})

    def revalidation_stamp(self, action, kwargs, **beside):
        """The stamp a GET of ``action`` answers with (``newsroom.api.revalidation`` asks before DRF runs).

        ``beside`` (a ``Beside`` and its ``params``) is read in the stamp's query, see ``listing_stamp``.
        """
        if action in self.unstamped_actions:
            return None  # answered by DRF every time
        if action == "list":
            return self.list_stamp(**beside)
        pk = _valid_pk(kwargs[self.lookup_url_kwarg or self.lookup_field])
        if action == "retrieve":
            return self.object_stamp(pk, **beside)
        return self.action_stamp(action, pk, **beside)

    def action_stamp(self, action, pk, **beside):
        return None  # an extra action without a stamp of its own: DRF answers it

    def finalize_revalidation(self, response, stamp):
        """A 304 from ``newsroom.api.revalidation`` with the headers ``respond()`` and DRF would give it.

        ``not_modified()`` has set the validators already; the API's caching and Vary differ.
        """
        response["Cache-Control"] = API_CACHE_CONTROL
        if "Vary" in response:
            patch_vary_headers(response, _VARY)
        else:
            response["Vary"] = _VARY_HEADER
        return response

    def list_stamp(self, **beside):
        return listing_stamp(f"{self.stamp_kind}-list", content=True, **beside)

    def object_stamp(self, pk, **beside):
        return listing_stamp(f"{self.stamp_kind}-detail", content=True, **beside)

    def list(self, request, *args, **kwargs):
        return self.respond(
            request, self.list_stamp(), lambda: super(ConditionalMixin, self).list(request, *args, **kwargs)
        )

    def retrieve(self, request, *args, **kwargs):
        pk = _valid_pk(kwargs[self.lookup_url_kwarg or self.lookup_field])

        def build():
            return Response(self.get_serializer(self.get_object()).data)

        return self.respond(request, self.object_stamp(pk), build)

    def respond(self, request, stamp, build):
        """The response for ``stamp``: 304, the stored document, or ``build()`` rendered once and stored."""
        if stamp is None:
            raise NotFound("Nicht gefunden.")
        if request.accepted_renderer.format != "json":
            return build()  # the browsable API for staff: never cached
        unchanged = not_modified(request._request, stamp)
        if unchanged is not None:
            return self._headers(unchanged, stamp)
        key = cache_key(request._request, stamp, kind=f"{self.stamp_kind}-json")
        response = stored(key) if enabled() else None
        if response is None:
            built = build()
            response = HttpResponse(JSONRenderer().render(built.data), content_type="application/json")
            surrogate_keys(response, *stamp.keys)
            if enabled():
                store(key, response)
        return self._headers(response, stamp)

    @staticmethod
    def _headers(response, stamp):
        response["ETag"] = stamp.etag
        if stamp.last_modified is not None:
            response["Last-Modified"] = http_date(stamp.last_modified.timestamp())
        response["Cache-Control"] = API_CACHE_CONTROL
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, _VARY)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            response.setdefault("Cache-Control", API_CACHE_CONTROL)
        return response


@extend_schema_view(
    list=read_schema(
        "Veröffentlichte Artikel",
        ArticleSummarySerializer(many=True),
        description="Eine Seite veröffentlichter Artikel, neueste zuerst; weiter mit dem Link in `next`.",
        is_list=True,
    ),
    retrieve=read_schema("Ein Artikel mit allem, was auf seiner Seite steht", ArticleDetailSerializer, gone=True),
)
class ArticleViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles only (and, for a partner, what is embargoed for it): anything else is a 404, never a 403."""

    pagination_class = Pagination
    filter_backends = (ArticleFilterBackend,)
    filterset_class = ArticleFilter
    unstamped_actions = ("changes",)
    embargo = False  # answering with what is embargoed for this partner (never cached, never shared)

    def get_queryset(self):
        articles = Article.objects.visible_to(self.partner()) if self.embargo else Article.objects.published()
        if self.action == "list":
            return articles.select_related("topic", "hero_clip")
        return articles.for_page()

    def partner(self):
        auth = getattr(self.request, "auth", None)
        return auth.partner if isinstance(auth, PartnerAPIKey) else None

    def embargoed(self, pk=None):
        """Whether this partner has an embargoed article (``pk``, or any): one index probe."""
        partner = self.partner()
        if partner is None:
            return False
        articles = Article.objects.embargoed_for(partner)
        return (articles.filter(pk=pk) if pk is not None else articles).exists()

    def list(self, request, *args, **kwargs):
        if not self.embargoed():
            return super().list(request, *args, **kwargs)
        # Embargoed articles are in this partner's list only: built for it, never stored.
        self.embargo = True
        return self.private(request, super(ConditionalMixin, self).list(request, *args, **kwargs))

    @staticmethod
    def private(request, built):
        """A document for this partner alone (embargo, changes): ETag of its bytes, 304 on a match, not stored."""
        if request.accepted_renderer.format != "json" or built.status_code != 200:
            return built
        content = JSONRenderer().render(built.data)
        etag = f'"p-{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(content, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = API_CACHE_CONTROL
        return response

    def get_object(self):
        """One published article with all its page shows (``load_page``: the same rows as ``for_page()``)."""
        article = load_page(
            _valid_pk(self.kwargs[self.lookup_url_kwarg or self.lookup_field]), published=not self.embargo
        )
        if article is None:
            raise NotFound("Nicht gefunden.")
        self.check_object_permissions(self.request, article)
        return article

    def get_serializer_class(self):
        return ArticleSummarySerializer if self.action == "list" else ArticleDetailSerializer

    stamp_kind = "article"

    def list_stamp(self, **beside):
        return listing_stamp("api-articles", keys=("listing", "api"), **beside)

    def object_stamp(self, pk, **beside):
        return article_stamp(pk, kind="api-article", **beside)

    @read_schema(
        "Der Artikel als IPTC ninjs 3.2",
        NinjsDocumentSerializer,
        description="Ein ninjs-3.2-Dokument (application/json); vollständiges Schema bei der IPTC.",
        gone=True,
    )
    @action(detail=True, url_path="ninjs", url_name="ninjs")
    def ninjs(self, request, pk=None):
        def build():
            article = self.get_object()
            if self.embargo:
                return Response(embargoed_ninjs(article, base_url=base_url()))
            return Response(article_ninjs(article, base_url=base_url()))

        return self.respond(request, self.action_stamp("ninjs", _valid_pk(pk)), build)

    def action_stamp(self, action, pk, **beside):
        return article_stamp(pk, kind="api-ninjs", **beside) if action == "ninjs" else None

    def respond(self, request, stamp, build):
        # No stamp: not published now. Embargoed for this partner: built for it alone, uncached.
        # An article partners may have shown is 410 with its tombstone.
        if stamp is None and "pk" in self.kwargs:
            pk = _valid_pk(self.kwargs["pk"])
            if self.embargoed(pk):
                self.embargo = True
                return self.private(request, build())
            if (gone := self.withdrawn_embargo(pk) or tombstone(pk)) is not None:
                response = Response(gone, status=410)
                response["Cache-Control"] = API_CACHE_CONTROL
                return response
        return super().respond(request, stamp, build)

    def withdrawn_embargo(self, pk):
        """The tombstone of an embargo this partner was told of and that was withdrawn before its go-live, or ``None``.

        Only the partner that held the text hears of it; for everyone else the id never was public (404).
        """
        partner = self.partner()
        if partner is None:
            return None
        # What this partner heard last about it; an event for everyone since (a go-live) supersedes the withdrawal.
        latest = (
            ArticleEvent.objects.filter(Q(partner=None) | Q(partner=partner), article_id=pk).order_by("-seq").first()
        )
        if latest is None or latest.partner_id != partner.pk:
            return None
        if latest.type not in (ArticleEvent.Type.UNPUBLISHED, ArticleEvent.Type.DELETED):
            return None
        return latest.payload["data"]["tombstone"]

    @read_schema(
        "Änderungen in zeitlicher Reihenfolge",
        ChangeSerializer(many=True),
        description="Veröffentlicht, geändert, zurückgezogen, gelöscht (und für Sie vorab freigegeben), ältestes "
        "zuerst: so entfernt ein Partner, der abfragt, zurückgezogene Artikel. Dieselben Ereignisse, dieselben IDs "
        "wie bei den Webhooks. Weiter mit dem Link in `next`; den letzten `next` merken und später wieder abrufen.",
        is_list=True,
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Nur Ereignisse ab diesem Zeitpunkt (ISO 8601, z. B. 2026-01-06T10:00:00+01:00).",
            ),
            *query_parameters(ChangesPagination()),
        ],
        operation_id="articles_changes_list",
    )
    @action(
        detail=False, url_path="changes", url_name="changes", filter_backends=(), pagination_class=ChangesPagination
    )
    def changes(self, request):
        events = ArticleEvent.objects.all()
        partner = self.partner()
        events = events.filter(Q(partner=None) | Q(partner=partner)) if partner else events.filter(partner=None)
        raw = request.query_params.get("since")
        if raw is not None:
            events = events.filter(occurred_at__gte=parse_since(raw, "since"))
        page = self.paginate_queryset(events)
        response = self.private(request, self.get_paginated_response(ChangeSerializer(page, many=True).data))
        if page:
            response["Last-Modified"] = http_date(max(event.occurred_at for event in page).timestamp())
        return response


def tombstone(pk):
    """``{"id", "status", "since", "detail"}`` of a withdrawn or deleted article; ``None`` if it never was public."""
    deleted_at = (
        ArticleDeletion.objects.filter(article_id=pk, was_public=True)
        .order_by("-deleted_at")
        .values_list("deleted_at", flat=True)
        .first()
    )
    if deleted_at is not None:
        detail = "Dieser Artikel wurde gelöscht. Bitte aus Ihrem Angebot entfernen."
        return {"id": pk, "status": "deleted", "since": iso_datetime(deleted_at), "detail": detail}
    row = Article.objects.withdrawn().filter(pk=pk).values("updated_at", "unpublish_at").first()
    if row is None:
        return None
    ended = row["unpublish_at"] if row["unpublish_at"] and row["unpublish_at"] <= timezone.now() else None
    since = max(filter(None, (row["updated_at"], ended)))
    detail = "Dieser Artikel ist nicht mehr veröffentlicht. Bitte aus Ihrem Angebot entfernen."
    return {"id": pk, "status": "withdrawn", "since": iso_datetime(since), "detail": detail}


@extend_schema_view(
    list=read_schema("Clips in veröffentlichten Artikeln", VideoClipSerializer(many=True), is_list=True),
    retrieve=read_schema("Ein Clip", VideoClipSerializer),
)
class ClipViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A clip is reachable only while a published article uses it."""

    serializer_class = VideoClipSerializer
    pagination_class = IdPagination
    stamp_kind = "clip"

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
    stamp_kind = "topic"

    def get_queryset(self):
        return Topic.objects.with_published_articles()


@extend_schema_view(
    list=read_schema("Liveblog-Karten in veröffentlichten Artikeln", LiveblogLinkSerializer(many=True), is_list=True),
    retrieve=read_schema("Eine Liveblog-Karte", LiveblogLinkSerializer),
)
class LiveblogLinkViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = LiveblogLinkSerializer
    pagination_class = IdPagination
    stamp_kind = "liveblog"

    def get_queryset(self):
        return LiveblogLink.objects.in_published_articles()
