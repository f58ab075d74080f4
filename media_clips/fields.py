"""The field that records an image's renditions, declared next to the image it belongs to."""

from django.db import models

from media_clips.renditions import Renditions


class RenditionsField(models.JSONField):
    """The renditions of the image field ``source`` on the same model, as a list of entries.

    Each entry: ``name`` (in the image's storage), ``width``, ``height``, ``format`` and
    ``bytes``. Written by ``media_clips.services.renditions_refresh`` wherever an image is
    written, never from ``save()``; read through ``renditions_of(image)``.
    """

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs


def renditions_fields(model):
    """``{image field name: RenditionsField}`` for every image on ``model`` with recorded renditions."""
    return {field.source: field for field in model._meta.concrete_fields if isinstance(field, RenditionsField)}


def renditions_field_for(image):
    """The ``RenditionsField`` of an image (a ``FieldFile``); ``LookupError`` if its model declares none."""
    try:
        return renditions_fields(type(image.instance))[image.field.name]
    except KeyError:
        raise LookupError(f"{type(image.instance).__name__}.{image.field.name} has no RenditionsField.") from None


def renditions_of(image):
    """The ``Renditions`` of an image (a ``FieldFile`` such as ``clip.poster``)."""
    instance, field = image.instance, image.field
    entries = getattr(instance, renditions_field_for(image).attname)
    width = getattr(instance, field.width_field, None) if getattr(field, "width_field", None) else None
    height = getattr(instance, field.height_field, None) if getattr(field, "height_field", None) else None
    return Renditions(image, entries, width=width, height=height)
