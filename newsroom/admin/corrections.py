"""Corrections to live articles in the article admin: proposed by Redaktion, decided by the duty editor.

``CorrectionAdminMixin`` goes before ``WorkflowAdminMixin`` among ``ArticleAdmin``'s bases.
A live article is read-only for whoever may not publish; "Korrektur vorschlagen"
(``<id>/korrektur/``) opens the same form editable, and its one button keeps the validated
form as a proposal (``newsroom.services.corrections``) instead of saving: nothing is written
to the article, its rows, its revisions or the cache in front. The duty editor finds it on
the dashboard and in the form, sees it beside the live state (the revision comparison) and
applies it (``Übernehmen``: live at once, one revision) or rejects it with a reason.
"""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from newsroom.dates import format_duration, format_timestamp
from newsroom.models import Correction, ItemCorrection
from newsroom.revision_diff import compare, text_row
from newsroom.revisions import snapshot_of_database
from newsroom.roles import PUBLISH_ARTICLE
from newsroom.services.corrections import (
    correction_apply,
    correction_propose,
    correction_reject,
    correction_snapshot,
    item_correction_apply,
    item_correction_propose,
    item_correction_proposed,
    item_fields,
    may_propose,
    may_propose_item,
)

CORRECTIONS_SHOWN = 5
PROPOSED = (
    "Ihr Korrekturvorschlag ist gespeichert. Der Chef vom Dienst prüft ihn; bis dahin bleibt die Seite, wie sie ist."
)


def as_proposal(request):
    """Mark ``request`` as a proposal's: the form is editable and its save keeps a proposal."""
    request.proposing = True
    return request


def proposal_context(obj):
    """The change form as a proposal's: one button ("Korrektur vorschlagen", submit_line.html), no delete."""
    return {
        "proposing": True,
        "title": f"Korrektur vorschlagen: {obj}",
        "show_save_and_continue": False,
        "show_save_and_add_another": False,
        "show_delete_link": False,
    }


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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The object the change form has fetched already.
        context["corrections_box"] = self.corrections_box(request, obj) if change and obj is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        return self.change_view(as_proposal(request), object_id, extra_context=proposal_context(article))

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


def _shown(value):
    """A field's value as editors read it (times in the newsroom's zone, durations as on the page)."""
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    return "" if value is None else str(value)


class ItemCorrectionAdminMixin:
    """For the clip and liveblog card admins: what a live article shows, Redaktion changes by proposal.

    Read-only for whoever may not publish while a live article shows it (a save would change
    the page at once); ``<id>/korrektur/`` offers its text fields, kept as an ``ItemCorrection``;
    the duty editor applies or rejects it on ``<id>/korrektur/<n>/``.
    """

    item_correction_template = "admin/newsroom/item_correction_review.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/korrektur/", wrap(self.item_propose_view), name="{}_{}_propose".format(*info)),
            path(
                "<path:object_id>/korrektur/<int:correction_id>/",
                wrap(self.item_correction_view),
                name="{}_{}_correction".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    @staticmethod
    def _by_proposal(request, obj):
        """Whether ``request.user`` changes ``obj`` only by proposal (asked once per request and object)."""
        known = request.__dict__.setdefault("_by_proposal", {})
        key = (obj._meta.label, obj.pk)
        if key not in known:
            known[key] = may_propose_item(request.user, obj)
        return known[key]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk is not None and self._by_proposal(request, obj):
            return getattr(request, "proposing", False)
        return super().has_change_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and request.method == "GET" and not getattr(request, "proposing", False):
            self._say_corrections(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _say_corrections(self, request, obj):
        target = ContentType.objects.get_for_model(obj)
        if self._by_proposal(request, obj):
            self.message_user(
                request,
                format_html(
                    "Ein veröffentlichter Artikel zeigt diesen {} – jede Änderung wäre sofort auf der Seite. "
                    '<a href="{}">Korrektur vorschlagen</a>',
                    obj._meta.verbose_name,
                    self._url("propose", obj.pk),
                ),
                messages.INFO,
            )
        corrections = ItemCorrection.objects.open().filter(content_type=target, object_id=obj.pk)
        if request.user.has_perm(PUBLISH_ARTICLE):
            for correction in corrections.select_related("author"):
                self.message_user(
                    request,
                    format_html(
                        'Offener <a href="{}">Korrekturvorschlag von {}</a>.',
                        self._url("correction", obj.pk, correction.pk),
                        correction.author.get_username(),
                    ),
                    messages.WARNING,
                )

    def item_propose_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_view_permission(request, obj) and self._by_proposal(request, obj)):
            raise PermissionDenied
        return self.change_view(as_proposal(request), object_id, extra_context=proposal_context(obj))

    def get_fieldsets(self, request, obj=None):
        if getattr(request, "proposing", False) and obj is not None:
            # The text only: images and video files are the duty editor's.
            description = (
                "Bild und Videodatei ändert der Chef vom Dienst. "
                "Bis er den Vorschlag übernimmt, bleibt alles, wie es ist."
            )
            return [(None, {"fields": item_fields(obj), "description": description})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        if not getattr(request, "proposing", False):
            super().save_model(request, obj, form, change)
            return
        labels = ", ".join(str(form.fields[name].label) for name in form.changed_data if name in form.fields)
        request.item_correction = item_correction_propose(
            obj=obj, user=request.user, summary=f"Geändert: {labels}." if labels else "Keine Änderung."
        )

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "proposing", False):
            super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if getattr(request, "proposing", False):
            message = "Korrektur vorgeschlagen (noch nicht übernommen)."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "proposing", False):
            self.message_user(request, PROPOSED, messages.SUCCESS)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        return super().response_change(request, obj)

    def item_correction_view(self, request, object_id, correction_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Das gibt es nicht.")
        correction = get_object_or_404(
            ItemCorrection.objects.select_related("author"),
            pk=correction_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )
        duty_editor = request.user.has_perm(PUBLISH_ARTICLE)
        if not (duty_editor or correction.author_id == request.user.pk):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if request.method == "POST":
            return self._decide_item(request, obj, correction, change_url)
        proposed = item_correction_proposed(correction)
        current = type(obj)._default_manager.get(pk=obj.pk)
        rows = []
        for name in item_fields(obj):
            field = obj._meta.get_field(name)
            old, new = (_shown(getattr(version, field.attname)) for version in (current, proposed))
            rows.append(text_row(str(field.verbose_name), old, new))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Korrekturvorschlag prüfen: {obj}",
            "rows": rows,
            "correction": correction,
            "may_decide": duty_editor and correction.status == Correction.Status.OPEN,
            "changed_since": current.updated_at > correction.based_on,
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.item_correction_template, context)

    def _decide_item(self, request, obj, correction, change_url):
        decision = request.POST.get("entscheidung")
        try:
            if decision == "uebernehmen":
                item_correction_apply(correction=correction, user=request.user)
                self.log_change(request, obj, f"Korrekturvorschlag von {correction.author.get_username()} übernommen.")
                self.message_user(request, "Der Korrekturvorschlag ist übernommen und online.", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
            if decision == "ablehnen":
                correction_reject(correction=correction, user=request.user, reason=request.POST.get("grund"))
                self.message_user(request, "Der Korrekturvorschlag ist abgelehnt; es bleibt, wie es ist.")
                return HttpResponseRedirect(change_url)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(self._url("correction", obj.pk, correction.pk))
        raise Http404("Diese Entscheidung gibt es nicht.")
