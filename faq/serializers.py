"""An FAQ item as partners receive it, in the article's order."""

from rest_framework import serializers

from faq.models import FAQItem
from media_clips.serializers import VideoClipSerializer


class FAQItemSerializer(serializers.ModelSerializer):
    answer_html = serializers.CharField(source="answer")
    clip = VideoClipSerializer(allow_null=True)

    class Meta:
        model = FAQItem
        fields = ("position", "anchor", "question", "answer_html", "clip")
        read_only_fields = fields  # always present in responses
