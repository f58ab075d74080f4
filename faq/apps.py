"""App config for faq: the questions and answers of an explainer."""

from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "Fragen und Antworten"
