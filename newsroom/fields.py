"""Model fields shared by Newsroom's apps."""

from django import forms
from django.db import models
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from newsroom.richtext import ALLOWED_URL_SCHEMES, sanitize_html
from newsroom.text import strip_control_characters

# The editor's toolbar: exactly the markup the allow-list keeps (newsroom.richtext), so that
# what an editor can make is what is stored. Links take http(s), mailto and site paths.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
}


class RichTextWidget(AdminProseEditorWidget):
    """The editor with its toolbar named in German and its editing area named after the label."""

    @property
    def media(self):
        return super().media + forms.Media(js=["newsroom-admin/rich-text.js"])


class RichTextFormField(ProseEditorFormField):
    """The form side of rich text: a WYSIWYG editor (ProseMirror, assets shipped in the package).

    The editor is convenience; the model field's sanitising stays the boundary.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": RICH_TEXT_EXTENSIONS})
        kwargs.setdefault("sanitize", sanitize_html)
        kwargs["widget"] = RichTextWidget
        super().__init__(*args, **kwargs)


class ControlCharacterFreeMixin:
    """Text stored without control characters, whichever path writes it (like ``SanitizedHTMLField``)."""

    def pre_save(self, model_instance, add):
        value = strip_control_characters(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(strip_control_characters(value), connection)

    def to_python(self, value):
        return strip_control_characters(super().to_python(value))


class PlainCharField(ControlCharacterFreeMixin, models.CharField):
    """A line of editor text: a title, a caption, an alt text."""


class PlainTextField(ControlCharacterFreeMixin, models.TextField):
    """Editor text of several lines, without markup: a teaser, a note."""


class SanitizedHTMLField(models.TextField):
    """A text field that stores only allow-listed HTML, whichever path writes it.

    Cleaning happens on the way to the database (``save()``, ``bulk_create()`` and
    ``QuerySet.update()`` all pass through ``get_db_prep_save``), so the admin, the
    importer, the API and the shell cannot store anything else.
    """

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(sanitize_html(value), connection)

    def clean(self, value, model_instance):
        return super().clean(sanitize_html(value), model_instance)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})
