"""The editors' dashboard on the admin start page: my drafts, in review, corrections, what is planned, placeholders."""

from django import template
from django.db.models import Q
from django.utils import timezone

from newsroom.dates import format_timestamp
from newsroom.models import Article, Correction, planned_changes
from newsroom.roles import PUBLISH_ARTICLE, VIEW_ARTICLE

register = template.Library()

LIMIT = 10


def _changed(article):
    who = f" von {article.updated_by.get_username()}" if article.updated_by else ""
    return f"geändert am {format_timestamp(article.updated_at)}{who}"


def _proposed(correction):
    note = f"{correction.get_status_display()}, vorgeschlagen am {format_timestamp(correction.created_at)}"
    note += f" von {correction.author.get_username()}"
    return note + (f" – abgelehnt: {correction.reason}" if correction.reason else "")


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    """Sections of ``(title, empty text, entries)``; an entry is ``(article, note, review note)``."""
    user = context["request"].user
    if not user.has_perm(VIEW_ARTICLE):
        return {"show": False}
    articles = Article.objects.select_related("updated_by").order_by("-updated_at")
    drafts = articles.drafts().filter(Q(created_by=user) | Q(updated_by=user))[:LIMIT]
    planned = planned_changes(limit=LIMIT)
    corrections = Correction.objects.select_related("article", "author")
    now = timezone.now()
    showing_placeholders = (
        articles.filter(Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now), status=Article.Status.PUBLISHED)
        .with_placeholder_images()
        .order_by("publish_at", "pk")[:LIMIT]
    )
    return {
        "show": True,
        "sections": [
            (
                "Meine Entwürfe",
                "Noch keine eigenen Entwürfe.",
                [(article, _changed(article), article.review_note) for article in drafts],
            ),
            (
                "In Prüfung",
                "Nichts wartet auf Prüfung.",
                [(article, _changed(article), "") for article in articles.in_review()[:LIMIT]],
            ),
            (
                "Korrekturvorschläge",
                "Kein Korrekturvorschlag wartet.",
                [(c.article, _proposed(c), "") for c in corrections.open()[:LIMIT]],
            )
            if user.has_perm(PUBLISH_ARTICLE)
            else (
                "Meine Korrekturvorschläge",
                "Noch keine Korrekturvorschläge.",
                [(c.article, _proposed(c), "") for c in corrections.filter(author=user)[:LIMIT]],
            ),
            (
                "Geplant",
                "Nichts ist zur Veröffentlichung geplant. Kein Artikel geht demnächst offline.",
                [(change.article, f"geht {change.going} am {format_timestamp(change.at)}", "") for change in planned],
            ),
            (
                "Mit Platzhalter-Bild",
                "Kein veröffentlichter oder geplanter Artikel zeigt ein Platzhalter-Bild.",
                [
                    (
                        article,
                        f"{'online seit' if article.publish_at <= now else 'geht online am'} "
                        f"{format_timestamp(article.publish_at)}",
                        "",
                    )
                    for article in showing_placeholders
                ],
            ),
        ],
    }
