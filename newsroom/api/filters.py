"""The article list's filters (topic, kind, updated_since, search) with named 400s."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Greatest
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

from newsroom.models import Article, Topic
from newsroom.search import matching


def in_utc(value, name):
    """``value`` (an aware datetime) in UTC, what every database understands; a named 400 for an offset beyond ±14 h.

    Real offsets lie within ±14 hours; the database refuses larger ones (a 500, not a 400).
    """
    offset = value.utcoffset()
    try:
        if offset is not None and abs(offset) > dt.timedelta(hours=14):
            raise OverflowError
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValidationError(
            {name: ["Zeitpunkt außerhalb des gültigen Bereichs (Zeitzone höchstens ±14:00)."]}
        ) from None


def parse_since(raw, name):
    """A query parameter's ISO 8601 time as the filters read it (``updated_since``), or a 400 that names it."""
    field = IsoDateTimeField(required=True)
    try:
        value = field.clean(raw)
    except DjangoValidationError:
        value = None
    if value is None:
        raise ValidationError(
            {name: ["Erwartet ein Datum mit Uhrzeit nach ISO 8601, z. B. 2026-01-06T10:00:00+01:00."]}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return in_utc(value, name)


class ArticleFilter(filters.FilterSet):
    topic = filters.CharFilter(method="filter_topic", help_text="Slug eines Themas, z. B. `ukraine`.")
    kind = filters.ChoiceFilter(choices=Article.Kind.choices, help_text="Format: faq, explainer, news, analysis.")
    updated_since = filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text="Nur Artikel, die seit diesem Zeitpunkt geändert wurden (ISO 8601, z. B. 2026-01-06T10:00:00+01:00).",
    )
    search = filters.CharFilter(
        method="filter_search",
        help_text="Suchbegriffe wie in der Suche der Website: jedes Wort in Titel, Dachzeile, Teaser, Einleitung, "
        "Fragen oder Antworten.",
    )

    class Meta:
        model = Article
        fields = ("topic", "kind", "updated_since", "search")

    def filter_updated_since(self, queryset, name, value):
        since = in_utc(value, "updated_since")
        # Going live counts as a change: publishing does not touch updated_at. The expression
        # is the one of the index article_changed_idx.
        return queryset.alias(changed_at=Greatest("updated_at", "publish_at")).filter(changed_at__gte=since)

    def filter_topic(self, queryset, name, value):
        if not Topic.objects.with_published_articles().filter(slug=value).exists():
            raise ValidationError({"topic": [f"Unbekanntes Thema „{value}“. Erwartet der Slug eines Themas."]})
        return queryset.filter(topic__slug=value)

    def filter_search(self, queryset, name, value):
        # The reader search's rule (newsroom.search.matching): same words, same fields, same articles.
        if not value.strip():
            return queryset
        return matching(queryset, value)


class ArticleFilterBackend(filters.DjangoFilterBackend):
    """Bad filter values are a 400 that names the parameter (``Ungültiger Parameter „kind“ …``)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        return filterset.qs
