"""Inline rows in the order the editor puts them, not by typed numbers.

``OrderedInlineMixin`` goes first among an inline's bases. Its position field is a hidden input
(``data-inline-position``, named after the rows) that ``static/newsroom-admin/ordering.js``
renumbers when a row is dragged or moved with "Nach oben" / "Nach unten". On save the
formset numbers the rows 0, 1, 2 … again in the order of the submitted positions (rows
without one, e.g. added without the script, go last, in the form's order), so positions
stay unique whatever arrives, and a row whose place changed counts as changed (it is saved
and named in the revision comment).
"""

import functools

from django import forms

ORDERING_SCRIPT = "newsroom-admin/ordering.js"


class PositionField(forms.IntegerField):
    """The hidden position: what changes a row's place is the renumbering, not the field."""

    def has_changed(self, initial, data):
        # An added row left empty must stay empty (and be skipped), whatever number it carries.
        return False


class OrderedFormSetMixin:
    position_field = "position"

    def clean(self):
        super().clean()
        rows = [
            (index, form)
            for index, form in enumerate(self.forms)
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]

        def submitted_order(row):
            index, form = row
            position = form.cleaned_data.get(self.position_field)
            return (position is None, position or 0, index)

        for number, (_index, form) in enumerate(sorted(rows, key=submitted_order)):
            form.cleaned_data[self.position_field] = number
            setattr(form.instance, self.position_field, number)
            if form.initial.get(self.position_field) != number and self.position_field not in form.changed_data:
                form.changed_data.append(self.position_field)


@functools.cache
def ordered(formset_class):
    return type(f"Ordered{formset_class.__name__}", (OrderedFormSetMixin, formset_class), {})


class OrderedInlineMixin:
    position_field = "position"

    @property
    def media(self):
        return super().media + forms.Media(js=[ORDERING_SCRIPT])

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the rows' order says it all, a number would only puzzle.
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != self.position_field)})
            for name, options in fieldsets
        ]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formset", ordered(self.formset))
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == self.position_field:
            noun = str(self.model._meta.verbose_name)
            return PositionField(
                required=False,
                min_value=0,
                widget=forms.HiddenInput(attrs={"data-inline-position": noun}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
