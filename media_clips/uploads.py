"""A file chosen in an admin form that comes back with errors stays chosen.

A browser cannot refill a file input, so an upload would be lost at the first validation
error: the editor would have to find the file again, or would save the rest unaware that
the poster is missing. ``KeepsUploadsForm`` keeps each uploaded file in the default storage
under ``kept-uploads/`` and carries its signed name in a field of the form; the next
submission takes it unless the editor chooses another file or clears the field. The name is
signed, so a forged one cannot reach any other file; kept files are deleted when the form
is saved, and those of forms nobody sent again after a day.
"""

import datetime as dt
import mimetypes
import posixpath
import uuid

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename

FOLDER = "kept-uploads"
MAX_AGE = dt.timedelta(days=1)
_SALT = "media_clips.uploads.kept"


def kept_name(token):
    """The storage name a token stands for, or ``None`` (forged, too old, or empty)."""
    if not token:
        return None
    try:
        name = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return name if isinstance(name, str) and name.startswith(f"{FOLDER}/") else None


class KeptUploadWidget(forms.HiddenInput):
    """The signed name in a hidden input and, for the editor, a sentence naming the kept file."""

    # A plain attribute (HiddenInput's is a property): the form shows the row when it keeps a file.
    is_hidden = True

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        kept = kept_name(value)
        if kept is None:
            return hidden
        return format_html(
            '{}<span class="help kept-upload">„{}“ ist gewählt und wird beim Sichern übernommen '
            "(eine andere Datei wählen, um sie zu ersetzen).</span>",
            hidden,
            posixpath.basename(kept),
        )


class KeptUploadField(forms.CharField):
    widget = KeptUploadWidget

    def __init__(self, **kwargs):
        super().__init__(required=False, label=kwargs.pop("label", "Gewählte Datei"), **kwargs)


class KeepsUploadsForm(forms.ModelForm):
    """A ModelForm whose file fields in ``kept_uploads`` (``{"poster": "poster_kept"}``) survive errors.

    Each carrying field is a ``KeptUploadField`` declared on the form and shown beside its file field.
    """

    kept_uploads = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = {}
        if self.is_bound:
            self._take_kept_files()

    def _take_kept_files(self):
        files = self.files.copy()
        for field, carrier in self.kept_uploads.items():
            if files.get(self.add_prefix(field)) or self.data.get(f"{self.add_prefix(field)}-clear"):
                continue  # a new choice, or "Zurücksetzen", wins
            name = kept_name(self.data.get(self.add_prefix(carrier)))
            if name is None or not default_storage.exists(name):
                continue
            with default_storage.open(name) as stored:
                content = stored.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            files[self.add_prefix(field)] = SimpleUploadedFile(posixpath.basename(name), content, content_type)
            self._kept[field] = name
        self.files = files

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._keep_uploads()

    def _keep_uploads(self):
        data = self.data.copy()
        for field, carrier in self.kept_uploads.items():
            upload = self.files.get(self.add_prefix(field))
            if not upload or field in self._errors:
                data[self.add_prefix(carrier)] = ""  # nothing to keep, or a file the field refused
                continue
            name = self._kept.get(field)
            if name is None:
                _sweep()
                upload.seek(0)
                safe = get_valid_filename(posixpath.basename(upload.name)) or "datei"
                name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}/{safe}", upload)
                self._kept[field] = name
            data[self.add_prefix(carrier)] = signing.dumps(name, salt=_SALT)
            self.fields[carrier].widget.is_hidden = False
        self.data = data

    def save(self, commit=True):
        saved = super().save(commit)
        # The file's content is in memory (and then in its own place): the kept copy has done its job.
        for name in self._kept.values():
            default_storage.delete(name)
        self._kept = {}
        return saved


def _sweep():
    """Delete the kept files of forms nobody sent again within ``MAX_AGE``."""
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - MAX_AGE
    for folder in folders:
        path = f"{FOLDER}/{folder}"
        for file in default_storage.listdir(path)[1]:
            if default_storage.get_modified_time(f"{path}/{file}") < cutoff:
                default_storage.delete(f"{path}/{file}")
