"""The article admin's history: every save as a revision, a side-by-side comparison, restoring as a new revision.

``ArticleHistoryMixin`` goes before ``reversion.admin.VersionAdmin`` in ``ArticleAdmin``'s bases.
VersionAdmin records a revision around each add and change view (inlines included); the
mixin makes its comment German, adds the article's final state, and replaces reversion's
history and "revert" form with a revision list, a comparison and a restore that keeps the
workflow fields (see ``newsroom.services.article_restore``).
"""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import translation

from newsroom.dates import format_timestamp
from newsroom.revision_diff import compare
from newsroom.revisions import (
    add_article_to_revision,
    record_baseline,
    register_models,
    revision_label,
    snapshot_of_database,
    snapshot_of_version,
    versions_for,
)
from newsroom.roles import PUBLISH_ARTICLE
from newsroom.services import RestoreError, article_restore

HISTORY_PAGE_SIZE = 100


def _joined(*comments):
    return " ".join(comment.strip() for comment in comments if comment and comment.strip())


class ArticleHistoryMixin:
    """For ``ArticleAdmin`` (after ``AdminScreenMixin``, before ``VersionAdmin``)."""

    object_history_template = "admin/newsroom/article/object_history.html"
    revision_compare_template = "admin/newsroom/article/revision_compare.html"
    # VersionAdmin swaps in its own change list; the article list keeps the project's (import link).
    change_list_template = None

    def __init__(self, *args, **kwargs):
        # Before VersionAdmin.__init__, which would register the models with follows of its own.
        register_models()
        super().__init__(*args, **kwargs)

    def get_urls(self):
        # Before VersionAdmin's and the default URLs: "<path:object_id>/" would swallow these.
        return [
            self.screen("<path:object_id>/history/compare/", self.revision_compare_view, "revision_compare"),
            self.screen(
                "<path:object_id>/history/<int:version_id>/restore/", self.revision_restore_view, "revision_restore"
            ),
            *super().get_urls(),
        ]

    # Recording

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            article = self.get_object(request, unquote(object_id))
            proposal = getattr(request, "proposing", False)  # saves nothing (newsroom.admin.corrections)
            if article is not None and not proposal and self.has_change_permission(request, article):
                # An article from before revisions keeps its state as it was before this save.
                record_baseline(article)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Not inside one revision (VersionAdmin's default): an action on several articles
        # calls a service per article, and each records a revision of its own article.
        context = {"has_recover_permission": self.has_recover_permission(request), **(extra_context or {})}
        return admin.ModelAdmin.changelist_view(self, request, context)

    def has_recover_permission(self, request):
        """Bringing back a deleted article (reversion's recover views) brings back its status too.

        So it is for those who may delete and publish articles (the "Chef vom Dienst").
        """
        return self.has_delete_permission(request) and request.user.has_perm(PUBLISH_ARTICLE)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if reversion.is_active():
            add_article_to_revision(form.instance)

    @staticmethod
    def _comment_revision(entry, service_comment):
        with translation.override(settings.LANGUAGE_CODE):
            message = entry.get_change_message()
        # A service called during the save (e.g. "Veröffentlicht") keeps its word.
        reversion.set_comment(_joined(service_comment, message))

    def log_addition(self, request, obj, message):
        if not reversion.is_active():
            return super().log_addition(request, obj, message)
        service_comment = reversion.get_comment()
        entry = super().log_addition(request, obj, message)
        self._comment_revision(entry, service_comment)
        return entry

    def log_change(self, request, obj, message):
        if not reversion.is_active():
            return super().log_change(request, obj, message)
        service_comment = reversion.get_comment()
        entry = super().log_change(request, obj, message)
        self._comment_revision(entry, service_comment)
        return entry

    # Viewing

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural),
            "preserved_filters": self.get_preserved_filters(request),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        """Every revision of the article, newest first: time, author, comment; compare and restore."""
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return missing
        paginator = self.get_paginator(request, versions_for(article), HISTORY_PAGE_SIZE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        versions = list(page)
        if versions and page.has_next():
            # The row at the bottom of a page is compared with the top row of the next one.
            versions_with_previous = [*versions, paginator.page(page.next_page_number()).object_list[0]]
        else:
            versions_with_previous = [*versions, None]
        object_id = quote(article.pk)
        rows = [
            {
                "version": version,
                "revision": version.revision,
                "label": revision_label(version.revision),
                "when": format_timestamp(version.revision.date_created),
                "compare_with_current_url": self.admin_url("revision_compare", object_id, query={"from": version.pk}),
                "compare_with_previous_url": previous
                and self.admin_url("revision_compare", object_id, query={"from": previous.pk, "to": version.pk}),
            }
            for version, previous in zip(versions, versions_with_previous[1:], strict=True)
        ]
        context = self._context(
            request,
            article,
            f"Versionen: {article}",
            rows=rows,
            page=page,
            page_range=paginator.get_elided_page_range(page.number),
            page_var=PAGE_VAR,
            pagination_required=paginator.num_pages > 1,
            compare_url=self.admin_url("revision_compare", object_id),
            default_from=versions[1].pk if len(versions) > 1 else (versions[0].pk if versions else None),
            default_to=versions[0].pk if len(versions) > 1 else "",
            **(extra_context or {}),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _version(self, article, version_id):
        try:
            return get_object_or_404(versions_for(article), pk=int(version_id))
        except (TypeError, ValueError) as exc:
            raise Http404("Diese Fassung gibt es nicht.") from exc

    def revision_compare_view(self, request, object_id):
        """Two revisions (``?from=…&to=…``; without ``to``: the current state) side by side."""
        article, missing = self.object_or_redirect(request, object_id)
        if missing:
            return missing
        if not request.GET.get("from"):
            self.message_user(request, "Bitte eine Fassung zum Vergleichen auswählen.", messages.WARNING)
            return HttpResponseRedirect(self.admin_url("history", quote(article.pk)))
        old = snapshot_of_version(self._version(article, request.GET["from"]))
        to = request.GET.get("to")
        new = snapshot_of_version(self._version(article, to)) if to else snapshot_of_database(article)
        if not new.is_current and (old.revision.date_created, old.version.pk) > (
            new.revision.date_created,
            new.version.pk,
        ):
            # The older revision on the left, whichever order the editor picked them in.
            old, new = new, old
        can_restore = self.has_change_permission(request, article)
        sides = [
            {
                "snapshot": snapshot,
                "author": snapshot.revision.user if snapshot.revision else None,
                "restore_url": (
                    self.admin_url("revision_restore", quote(article.pk), snapshot.version.pk)
                    if can_restore and snapshot.version
                    else None
                ),
            }
            for snapshot in (old, new)
        ]
        context = self._context(
            request,
            article,
            f"Fassungen vergleichen: {article}",
            comparison=compare(old, new),
            sides=sides,
            history_url=self.admin_url("history", quote(article.pk)),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.revision_compare_template, context)

    def revision_restore_view(self, request, object_id, version_id):
        """POST: write the revision's content back as a new revision; a GET shows the revision first."""
        if request.method != "POST":
            return HttpResponseRedirect(self.admin_url("revision_compare", object_id, query={"from": version_id}))
        article, missing = self.object_or_redirect(request, object_id, change=True)
        if missing:
            return missing
        version = self._version(article, version_id)
        try:
            restored = article_restore(article=article, version=version, user=request.user)
        except RestoreError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(
                self.admin_url("revision_compare", quote(article.pk), query={"from": version.pk})
            )
        label = revision_label(version.revision)
        self.log_change(request, restored, f"{label} wiederhergestellt.")
        self.message_user(
            request,
            f"Die {label} ist wiederhergestellt und als neue Fassung gespeichert. "
            "Rückgängig machen lässt sich das in den Versionen mit der Fassung davor.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self.admin_url("change", quote(article.pk)))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion's "revert" form would also revert status and scheduling; the comparison
        # shows the revision instead, with a restore button that keeps them.
        return HttpResponseRedirect(self.admin_url("revision_compare", object_id, query={"from": version_id}))
