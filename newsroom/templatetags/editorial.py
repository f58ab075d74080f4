"""The editors' dashboard on the admin start page: my drafts, in review, corrections, what is planned, placeholders."""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from newsroom.dates import format_timestamp
from newsroom.models import Article, Correction, ItemCorrection, WebhookEndpoint, planned_changes
from newsroom.roles import CHANGE_WEBHOOK, PUBLISH_ARTICLE, VIEW_ARTICLE
from newsroom.webhooks.sending import AFTER_SWITCH_OFF

register = template.Library()

LIMIT = 10


def _changed(article):
    who = f" von {article.updated_by.get_username()}" if article.updated_by else ""
    return f"geändert am {format_timestamp(article.updated_at)}{who}"


def _entry(obj, note, review_note=""):
    return obj, reverse("admin:newsroom_article_change", args=[obj.pk]), note, review_note


def _corrections(corrections, items):
    """Proposals to articles, clips and liveblog cards, newest first; each links to its review."""
    entries = [
        (c.created_at, c.article, reverse("admin:newsroom_article_correction", args=[c.article_id, c.pk]), c)
        for c in corrections[:LIMIT]
    ]
    entries += [
        (
            c.created_at,
            c.target,
            reverse(f"admin:{c.content_type.app_label}_{c.content_type.model}_correction", args=[c.object_id, c.pk]),
            c,
        )
        for c in items.select_related("content_type")[:LIMIT]
        if c.target is not None
    ]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return [(target, url, _proposed(c), "") for _, target, url, c in entries[:LIMIT]]


def _sentence(text):
    """``text`` ending in a full stop and a space (or nothing, for no text)."""
    text = text.strip()
    return f"{text}{'' if text.endswith(('.', '!', '?')) else '.'} " if text else ""


def _switched_off_webhooks():
    """Partners' endpoints the worker switched off after a day of failures: until switched on, nothing reaches them."""
    endpoints = WebhookEndpoint.objects.filter(is_active=False, disabled_at__isnull=False).select_related("partner")
    return [
        (
            endpoint,
            reverse("admin:newsroom_webhookendpoint_change", args=[endpoint.pk]),
            f"abgeschaltet am {format_timestamp(endpoint.disabled_at)}. {_sentence(endpoint.disabled_reason)}"
            f"{AFTER_SWITCH_OFF}",
            "",
        )
        for endpoint in endpoints.order_by("-disabled_at")[:LIMIT]
    ]


def _proposed(correction):
    note = f"{correction.get_status_display()}, vorgeschlagen am {format_timestamp(correction.created_at)}"
    note += f" von {correction.author.get_username()}"
    return note + (f" – abgelehnt: {correction.reason}" if correction.reason else "")


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    """Sections of ``(title, empty text, entries)``; an entry is ``(object, its URL, note, review note)``."""
    user = context["request"].user
    if not user.has_perm(VIEW_ARTICLE):
        return {"show": False}
    articles = Article.objects.select_related("updated_by").order_by("-updated_at")
    drafts = articles.drafts().filter(Q(created_by=user) | Q(updated_by=user))[:LIMIT]
    planned = planned_changes(limit=LIMIT)
    corrections = Correction.objects.select_related("article", "author")
    items = ItemCorrection.objects.select_related("author").prefetch_related("target")
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
                [_entry(article, _changed(article), article.review_note) for article in drafts],
            ),
            (
                "In Prüfung",
                "Nichts wartet auf Prüfung.",
                [_entry(article, _changed(article)) for article in articles.in_review()[:LIMIT]],
            ),
            (
                "Korrekturvorschläge",
                "Kein Korrekturvorschlag wartet.",
                _corrections(corrections.open(), items.open()),
            )
            if user.has_perm(PUBLISH_ARTICLE)
            else (
                "Meine Korrekturvorschläge",
                "Noch keine Korrekturvorschläge.",
                _corrections(corrections.filter(author=user), items.filter(author=user)),
            ),
            (
                "Geplant",
                "Nichts ist zur Veröffentlichung geplant. Kein Artikel geht demnächst offline.",
                [_entry(change.article, f"geht {change.going} am {format_timestamp(change.at)}") for change in planned],
            ),
            (
                "Mit Platzhalter-Bild",
                "Kein veröffentlichter oder geplanter Artikel zeigt ein Platzhalter-Bild.",
                [
                    _entry(
                        article,
                        f"{'online seit' if article.publish_at <= now else 'geht online am'} "
                        f"{format_timestamp(article.publish_at)}",
                    )
                    for article in showing_placeholders
                ],
            ),
        ]
        + (
            [("Abgeschaltete Webhooks", "Kein Webhook eines Partners ist abgeschaltet.", _switched_off_webhooks())]
            if user.has_perm(CHANGE_WEBHOOK)
            else []
        ),
    }
