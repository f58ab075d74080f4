"""The editors' dashboard on the admin start page: my drafts, in review, scheduled."""

from django import template
from django.db.models import Q
from django.utils import timezone

from newsroom.models import Article

register = template.Library()

LIMIT = 10


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    if not user.has_perm("newsroom.view_article"):
        return {"show": False}
    articles = Article.objects.select_related("topic", "updated_by").order_by("-updated_at")
    now = timezone.now()
    return {
        "show": True,
        "sections": [
            (
                "Meine Entwürfe",
                "Noch keine eigenen Entwürfe.",
                articles.filter(Q(created_by=user) | Q(updated_by=user), status=Article.Status.DRAFT)[:LIMIT],
            ),
            ("In Prüfung", "Nichts wartet auf Prüfung.", articles.filter(status=Article.Status.REVIEW)[:LIMIT]),
            (
                "Geplant",
                "Nichts ist zur Veröffentlichung geplant.",
                articles.filter(status=Article.Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")[:LIMIT],
            ),
        ],
    }
