"""Corrections to live articles in the article admin: proposed by Redaktion, decided by the duty editor.

``CorrectionAdminMixin`` goes before ``WorkflowAdminMixin`` among ``ArticleAdmin``'s bases.
A live article is read-only for whoever may not publish; "Korrektur vorschlagen"
(``<id>/korrektur/``) opens the same form editable, and its one button keeps the validated
form as a proposal (``newsroom.services.corrections``) instead of saving: nothing is written
to the article, its rows, its revisions or the cache in front. The duty editor finds it on
the dashboard and in the form, sees it beside the live state (the revision comparison) and
applies it (``Übernehmen``: live at once, one revision) or rejects it with a reason.
"""

import json

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from newsroom.models import Correction
from newsroom.revision_diff import compare
from newsroom.revisions import snapshot_of_database
from newsroom.roles import PUBLISH_ARTICLE
from newsroom.services.corrections import (
    correction_apply,
    correction_propose,
    correction_reject,
    correction_snapshot,
    may_propose,
)

CORRECTIONS_SHOWN = 5
PROPOSED = (
    "Ihr Korrekturvorschlag ist gespeichert. Der Chef vom Dienst prüft ihn; bis dahin bleibt die Seite, wie sie ist."
)


class CorrectionAdminMixin:
    correction_template = "admin/newsroom/article/correction_review.html"

    def get_urls(self):
        return [
            self.screen("<path:object_id>/korrektur/", self.propose_view, "propose"),
            self.screen("<path:object_id>/korrektur/<int:correction_id>/", self.correction_view, "correction"),
            *super().get_urls(),
        ]

    @staticmethod
    def proposing(request, obj):
        return getattr(request, "proposing", False) and obj is not None and may_propose(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if self.proposing(request, obj):
            return True  # the proposal form: editable, and its save only keeps a proposal
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        box = self.corrections_box(request, article) if article is not None else None
        return super().change_view(request, object_id, form_url, {"corrections_box": box, **(extra_context or {})})

    def corrections_box(self, request, article):
        """What the change form says about corrections: whether to propose one, and the open (or own) ones."""
        corrections = article.corrections.select_related("author")
        if request.user.has_perm(PUBLISH_ARTICLE):
            corrections = corrections.open()
        else:
            corrections = corrections.filter(author=request.user)[:CORRECTIONS_SHOWN]
        entries = [(c, self.admin_url("correction", quote(article.pk), c.pk)) for c in corrections]
        proposing = getattr(request, "proposing", False)
        propose_url = (
            self.admin_url("propose", quote(article.pk))
            if may_propose(request.user, article) and not proposing
            else None
        )
        if not (entries or propose_url or proposing):
            return None
        return {"propose_url": propose_url, "entries": entries}

    # Proposing

    def propose_view(self, request, object_id):
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return missing
        if not may_propose(request.user, article):
            raise PermissionDenied
        request.proposing = True
        context = {
            "proposing": True,
            "title": f"Korrektur vorschlagen: {article}",
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
        }
        return self.change_view(request, object_id, extra_context=context)

    def save_model(self, request, obj, form, change):
        if not self.proposing(request, obj):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self.proposing(request, form.instance):
            super().save_related(request, form, formsets, change)
            return
        rows = []
        for formset in formsets:
            formset.save(commit=False)  # writes nothing; names the new, changed and deleted rows for the summary
            for row in formset.forms:
                if not hasattr(row, "cleaned_data") or formset._should_delete_form(row):
                    continue
                if row.instance.pk is None and not row.has_changed():
                    continue  # an added row left empty
                setattr(row.instance, formset.fk.name, form.instance)
                rows.append(row.instance)
        message = self.construct_change_message(request, form, formsets, add=not change)
        summary = LogEntry(change_message=json.dumps(message)).get_change_message()
        request.correction = correction_propose(
            article=form.instance, user=request.user, objects=[form.instance, *rows], summary=summary
        )

    def log_change(self, request, obj, message):
        if self.proposing(request, obj):
            message = "Korrektur vorgeschlagen (noch nicht übernommen)."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if self.proposing(request, obj):
            self.message_user(request, PROPOSED, messages.SUCCESS)
            return HttpResponseRedirect(self.admin_url("change", quote(obj.pk)))
        return super().response_change(request, obj)

    # Deciding

    def correction_view(self, request, object_id, correction_id):
        """The proposal beside the live state; POST ``entscheidung=uebernehmen|ablehnen`` (with ``grund``)."""
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return missing
        correction = get_object_or_404(Correction.objects.select_related("author"), pk=correction_id, article=article)
        duty_editor = request.user.has_perm(PUBLISH_ARTICLE)
        if not (duty_editor or correction.author_id == request.user.pk):
            raise PermissionDenied  # the author and the duty editors see a proposal, no one else
        may_decide = duty_editor and correction.status == Correction.Status.OPEN
        if request.method == "POST":
            return self._decide(request, article, correction)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        proposed = correction_snapshot(correction)
        live = snapshot_of_database(article)
        note = f"Vorgeschlagen am {correction.created_at:%d.%m.%Y um %H:%M} Uhr von {correction.author.get_username()}."
        context = self._context(
            request,
            article,
            f"Korrekturvorschlag prüfen: {article}",
            comparison=compare(live, proposed),
            sides=[
                {"snapshot": live, "note": "So, wie der Artikel jetzt online ist."},
                {"snapshot": proposed, "note": note},
            ],
            correction=correction,
            may_decide=may_decide,
            changed_since=article.updated_at > correction.based_on,
            history_url=self.admin_url("history", quote(article.pk)),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.correction_template, context)

    def _decide(self, request, article, correction):
        decision = request.POST.get("entscheidung")
        try:
            if decision == "uebernehmen":
                correction_apply(correction=correction, user=request.user)
                self.log_change(
                    request, article, f"Korrekturvorschlag von {correction.author.get_username()} übernommen."
                )
                self.message_user(request, "Der Korrekturvorschlag ist übernommen und online.", messages.SUCCESS)
                return HttpResponseRedirect(self.admin_url("change", quote(article.pk)))
            if decision == "ablehnen":
                correction_reject(correction=correction, user=request.user, reason=request.POST.get("grund"))
                self.message_user(request, "Der Korrekturvorschlag ist abgelehnt; die Seite bleibt, wie sie ist.")
                return HttpResponseRedirect(self.admin_url("change", quote(article.pk)))
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(self.admin_url("correction", quote(article.pk), correction.pk))
        raise Http404("Diese Entscheidung gibt es nicht.")
