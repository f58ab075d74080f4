"""FAQ items: one question, its answer and an optional clip, in the editors' order."""

from django.core.exceptions import ValidationError
from django.db import models

from newsroom.fields import PlainCharField, SanitizedHTMLField
from newsroom.text import german_slugify

ANCHOR_MAX_LENGTH = 100


def anchor_for(question):
    """The default anchor of a question: "Worüber wird beraten?" → ``worueber-wird-beraten``."""
    return german_slugify(question, max_length=ANCHOR_MAX_LENGTH) or "frage"


class FAQItem(models.Model):
    article = models.ForeignKey(
        "newsroom.Article",
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="faq_items",
    )
    position = models.PositiveIntegerField("Position", default=0)
    question = PlainCharField(
        "Frage",
        max_length=300,
        help_text="Als Zwischenüberschrift gezeigt, z. B. „Worüber wird in Paris beraten?“",
    )
    answer = SanitizedHTMLField(
        "Antwort",
        help_text=(
            "Mit der Werkzeugleiste formatieren: fett, kursiv, Links, Aufzählungen und nummerierte Listen. "
            "Eingabetaste beginnt einen neuen Absatz, Umschalt+Eingabe eine neue Zeile."
        ),
    )
    clip = models.ForeignKey(
        "media_clips.VideoClip",
        verbose_name="Clip nach der Antwort",
        on_delete=models.PROTECT,
        related_name="faq_items",
        null=True,
        blank=True,
    )
    anchor = models.SlugField(
        "Sprungmarke",
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        help_text="Leer lassen für einen Vorschlag aus der Frage, z. B. „worueber-wird-in-paris-beraten“.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "Frage"
        verbose_name_plural = "Fragen und Antworten"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "anchor"],
                name="faqitem_anchor_unique_per_article",
                violation_error_message="Diese Sprungmarke gibt es in diesem Artikel schon.",
            ),
            models.CheckConstraint(
                condition=~models.Q(question=""),
                name="faqitem_question_not_empty",
                violation_error_message="Die Frage darf nicht leer sein.",
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        # A blank anchor is filled from the question, so every <h2> has an id.
        if not self.anchor:
            self.anchor = anchor_for(self.question)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        self.question = (self.question or "").strip()
        if not self.question:
            raise ValidationError({"question": "Bitte eine Frage eingeben."})
        if not self.anchor:
            self.anchor = anchor_for(self.question)
