"""Edit-conflict protection for the article form: the second of two concurrent saves is refused.

The form carries the ``updated_at`` it was loaded with. If the article changed in the
meantime, saving is refused with a message naming who changed it and when; everything
the editor typed (the article and all inlines) stays in the form, and the form now
carries the newer version, so a second click on "Sichern" saves deliberately.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from newsroom.admin.base import admin_url
from newsroom.dates import format_date, format_time

TOKEN_FIELD = "loaded_version"


def version_token(article):
    return article.updated_at.isoformat() if article.pk and article.updated_at else ""


def _difference_url(current, loaded):
    """A comparison of the state the editor loaded with the current one.

    The loaded state is the newest revision begun before the editor's copy was saved
    (reversion dates a revision from the start of its save); failing that, the revision
    before the newest; without revisions, the article's history page.
    """
    from reversion.models import Version

    versions = list(Version.objects.get_for_object(current).select_related("revision")[:50])
    loaded_at = parse_datetime(loaded) if loaded else None
    before = next((v for v in versions if loaded_at and v.revision.date_created <= loaded_at), None)
    if before is None and len(versions) > 1:
        before = versions[1]
    if before is None:
        return admin_url(current._meta, "history", current.pk)
    return admin_url(current._meta, "revision_compare", current.pk, query={"from": before.pk})


def _current(article):
    """The article as stored now; inside the save's transaction, locked until the save commits.

    Two saves that both passed the check would both be written, the later silently over the
    earlier. With the row locked from the check to the write, the second save waits for the first
    and then sees its version: it ends in the conflict message. On PostgreSQL the lock is the
    row's (waiting at most ``NEWSROOM_DATABASE_WAIT``); SQLite's transactions take the database's
    write lock when they begin (settings), which serialises the saves the same way.
    """
    articles = type(article).objects.filter(pk=article.pk).select_related("updated_by")
    connection = transaction.get_connection(articles.db)
    if connection.in_atomic_block and connection.features.has_select_for_update:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{settings.NEWSROOM_DATABASE_WAIT}s"])
        articles = articles.select_for_update(of=("self",))
    return articles.first()


class ConflictCheckForm(forms.ModelForm):
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = version_token(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        current = _current(self.instance)
        if current is None:
            raise ValidationError("Dieser Artikel wurde inzwischen gelöscht; Ihre Eingaben lassen sich nicht sichern.")
        loaded = cleaned_data.get(TOKEN_FIELD) or ""
        if loaded != version_token(current):
            # Next time the editor saves on purpose: the form now carries the current version.
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = version_token(current)
            who = (
                current.updated_by.get_full_name() or current.updated_by.get_username() if current.updated_by else None
            )
            history = _difference_url(current, loaded)
            raise ValidationError(
                format_html(
                    "Dieser Artikel wurde inzwischen {} am {} um {} Uhr geändert. Ihre Eingaben sind unten "
                    'erhalten, aber noch nicht gesichert. <a href="{}">Änderungen ansehen</a>, dann prüfen und '
                    "erneut sichern – damit überschreiben Sie die andere Fassung "
                    "(sie bleibt in der Versionsgeschichte).",
                    f"von {who}" if who else "",
                    format_date(current.updated_at),
                    format_time(current.updated_at),
                    history,
                ),
                code="edit_conflict",
            )
        return cleaned_data


class ConflictCheckAdminMixin:
    """Puts the hidden version field into the form and the first fieldset."""

    form = ConflictCheckForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if fieldsets and TOKEN_FIELD not in fieldsets[0][1]["fields"]:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": (*options["fields"], TOKEN_FIELD)})
        return fieldsets
