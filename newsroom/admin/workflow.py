"""The editorial workflow in the article admin: buttons on the change form and list actions.

Every transition goes through ``newsroom.services`` with ``request.user``, which checks the
permission again: the buttons a role does not see are refused when forged. The status and
its times are read-only in the article form, so saving content never changes them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone

from newsroom.admin.base import admin_url
from newsroom.dates import format_timestamp, html_datetime_local
from newsroom.models import WORKFLOW_FIELDS, Article, Partner
from newsroom.roles import PUBLISH_ARTICLE
from newsroom.services import (
    article_publish,
    article_return,
    article_schedule_unpublish,
    article_submit,
    article_transitions,
    article_unpublish,
)


def content_fields():
    """Every field the article form may write: all but the primary key and the workflow's fields."""
    return [
        field.name
        for field in Article._meta.concrete_fields
        if not field.primary_key and field.name not in WORKFLOW_FIELDS
    ]


class WorkflowTimeForm(forms.Form):
    """The time next to "Planen" and "Offline nehmen planen" (a native datetime-local input)."""

    at = forms.DateTimeField(error_messages={"invalid": "Bitte Datum und Uhrzeit vollständig angeben."})

    def __init__(self, value):
        super().__init__({"at": value})

    def time(self):
        if not (self.data["at"] or "").strip():
            raise ValidationError("Bitte Datum und Uhrzeit angeben.")
        if not self.is_valid():
            raise ValidationError(self.errors["at"])
        return self.cleaned_data["at"]


def workflow_state(article):
    """The article's place in the workflow, in the editors' words, with the times that matter."""
    state = article.state
    if state == Article.State.SCHEDULED:
        return f"Geplant für {format_timestamp(article.publish_at)}"
    if state == Article.State.EXPIRED:
        return f"Offline seit {format_timestamp(article.unpublish_at)}"
    if state == Article.State.LIVE and article.unpublish_at:
        return f"Veröffentlicht, offline ab {format_timestamp(article.unpublish_at)}"
    return state.label


def _reason(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Dazu fehlt Ihnen die Berechtigung."


class WorkflowAdminMixin:
    """For ``ArticleAdmin`` (after ``AdminScreenMixin``): read-only status, workflow URLs, buttons and actions."""

    actions = ("submit_selected", "publish_selected", "unpublish_selected")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        fields += tuple(name for name in WORKFLOW_FIELDS if name not in fields)
        # Releasing an article to partners ahead of its go-live is publishing: the duty editor's.
        if not self.has_publish_permission(request):
            fields += ("embargo_partners",)
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "embargo_partners":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = Partner.objects.filter(is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_ARTICLE)

    def has_change_permission(self, request, obj=None):
        # A live or scheduled article is changed only by those who may publish: a content
        # save goes live at once, so for "Redaktion" it would be publishing without review.
        # They see it read-only; a duty editor takes it back to draft for bigger changes.
        if obj is not None and obj.status == Article.Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A content save writes everything but the workflow's fields: a form opened before a
        # duty editor published (or took the article down) cannot undo that when it is saved.
        obj.save(update_fields=content_fields())

    # The change form

    def get_urls(self):
        return [
            self.screen(f"<path:object_id>/{segment}/", view, name)
            for segment, view, name in (
                ("einreichen", self.submit_view, "submit"),
                ("zurueckgeben", self.return_view, "return"),
                ("veroeffentlichen", self.publish_view, "publish"),
                ("zurueckziehen", self.unpublish_view, "unpublish"),
            )
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["workflow"] = self.workflow_context(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def workflow_context(self, request, article):
        def url(name):
            return self.admin_url(name, article.pk)

        now = timezone.now()
        return {
            "state": workflow_state(article),
            "can": article_transitions(article=article, user=request.user),
            "submit_url": url("submit"),
            "return_url": url("return"),
            "publish_url": url("publish"),
            "unpublish_url": url("unpublish"),
            # Prefilled only where it is still ahead: a past time cannot be planned.
            "publish_at": html_datetime_local(
                article.publish_at if article.publish_at and article.publish_at > now else None
            ),
            "unpublish_at": html_datetime_local(article.unpublish_at),
            "min": html_datetime_local(now),
            "placeholders": [
                (where, admin_url(image._meta, "change", image.pk)) for where, image in article.placeholder_images()
            ],
        }

    def _workflow_post(self, request, object_id, apply):
        """Run ``apply(article)`` for a workflow button; refusals become a German message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return missing
        try:
            done = apply(article)
        except (PermissionDenied, ValidationError) as exc:
            self.message_user(request, f"Nicht möglich: {_reason(exc)}", messages.ERROR)
        else:
            self.log_change(request, article, done)
            self.message_user(request, f"„{article}“: {done}", messages.SUCCESS)
        return HttpResponseRedirect(self.admin_url("change", article.pk))

    def submit_view(self, request, object_id):
        def apply(article):
            article_submit(article=article, user=request.user)
            return "Zur Prüfung gegeben."

        return self._workflow_post(request, object_id, apply)

    def _placeholders_confirmed(self, request, articles):
        """``None`` if nothing asks first, else the page asking to publish ``articles`` with placeholder images.

        Only a duty editor is asked (for anyone else the service refuses), and only once:
        the page's button sends ``placeholders_confirmed``.
        """
        if request.POST.get("placeholders_confirmed") or not self.has_publish_permission(request):
            return None
        found = [(article, where, image) for article in articles for where, image in article.placeholder_images()]
        if not found:
            return None
        kept = [(name, value) for name in ("publish_at", "action") if (value := request.POST.get(name))]
        kept += [
            (admin.helpers.ACTION_CHECKBOX_NAME, pk) for pk in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        ]
        planned = "publish_at" in request.POST
        return self._confirm_page(
            request,
            articles=sorted({article for article, _, _ in found}, key=lambda article: article.pk),
            hidden=[*kept, ("placeholders_confirmed", "1")],
            placeholders=[
                (f"{where} in „{article}“", admin_url(image._meta, "change", image.pk))
                for article, where, image in found
            ],
            title="Mit Platzhalter-Bild veröffentlichen?",
            explanation="Diese Bilder sind erzeugte Platzhalter (mit der Aufschrift „PLATZHALTER“). Leserinnen, Leser "
            "und Partner sähen sie so. Besser zuerst echte Bilder hochladen – oder bewusst trotzdem "
            + ("planen." if planned else "veröffentlichen."),
            button="Trotzdem planen" if planned else "Trotzdem veröffentlichen",
            cancel_url=self.admin_url("changelist") if len(articles) > 1 else self.admin_url("change", articles[0].pk),
        )

    def publish_view(self, request, object_id):
        """ "Veröffentlichen" (now) or, with a ``publish_at`` time, "Planen"; asks first about placeholder images."""
        if request.method == "POST":
            article, missing = self.object_or_redirect(request, object_id)
            if missing:
                return missing
            asking = self._placeholders_confirmed(request, [article])
            if asking is not None:
                return asking

        def apply(article):
            if "publish_at" in request.POST:
                at = WorkflowTimeForm(request.POST["publish_at"]).time()
                article_publish(article=article, user=request.user, at=at)
                return f"Geplant für {format_timestamp(at)}."
            article_publish(article=article, user=request.user)
            return "Veröffentlicht."

        return self._workflow_post(request, object_id, apply)

    def _confirm_page(self, request, *, articles, error=None, hidden=(), **texts):
        """The page that asks before a workflow step (``workflow_confirm.html``); ``texts`` fill it."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "articles": articles,
            "hidden": hidden,
            "error": error,
            "reason": request.POST.get("reason", ""),
            "form_action": request.get_full_path(),
            **texts,
        }
        return TemplateResponse(request, "admin/newsroom/article/workflow_confirm.html", context)

    def _offered(self, request, object_id, transition):
        """``(article, None)`` if ``transition`` is open to the user now, else ``(None, response)``."""
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return None, missing
        if transition not in article_transitions(article=article, user=request.user):
            if not self.has_publish_permission(request):
                raise PermissionDenied
            self.message_user(request, f"Nicht möglich: „{article}“ ist {workflow_state(article)}.", messages.ERROR)
            return None, HttpResponseRedirect(self.admin_url("change", article.pk))
        return article, None

    def return_view(self, request, object_id):
        """ "An die Redaktion zurückgeben": from review back to draft, with the reason for the authors."""
        article, refused = self._offered(request, object_id, "return")
        if refused:
            return refused
        reason = request.POST.get("reason", "").strip()
        if request.method == "POST" and reason:

            def apply(article):
                article_return(article=article, user=request.user, reason=reason)
                return "An die Redaktion zurückgegeben; der Artikel ist wieder ein Entwurf."

            return self._workflow_post(request, object_id, apply)
        return self._confirm_page(
            request,
            articles=[article],
            error="Bitte einen Grund angeben: Was soll die Redaktion ändern?" if request.method == "POST" else None,
            title="An die Redaktion zurückgeben",
            explanation="Der Artikel wird wieder ein Entwurf. Die Autorinnen und Autoren sehen Ihren Grund auf "
            "ihrer Übersicht und in der Versionsgeschichte.",
            reason_label="Grund (Pflicht): Was soll geändert werden?",
            reason_required=True,
            button="Zurückgeben",
            cancel_url=self.admin_url("change", article.pk),
        )

    def unpublish_view(self, request, object_id):
        """ "Zurückziehen" (now, after a confirmation page), with an ``unpublish_at`` time "Offline nehmen
        planen", or "Termin aufheben"."""
        if request.method == "GET":
            article, refused = self._offered(request, object_id, "unpublish")
            if refused:
                return refused
            return self._confirm_page(
                request,
                articles=[article],
                title="Artikel zurückziehen",
                explanation="Der Artikel geht sofort offline: Leserinnen, Leser und Partner sehen ihn nicht mehr. "
                "Er wird wieder ein Entwurf und lässt sich später erneut veröffentlichen.",
                reason_label="Grund (freiwillig, steht in der Versionsgeschichte)",
                button="Jetzt zurückziehen",
                cancel_url=self.admin_url("change", article.pk),
            )

        def apply(article):
            if "unpublish_at" in request.POST:
                at = WorkflowTimeForm(request.POST["unpublish_at"]).time()
                article_schedule_unpublish(article=article, user=request.user, at=at)
                return f"Geht am {format_timestamp(at)} offline."
            if "keep_online" in request.POST:
                article_schedule_unpublish(article=article, user=request.user, at=None)
                return "Kein Offline-Termin mehr geplant."
            article_unpublish(article=article, user=request.user, reason=request.POST.get("reason", ""))
            return "Zurückgezogen; der Artikel ist wieder ein Entwurf."

        return self._workflow_post(request, object_id, apply)

    # The list's actions: the same services, one article at a time

    def _apply_to_selected(self, request, queryset, service, done):
        changed, refused = 0, []
        for article in queryset:
            try:
                service(article=article, user=request.user)
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"„{article}“: {_reason(exc)}")
            else:
                changed += 1
                self.log_change(request, article, done)
        if changed:
            self.message_user(request, f"{changed} Artikel: {done}", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Nicht geändert – {reason}", messages.WARNING)

    @admin.action(description="Ausgewählte Artikel zur Prüfung geben", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, article_submit, "Zur Prüfung gegeben.")

    @admin.action(description="Ausgewählte Artikel veröffentlichen", permissions=["publish"])
    def publish_selected(self, request, queryset):
        asking = self._placeholders_confirmed(request, list(queryset))
        if asking is not None:
            return asking
        self._apply_to_selected(request, queryset, article_publish, "Veröffentlicht.")

    @admin.action(description="Ausgewählte Artikel zurückziehen", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        """Asks first (a page listing the selection), then takes each article down."""
        if request.POST.get("confirmed"):
            reason = request.POST.get("reason", "")

            def unpublish(*, article, user):
                return article_unpublish(article=article, user=user, reason=reason)

            self._apply_to_selected(request, queryset, unpublish, "Zurückgezogen.")
            return None
        articles = list(queryset)
        return self._confirm_page(
            request,
            articles=articles,
            hidden=[("action", "unpublish_selected"), *((admin.helpers.ACTION_CHECKBOX_NAME, a.pk) for a in articles)],
            title="Ausgewählte Artikel zurückziehen",
            explanation=f"Diese {len(articles)} Artikel gehen sofort offline und werden wieder Entwürfe; "
            "was schon offline ist, bleibt unverändert.",
            reason_label="Grund (freiwillig, steht in der Versionsgeschichte)",
            button="Jetzt zurückziehen",
            cancel_url=request.get_full_path(),
        )
