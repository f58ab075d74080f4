"""``manage.py make_renditions``: make the missing renditions of every clip poster and liveblog image.

A backfill for images stored before renditions existed, or whose rendition files went
missing. Idempotent: a second run writes nothing and says so.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from media_clips.fields import renditions_fields
from media_clips.services import renditions_refresh


def rendition_targets():
    """(model, image field name, renditions attribute) for every image with a ``RenditionsField``.

    The field declares which image it belongs to (``VideoClip.poster``, ``LiveblogLink.image``),
    so media_clips needs no import of the apps that use it.
    """
    for model in apps.get_models():
        for source, field in renditions_fields(model).items():
            yield model, source, field.attname


class Command(BaseCommand):
    help = "Erzeugt fehlende Bildvarianten (WebP/JPEG, 16:9) für Clip-Vorschaubilder und Liveblog-Bilder."

    def handle(self, *args, **options):
        files = objects = 0
        for model, field_name, attribute in rendition_targets():
            noun = model._meta.verbose_name
            for obj in model.objects.exclude(**{field_name: ""}).order_by("pk").iterator():
                before = getattr(obj, attribute)
                written = renditions_refresh(obj=obj, field_name=field_name)
                if not written and getattr(obj, attribute) == before:
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
