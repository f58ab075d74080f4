"""Cursor pagination for the partner API: stable under inserts, constant cost at any depth."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from newsroom.security.origin import absolute_url

MAX_PAGE_SIZE = 100


class Pagination(CursorPagination):
    """Newest first; cursors stay valid while articles are added, at constant cost at any depth."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-publish_at", "-id")
    invalid_cursor_message = "Ungültiger Cursor: bitte nur den Link aus „next“ oder „previous“ verwenden."

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
        page = super().paginate_queryset(queryset, request, view)
        # `next` and `previous` on the configured origin, not the request's Host header.
        self.base_url = absolute_url(request.get_full_path())
        return page

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


class ChangesPagination(Pagination):
    """The changes feed: oldest first, so a partner that keeps its last ``next`` misses nothing."""

    ordering = ("seq",)
    page_size = 100
