"""Saves that meet a busy or briefly unavailable database wait, try again, and never end in a 500.

A save waits for a database that another save holds (``NEWSROOM_DATABASE_WAIT``: SQLite's busy
timeout, PostgreSQL's lock timeout in the conflict check), and one that still fails with a
passing database error (a lock, a lost connection, a serialisation failure) is tried once more
from the start: the whole transaction was rolled back, so nothing is half-saved. If the second
try fails as well, the form comes back with everything the editor entered and a German message
that nothing was saved; if even that page cannot be built, a short page says to go back, where
the browser still holds the input.
"""

import logging
import time

from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connections, router
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

ATTEMPTS = 2
PAUSE = 0.5  # seconds between the tries
UNAVAILABLE = (
    "Die Datenbank war gerade belegt oder nicht erreichbar; Ihre Eingaben sind unten erhalten, aber noch "
    "nicht gesichert. Bitte in einigen Sekunden erneut sichern."
)
_REFUSING = "newsroom_save_refused"

# PostgreSQL error classes that pass: connection exceptions, transaction rollbacks (serialisation
# failure, deadlock), operator intervention (a restart); and a lock that was not granted in time.
_PASSING_CLASSES = ("08", "40", "57")
_PASSING_STATES = ("55P03",)
_PASSING_WORDS = ("database is locked", "database table is locked", "connection", "server closed", "timeout")


def is_passing(error):
    """Whether ``error`` is a database's passing state rather than a fault in the save itself."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    state = getattr(error.__cause__, "sqlstate", None)
    if state:
        return state.startswith(_PASSING_CLASSES) or state in _PASSING_STATES
    message = str(error).lower()
    return any(word in message for word in _PASSING_WORDS)


def _refusing(form_class):
    """``form_class`` whose ``clean()`` refuses the save with the message above, input untouched."""

    def clean(self):
        super(refusing, self).clean()  # the other checks still speak (a conflict, a missing title)
        raise ValidationError(UNAVAILABLE, code="database_unavailable")

    refusing = type(form_class.__name__, (form_class,), {"clean": clean, "__module__": form_class.__module__})
    return refusing


class PatientSaveMixin:
    """Goes first in a ModelAdmin's bases: its add and change saves wait, retry, and keep the input."""

    def add_view(self, request, form_url="", extra_context=None):
        return self._patiently(super().add_view, request, None, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._patiently(super().change_view, request, object_id, form_url, extra_context)

    def _patiently(self, view, request, object_id, form_url, extra_context):
        arguments = (form_url, extra_context) if object_id is None else (object_id, form_url, extra_context)
        if request.method != "POST":
            return view(request, *arguments)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return view(request, *arguments)
            except (OperationalError, InterfaceError) as error:
                if not is_passing(error):
                    raise
                logger.warning(
                    "Save of %s %s failed (try %d of %d): %s", self.opts.label, object_id, attempt, ATTEMPTS, error
                )
                self._forget_broken_connection()
                if attempt < ATTEMPTS:
                    time.sleep(PAUSE)
        return self._refused(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return _refusing(form) if getattr(request, _REFUSING, False) else form

    def _forget_broken_connection(self):
        connection = connections[router.db_for_write(self.model)]
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()

    def _refused(self, request, object_id, form_url, extra_context):
        """The form again, bound to what the editor sent, saying that nothing was saved.

        Built outside a transaction (SQLite's would wait for the write lock again); the refusing
        form is never valid, so nothing is written.
        """
        setattr(request, _REFUSING, True)
        try:
            response = self._changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
            return response
        except DatabaseError as error:
            if not is_passing(error):
                raise
            logger.warning("Form of %s %s could not be shown again: %s", self.opts.label, object_id, error)
            return TemplateResponse(
                request, "admin/newsroom/database_unavailable.html", {"title": "Nicht gesichert"}, status=503
            )
