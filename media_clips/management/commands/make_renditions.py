"""``manage.py make_renditions``: make the missing renditions of every clip poster and liveblog image.

A backfill for images stored before renditions existed, or whose rendition files went
missing. Idempotent: a second run writes nothing and says so.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from media_clips.services import renditions_refresh


def rendition_targets():
    """(model, image field name) for every image field with a ``<name>_renditions`` field beside it.

    The naming convention is the contract (``VideoClip.poster``, ``LiveblogLink.image``), so
    media_clips needs no import of the apps that use it.
    """
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ImageField) and f"{field.name}_renditions" in names:
                yield model, field.name


class Command(BaseCommand):
    help = "Erzeugt fehlende Bildvarianten (WebP/JPEG, 16:9) für Clip-Vorschaubilder und Liveblog-Bilder."

    def handle(self, *args, **options):
        files = objects = 0
        for model, field_name in rendition_targets():
            noun = model._meta.verbose_name
            for obj in model.objects.exclude(**{field_name: ""}).order_by("pk").iterator():
                before = getattr(obj, f"{field_name}_renditions")
                written = renditions_refresh(obj=obj, field_name=field_name)
                if not written and getattr(obj, f"{field_name}_renditions") == before:
                    continue
                objects += 1
                files += len(written)
                self.stdout.write(f"{noun} {obj.pk} „{obj}“: {len(written)} Bildvarianten erzeugt")
                for name in written:
                    self.stdout.write(f"  {name}")
        if objects:
            self.stdout.write(self.style.SUCCESS(f"{files} Bildvarianten für {objects} Bilder erzeugt."))
        else:
            self.stdout.write("Alle Bildvarianten sind schon da.")
