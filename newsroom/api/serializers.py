"""Articles, topics and liveblog cards as partners receive them; explicit fields throughout."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from faq.serializers import FAQItemSerializer
from media_clips.serializers import VideoClipSerializer, absolute
from newsroom.api.schema import TombstoneSerializer
from newsroom.broadcasts import broadcast_sentence
from newsroom.dates import iso_datetime
from newsroom.models import Article, ArticleEvent, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic
from newsroom.security.origin import absolute_url


class APILinkField(serializers.HyperlinkedIdentityField):
    """A link to another API document, on the configured origin (``newsroom.security.origin``), not the Host header."""

    def get_url(self, obj, view_name, request, format):
        return absolute_url(super().get_url(obj, view_name, None, format))


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ("id", "name", "slug", "headline", "url")
        read_only_fields = fields  # always present in responses

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, topic) -> str:
        return absolute(topic.get_absolute_url())


class LiveblogImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    # Null when the image file could not be read on upload.
    width = serializers.IntegerField(source="image_width", allow_null=True)
    height = serializers.IntegerField(source="image_height", allow_null=True)
    alt = serializers.CharField(source="image_alt")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link) -> str:
        return absolute(link.image.url)


class LiveblogLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = LiveblogLink
        fields = ("id", "topline", "title", "teaser", "url", "image", "label")
        read_only_fields = fields  # always present in responses

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, link) -> str | None:
        return absolute(link.url)

    @extend_schema_field(LiveblogImageSerializer(allow_null=True))
    def get_image(self, link):
        return LiveblogImageSerializer(link, context=self.context).data if link.image else None


class LiveblogPlacementSerializer(serializers.ModelSerializer):
    liveblog_link = LiveblogLinkSerializer()

    class Meta:
        model = ArticleLiveblogLink
        fields = ("position", "lead_in", "liveblog_link")
        read_only_fields = fields  # always present in responses


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
        "example": "21:45:00",
        "description": "Beginn in deutscher Ortszeit (Europe/Berlin), `HH:MM:SS`, ohne Zeitzonen-Angabe.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time without offset: OpenAPI's ``format: time`` (RFC 3339) would require one."""


class BroadcastMentionSerializer(serializers.ModelSerializer):
    show_name = serializers.CharField()
    starts_at = LocalTimeField()

    class Meta:
        model = BroadcastMention
        fields = ("position", "determiner", "show", "show_name", "aired_on", "starts_at")
        read_only_fields = fields  # always present in responses


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ("slug", "name", "headline")
        read_only_fields = fields  # always present in responses


class ArticleSummarySerializer(serializers.ModelSerializer):
    """The list shape: enough to show a teaser and decide whether to fetch the detail."""

    canonical_url = serializers.SerializerMethodField()
    api_url = APILinkField(view_name="api:article-detail")
    ninjs_url = APILinkField(view_name="api:article-ninjs")
    kicker = serializers.CharField()
    topic = TopicSummarySerializer(allow_null=True)
    hero_clip = VideoClipSerializer(allow_null=True)
    embargoed_until = serializers.SerializerMethodField(
        help_text="Nur bei Artikeln, die für Sie vorab freigegeben sind: vor diesem Zeitpunkt (der Veröffentlichung) "
        "nicht zeigen. Sonst null."
    )

    class Meta:
        model = Article
        fields = (
            "id",
            "canonical_url",
            "api_url",
            "ninjs_url",
            "kind",
            "kicker",
            "topline",
            "title",
            "teaser",
            "topic",
            "hero_clip",
            "first_published_at",
            "updated_at",
            "embargoed_until",
        )
        read_only_fields = fields  # always present in responses

    @extend_schema_field(OpenApiTypes.URI)
    def get_canonical_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_embargoed_until(self, article) -> str | None:
        return iso_datetime(article.publish_at) if article.state == Article.State.SCHEDULED else None


class ArticleFAQItemSerializer(FAQItemSerializer):
    """An FAQ item with the clip shown after its answer."""

    clip = VideoClipSerializer(allow_null=True, read_only=True)

    class Meta(FAQItemSerializer.Meta):
        fields = (*FAQItemSerializer.Meta.fields, "clip")
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSummarySerializer):
    """Everything a partner needs to rebuild the page, in page order."""

    intro_html = serializers.CharField(source="intro")
    intro_clip = VideoClipSerializer(allow_null=True)
    faq_items = ArticleFAQItemSerializer(many=True)
    clips = VideoClipSerializer(many=True)
    liveblog_links = LiveblogPlacementSerializer(many=True, source="liveblog_placements")
    broadcast_mentions = BroadcastMentionSerializer(many=True)
    broadcast_sentence = serializers.SerializerMethodField(
        help_text="Der Satz aus den Sendungshinweisen, wie er auf der Seite steht (leer ohne Sendungshinweise)."
    )
    broadcast_note = serializers.CharField(
        help_text="Weitere Hinweise unter dem Artikel, wörtlich; jede Zeile ein Absatz (oft leer)."
    )

    class Meta(ArticleSummarySerializer.Meta):
        fields = (
            *ArticleSummarySerializer.Meta.fields,
            "intro_html",
            "intro_clip",
            "faq_items",
            "clips",
            "liveblog_links",
            "source",
            "broadcast_mentions",
            "broadcast_sentence",
            "broadcast_note",
        )
        read_only_fields = fields  # always present in responses

    def get_broadcast_sentence(self, article) -> str:
        return broadcast_sentence(article.broadcast_mentions.all(), article.broadcast_form)


class ChangeSerializer(serializers.Serializer):
    """One entry of the changes feed: the event as its webhook tells it, without the ninjs document."""

    id = serializers.UUIDField(help_text="Die Ereignis-ID, dieselbe wie `webhook-id` bei den Webhooks.")
    type = serializers.ChoiceField(
        choices=ArticleEvent.Type.choices,
        help_text="`article.published`, `article.updated`, `article.unpublished`, `article.deleted` oder "
        "`article.embargo` (nur für Sie vorab freigegeben).",
    )
    occurred_at = serializers.DateTimeField(help_text="Wann, ISO 8601.")
    article_id = serializers.IntegerField(help_text="Die ID des Artikels.")
    url = serializers.SerializerMethodField(help_text="Die kanonische Adresse des Artikels.")
    version = serializers.IntegerField(help_text="Zählt je Artikel hoch, mit jedem Ereignis.")
    ninjs_url = serializers.SerializerMethodField(help_text="Das ninjs-Dokument; null bei Rücknahme und Löschung.")
    tombstone = serializers.SerializerMethodField(help_text="Bei Rücknahme und Löschung; sonst null.")
    embargoed_until = serializers.SerializerMethodField(help_text="Bei `article.embargo`: die Sperrfrist; sonst null.")

    class Meta:
        ref_name = "Change"

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event) -> str:
        return event.payload["data"]["url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_ninjs_url(self, event) -> str | None:
        return event.payload["data"].get("ninjs_url")

    @extend_schema_field(TombstoneSerializer(allow_null=True))
    def get_tombstone(self, event):
        return event.payload["data"].get("tombstone")

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_embargoed_until(self, event) -> str | None:
        return event.payload["data"].get("embargoed_until")
