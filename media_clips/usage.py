"""Where clips are used: the places ("slots") that other apps declare, and queries over them.

media_clips knows nothing of articles. The app that places clips declares its slots once
(``newsroom.models.CLIP_SLOTS``) and registers them when it is ready (``register_slots``);
the clip admin's "Verwendet in", its usage count and the protection of used clips read
that declaration through the functions below. Models are named by label and fetched from
the app registry, so nothing here imports the declaring app.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class ClipSlot:
    """One place a clip can be shown, e.g. the hero clip of an article or the clip after an answer.

    ``model`` holds the foreign key ``field`` to the clip. ``owner_lookup`` is the path from
    the owning page (the article) to the clip, for queries over owners; ``owner_field`` the
    path from a row of ``model`` to its owner ("" when the row is the owner). ``label`` is
    shown to editors; ``{row}`` in it is replaced by the row (e.g. the question).
    """

    name: str
    label: str
    model: str
    field: str
    owner_lookup: str
    owner_field: str = ""

    def model_class(self):
        return apps.get_model(self.model)

    def owner_of(self, row):
        return getattr(row, self.owner_field) if self.owner_field else row

    def rows_of(self, owner):
        """The rows of this slot on ``owner``: the owner itself, or its related rows (prefetched ones reused)."""
        if not self.owner_field:
            return [owner]
        return getattr(owner, self.owner_lookup.split("__", 1)[0]).all()

    def describe(self, row):
        return self.label.format(row=row)


_owner_model = None
_slots = ()


def register_slots(owner_model, slots):
    """Declare the owner model (``"app.Model"``) and its clip slots, in page order."""
    global _owner_model, _slots
    _owner_model, _slots = owner_model, tuple(slots)


def clip_slots():
    return _slots


def owner_model():
    """The model whose objects use clips (the article), or ``None`` when no app declared one."""
    return apps.get_model(_owner_model) if _owner_model else None


def owners_using(clip):
    """The owners (articles) that show ``clip`` (a pk, an instance or an ``OuterRef``) in any slot."""
    model = owner_model()
    if model is None or not _slots:
        raise LookupError("No app has declared clip slots (media_clips.usage.register_slots).")
    condition = Q()
    for slot in _slots:
        condition |= Q(**{slot.owner_lookup: clip})
    return model._default_manager.filter(condition)


def usage_places(clip):
    """``[(owner, ["Aufmacher-Clip", "nach der Frage „…“"]), …]``: where ``clip`` is shown, by owner."""
    places = {}
    for slot in _slots:
        rows = slot.model_class()._default_manager.filter(**{slot.field: clip})
        if slot.owner_field:
            rows = rows.select_related(slot.owner_field)
        for row in rows:
            places.setdefault(slot.owner_of(row), []).append(slot.describe(row))
    return sorted(places.items(), key=lambda entry: entry[0].pk)
