"""The FAQ items' admin inline; ``newsroom.admin.articles`` places it on the article form."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from faq.models import FAQItem, anchor_for
from newsroom.richtext import formatted


class FAQItemInlineForm(forms.ModelForm):
    class Meta:
        model = FAQItem
        fields = ("position", "question", "answer", "clip", "anchor")

    def clean(self):
        cleaned_data = super().clean()
        question = (cleaned_data.get("question") or "").strip()
        if question and not cleaned_data.get("anchor"):
            # The model fills a blank anchor too, but only after the formset has compared
            # the cleaned anchors: two new questions with blank anchors would count as duplicates.
            cleaned_data["anchor"] = anchor_for(question)
        return cleaned_data


class FAQItemInlineFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        # Duplicates within the submitted forms get the same German message as the
        # database constraint, instead of Django's generic "correct the duplicate data".
        for constraint in self.model._meta.total_unique_constraints:
            if tuple(constraint.fields) == tuple(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    form = FAQItemInlineForm
    formset = FAQItemInlineFormSet
    fieldsets = (
        (None, {"fields": ("position", "question", "answer", "clip")}),
        (
            # The technical anchor, folded away: it is made from the question.
            "Sprungmarke",
            {
                "classes": ("collapse",),
                "fields": ("anchor",),
                "description": "Wird aus der Frage gebildet, wenn das Feld leer bleibt. Nur ändern, "
                "wenn ein bestehender Link auf diese Frage weiter funktionieren soll.",
            },
        ),
    )
    readonly_fields = ("answer_formatted",)
    autocomplete_fields = ("clip",)
    ordering = ("position", "id")
    extra = 0

    def get_fieldsets(self, request, obj=None):
        parent = self.admin_site._registry.get(self.parent_model)
        editable = self.has_change_permission(request, obj) and (
            obj is None or parent is None or parent.has_change_permission(request, obj)
        )
        if editable:
            return self.fieldsets
        # Read only: the answer formatted, as the page shows it, rather than its markup.
        return [
            (name, {**options, "fields": tuple("answer_formatted" if f == "answer" else f for f in options["fields"])})
            for name, options in self.fieldsets
        ]

    @admin.display(description="Antwort")
    def answer_formatted(self, item):
        return formatted(item.answer)
