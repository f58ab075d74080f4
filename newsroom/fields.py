"""Model fields shared by Newsroom's apps."""

from django.db import models

from newsroom.richtext import sanitize_html


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
