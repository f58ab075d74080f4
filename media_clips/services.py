"""Writing image renditions to storage and recording them on the model that owns the image."""

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile

from media_clips.fields import renditions_field_for
from media_clips.renditions import EXTENSIONS, FORMATS, make_renditions, oriented_size, rendition_sizes

FOLDER = "renditions"


@dataclass
class StoredRenditions:
    renditions: list = field(default_factory=list)  # what the model stores: one dict per file
    written: list = field(default_factory=list)  # names of the files this call wrote


def rendition_name(source_name, digest, width, format_key):
    """``renditions/<stem>-<hash8>-<width>w.<ext>``: the same source always yields the same name."""
    stem = PurePath(source_name).stem[:80] or "bild"
    return f"{FOLDER}/{stem}-{digest}-{width}w.{EXTENSIONS[format_key]}"


def ensure_renditions(image_field):
    """Make the renditions of ``image_field`` that storage lacks; describe all of them.

    Idempotent: names derive from the source's name and content hash, and a file
    already in storage is neither rendered nor written again.
    """
    if not image_field:
        return StoredRenditions()
    with image_field.open("rb") as source:
        data = source.read()
    digest = hashlib.sha256(data).hexdigest()[:8]
    storage = image_field.storage

    def describe(width, height, key):
        return {
            "name": rendition_name(image_field.name, digest, width, key),
            "width": width,
            "height": height,
            "format": key,
        }

    # Fast path without decoding pixels: the names follow from the source's size alone.
    planned = [describe(w, h, key) for w, h in rendition_sizes(oriented_size(data)) for key, *_ in FORMATS]
    if all(storage.exists(entry["name"]) for entry in planned):
        for entry in planned:
            entry["bytes"] = storage.size(entry["name"])  # feeds announce enclosure sizes
        return StoredRenditions(renditions=planned)
    result = StoredRenditions()
    for rendition in make_renditions(data):
        entry = describe(rendition.width, rendition.height, rendition.format)
        entry["bytes"] = len(rendition.content)
        result.renditions.append(entry)
        if storage.exists(entry["name"]):
            continue
        saved = storage.save(entry["name"], ContentFile(rendition.content))
        if saved != entry["name"]:
            # Another process wrote the same rendition meanwhile and storage kept ours
            # under a new name; the content is identical, so the copy goes.
            storage.delete(saved)
            continue
        result.written.append(entry["name"])
    return result


def store_renditions(image_field):
    """The renditions of ``image_field`` as a list of dicts (name, width, height, format, bytes), made if needed."""
    return ensure_renditions(image_field).renditions


def renditions_refresh(*, obj, field_name, save=True):
    """(Re)make the renditions of ``obj.<field_name>`` and record them in its ``RenditionsField``.

    Called wherever an image is written (admin, importer, demo, ``make_renditions``),
    never from ``save()`` or a signal. Saves only that field, and only when it changed.
    Returns the names of the files written.
    """
    image = getattr(obj, field_name)
    attribute = renditions_field_for(image).attname
    stored = ensure_renditions(image)
    if stored.renditions != getattr(obj, attribute):
        setattr(obj, attribute, stored.renditions)
        if save:
            obj.save(update_fields=[attribute])
    return stored.written


def delete_renditions(renditions, storage):
    """Remove the files of ``renditions`` (e.g. when the write that made them rolled back)."""
    for entry in renditions:
        storage.delete(entry["name"])


def image_delete(image_field):
    """Remove an image file together with the renditions recorded for it on its model."""
    try:
        renditions = getattr(image_field.instance, renditions_field_for(image_field).attname) or []
    except LookupError:
        renditions = []  # an image without recorded renditions
    delete_renditions(renditions, image_field.storage)
    image_field.storage.delete(image_field.name)
