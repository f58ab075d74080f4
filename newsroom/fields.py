"""Model fields shared by Newsroom's apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from newsroom.richtext import ALLOWED_URL_SCHEMES, safe_link, sanitize_html
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

    def deconstruct(self):
        # The column is Django's own (migrations see a CharField or TextField): the cleaning is
        # behaviour, not schema, and SQLite would otherwise rebuild each table (and drop its triggers).
        name, path, args, kwargs = super().deconstruct()
        return name, self.schema_path, args, kwargs


class PlainCharField(ControlCharacterFreeMixin, models.CharField):
    """A line of editor text: a title, a caption, an alt text."""

    schema_path = "django.db.models.CharField"


class PlainTextField(ControlCharacterFreeMixin, models.TextField):
    """Editor text of several lines, without markup: a teaser, a note."""

    schema_path = "django.db.models.TextField"


def validate_link_target(value):
    """An absolute http(s) URL or a path on this site; nothing else is a link target."""
    message = "Bitte eine Adresse mit https:// oder einen Pfad mit / angeben."
    if not safe_link(value, schemes={"http", "https"}):
        raise ValidationError(message, code="invalid")
    if not value.startswith("/"):
        URLValidator(schemes=["http", "https"], message=message)(value)


class LinkField(PlainCharField):
    """A link target (``validate_link_target``), refused on every save path: forms, ``save()``,
    ``bulk_create()`` and ``QuerySet.update()`` alike."""

    default_validators = [validate_link_target]

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        if value not in self.empty_values:
            try:
                self.run_validators(value)
            except ValidationError as error:
                raise ValidationError({self.name: error.messages}) from None
        return value


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
