"""The editors' dashboard on the admin start page: my drafts, in review, scheduled."""

from django import template
from django.db.models import Q

from newsroom.models import Article
from newsroom.roles import VIEW_ARTICLE

register = template.Library()

LIMIT = 10


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    if not user.has_perm(VIEW_ARTICLE):
        return {"show": False}
    articles = Article.objects.select_related("topic", "updated_by").order_by("-updated_at")
    return {
        "show": True,
        "sections": [
            (
                "Meine Entwürfe",
                "Noch keine eigenen Entwürfe.",
                articles.drafts().filter(Q(created_by=user) | Q(updated_by=user))[:LIMIT],
            ),
            ("In Prüfung", "Nichts wartet auf Prüfung.", articles.in_review()[:LIMIT]),
            (
                "Geplant",
                "Nichts ist zur Veröffentlichung geplant.",
                articles.scheduled().order_by("publish_at")[:LIMIT],
            ),
        ],
    }
