"""The FAQ items' admin inline; ``newsroom.admin.articles`` places it on the article form."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from faq.models import FAQItem, anchor_for


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
    fields = ("position", "question", "answer", "clip", "anchor")
    autocomplete_fields = ("clip",)
    ordering = ("position", "id")
    extra = 0
