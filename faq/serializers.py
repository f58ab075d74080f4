"""An FAQ item as partners receive it, in the article's order.

The clip after the answer is added by ``newsroom.api.serializers``: faq and media_clips
know nothing of each other.
"""

from rest_framework import serializers

from faq.models import FAQItem


class FAQItemSerializer(serializers.ModelSerializer):
    answer_html = serializers.CharField(source="answer")

    class Meta:
        model = FAQItem
        fields = ("position", "anchor", "question", "answer_html")
        read_only_fields = fields  # always present in responses
