"""The article form with its inlines, the text import page, topics and liveblog cards."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from faq.admin import FAQItemInline
from media_clips.admin import VideoClipAdmin, thumbnail
from media_clips.chooser import ClipChooserMixin
from media_clips.models import VideoClip
from media_clips.services import renditions_refresh
from media_clips.uploads import KeepsUploadsForm, KeptUploadField
from newsroom.admin.base import AdminScreenMixin, CappedCountPaginator, LongListMixin, with_nonce
from newsroom.admin.conflicts import ConflictCheckAdminMixin
from newsroom.admin.corrections import CorrectionAdminMixin, ItemCorrectionAdminMixin
from newsroom.admin.history import ArticleHistoryMixin
from newsroom.admin.ordering import OrderedInlineMixin
from newsroom.admin.saving import PatientSaveMixin
from newsroom.admin.workflow import WorkflowAdminMixin
from newsroom.importer import ExplainerParseError
from newsroom.models import (
    Article,
    ArticleLiveblogLink,
    BroadcastMention,
    LiveblogLink,
    Topic,
    load_page,
    planned_changes,
)
from newsroom.preview import preview_token, preview_url
from newsroom.richtext import formatted
from newsroom.search import matching
from newsroom.security.two_factor import TwoFactorLoginForm
from newsroom.services import DuplicateArticleError, article_import
from newsroom.views import article_page_context

# Asks before leaving with unsaved changes and keeps them in the browser (static/newsroom-admin/).
UNSAVED_INPUT = "newsroom-admin/unsaved-input.js"
# Names select2's boxes after their labels (static/newsroom-admin/).
ACCESSIBLE_AUTOCOMPLETE = "newsroom-admin/accessible-autocomplete.js"
CALENDAR_DAYS = 14
CALENDAR_LIMIT = 500  # planned changes on the calendar page; a newsroom plans far fewer in two weeks


class QuestionsInline(ClipChooserMixin, OrderedInlineMixin, FAQItemInline):
    pass


class ArticleLiveblogLinkInline(OrderedInlineMixin, admin.TabularInline):
    model = ArticleLiveblogLink
    fields = ("position", "lead_in", "liveblog_link")
    autocomplete_fields = ("liveblog_link",)
    extra = 0


class BroadcastMentionInline(OrderedInlineMixin, admin.TabularInline):
    model = BroadcastMention
    fields = ("position", "determiner", "show", "aired_on", "starts_at", "starts_at_padded")
    extra = 0


class ArticleImportForm(forms.Form):
    text = forms.CharField(
        label="Text des Erklärstücks",
        # Not stripped: the parser's "Zeile N" must match the lines in the textarea.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text="Den ganzen Text einfügen, vom Seitentitel in der ersten Zeile bis zum Themenlink. "
        "Der Artikel wird als Entwurf angelegt.",
    )
    allow_duplicate = forms.BooleanField(
        label="Trotzdem als weiteren Artikel anlegen",
        required=False,
        help_text="Nur ankreuzen, wenn wirklich ein zweiter Artikel mit diesem Titel entstehen soll.",
    )


def numbered_lines(text, error_line=None):
    """The pasted text as ``(number, line, is_error)`` rows, numbered as the parser counts lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [(number, line, number == error_line) for number, line in enumerate(lines, start=1)]


@admin.register(Article)
class ArticleAdmin(
    ClipChooserMixin,
    PatientSaveMixin,
    AdminScreenMixin,
    LongListMixin,
    CorrectionAdminMixin,
    WorkflowAdminMixin,
    ConflictCheckAdminMixin,
    ArticleHistoryMixin,
    VersionAdmin,
):
    class Media:
        js = (UNSAVED_INPUT, ACCESSIBLE_AUTOCOMPLETE, "newsroom-admin/live-preview.js")

    # In the order of the page (the change form's template puts the inlines between them): the
    # publishing block first and folded, then Kopf → clips and intro → questions, liveblog →
    # Quelle → Sendungshinweise → Einordnung (the topic).
    fieldsets = (
        (
            "Veröffentlichung",
            {
                "classes": ("collapse",),
                "fields": (
                    "status",
                    ("publish_at", "unpublish_at"),
                    "first_published_at",
                    "review_note",
                    "embargo_partners",
                    ("created_at", "updated_at"),
                    ("created_by", "updated_by"),
                ),
            },
        ),
        ("Kopf", {"fields": ("kind", "topline", "title", "slug", "teaser")}),
        ("Clips & Einleitung", {"fields": ("hero_clip", "intro", "intro_clip")}),
        ("Quelle", {"fields": ("source",)}),
        ("Sendungshinweise", {"fields": ("broadcast_form", "broadcast_note")}),
        ("Einordnung", {"fields": ("topic",)}),
    )
    readonly_fields = (
        "first_published_at",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "intro_formatted",
    )
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topic", "hero_clip", "intro_clip")
    inlines = (QuestionsInline, ArticleLiveblogLinkInline, BroadcastMentionInline)
    list_display = ("title", "topline", "kind", "status_column", "topic", "publish_at", "updated_at")
    list_filter = ("status", "kind", "topic")
    list_select_related = ("topic",)
    # The search box searches the stored search document (newsroom.search.matching), like the
    # site and the API; search_fields only turns the box on (see get_search_results).
    search_fields = ("title",)
    search_help_text = "Sucht in Titel, Dachzeile, Teaser, Einleitung, Fragen und Antworten."
    # An archive of 100,000 articles: no second COUNT over all of them for "(… gesamt)", and the
    # pager counts at most CappedCountPaginator.CAP rows.
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the intro formatted, as the page shows it, rather than its markup.
        return [
            (name, {**options, "fields": tuple("intro_formatted" if f == "intro" else f for f in options["fields"])})
            for name, options in fieldsets
        ]

    @admin.display(description="Einleitung")
    def intro_formatted(self, article):
        return formatted(article.intro)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return matching(queryset, search_term), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("title", "slug"):
            # Titles run to 80 characters and more; the admin's default input shows about 20.
            kwargs["widget"] = widgets.AdminTextInputWidget(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Status", ordering="status")
    def status_column(self, article):
        return article.state.label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        # The status changes only through the workflow (WorkflowAdminMixin, newsroom.services).
        super().save_model(request, obj, form, change)

    def get_urls(self):
        # Before the default URLs: "<path:object_id>/" would swallow "import/".
        return [
            self.screen("import/", self.import_view, "import"),
            self.screen("kalender/", self.calendar_view, "calendar"),
            self.screen("live-vorschau/", self.live_preview_view, "live_preview"),
            self.screen("<path:object_id>/vorschau/", self.preview_link_view, "preview"),
            *super().get_urls(),
        ]

    def view_on_site(self, article):
        """ "Auf der Website anzeigen": the public page when the article is live, else a fresh preview link."""
        if article.state == Article.State.LIVE:
            return article.get_absolute_url()
        return reverse("newsroom:preview", args=[preview_token(article)])

    def calendar_view(self, request):
        """The next 14 days, day by day: which articles go online and which go offline, and when."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        days = [today + dt.timedelta(days=offset) for offset in range(CALENDAR_DAYS)]
        end = timezone.make_aware(dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time()))
        changes = planned_changes(until=end, limit=CALENDAR_LIMIT)
        by_day = {day: [] for day in days}
        for change in changes:
            by_day[timezone.localdate(change.at)].append(change)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Kalender: die nächsten {CALENDAR_DAYS} Tage",
            "days": list(by_day.items()),
            "more": len(changes) == CALENDAR_LIMIT,
        }
        return TemplateResponse(request, "admin/newsroom/article/calendar.html", context)

    def import_view(self, request):
        """The "Aus Text importieren" page: the import_explainer command as a form, writing a draft.

        Nothing is saved on an error; the page then shows the pasted text with line numbers and
        the line the error names marked. A title that exists already offers the existing article.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST if request.method == "POST" else None)
        context = {"numbered_lines": None, "duplicate": None}
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                result = article_import(
                    text=text, user=request.user, allow_duplicate=form.cleaned_data["allow_duplicate"]
                )
            except ExplainerParseError as exc:
                form.add_error("text", f"{exc} Es wurde nichts gespeichert.")
                context.update(numbered_lines=numbered_lines(text, exc.line), error_line=exc.line)
            except DuplicateArticleError as exc:
                form.add_error("text", f"{exc} Es wurde nichts gespeichert.")
                context["duplicate"] = exc.existing
            except ValidationError as exc:
                # Parsed, but a value breaks a model rule (e.g. a topline over 100 characters);
                # the import's transaction has rolled back.
                form.add_error(
                    "text", [f"Der Text lässt sich so nicht speichern: {message}" for message in exc.messages]
                )
            else:
                return self._imported(request, result)
        context.update(
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Aus Text importieren",
                "form": form,
                "media": with_nonce(request, self.media + form.media),
            }
        )
        return TemplateResponse(request, "admin/newsroom/article/import.html", context)

    def _imported(self, request, result):
        article = result.article
        self.log_addition(request, article, "Aus Text importiert.")
        self.message_user(
            request,
            f"Der Artikel „{article}“ wurde aus dem Text importiert und als Entwurf angelegt.",
            messages.SUCCESS,
        )
        for note in result.notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(self.admin_url("change", article.pk))

    def live_preview_view(self, request):
        """The page as readers would see the form's *unsaved* state (the "Live-Vorschau" panel).

        The form and its inlines are validated as a save would; then they are saved inside a
        transaction that is always rolled back, and the real article template renders what the
        database held for that moment. Nothing stays: no row, no revision, no purge (those wait
        for a commit), ``updated_at`` untouched. ``?artikel=<id>`` previews an existing article.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        object_id = request.GET.get("artikel")
        obj = self.get_object(request, object_id) if object_id else None
        if object_id and obj is None:
            raise Http404("Diesen Artikel gibt es nicht.")
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        with transaction.atomic():
            form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
            formsets, _ = self._create_formsets(request, form.instance, change=obj is not None)
            valid = form.is_valid() and all_valid(formsets)
            if valid:
                article = form.save()
                for formset in formsets:
                    formset.instance = article
                    formset.save()
                page = load_page(article.pk, published=False)
                response = render(
                    request,
                    "newsroom/article_detail.html",
                    {**article_page_context(page), "preview": True, "live_preview": True},
                )
            transaction.set_rollback(True)
        if not valid:
            errors = [(field.label, error) for field in form for error in field.errors]
            errors += [("", error) for error in form.non_field_errors()]
            for formset in formsets:
                errors += [("", error) for error in formset.non_form_errors()]
                for row, row_errors in enumerate(formset.errors, start=1):
                    errors += [(f"{formset.model._meta.verbose_name} {row}", e) for v in row_errors.values() for e in v]
            response = render(request, "admin/newsroom/article/live_preview_error.html", {"errors": errors}, status=422)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def preview_link_view(self, request, object_id):
        """The "Vorschau" button: a fresh signed link to the article's preview, with its expiry.

        A page of its own rather than a message on the change form: editors copy the link into
        mail or chat and open it themselves, so it gets a selectable field, a copy button and an
        "open" link, and it stays put until they are done (a message is gone on the next click).
        A plain GET is enough: making a link stores nothing, and admin_view keeps it uncached.
        """
        article, missing = self.object_or_redirect(request, object_id, change=True)
        if missing:
            return missing
        url, expires_at = preview_url(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": "Vorschau-Link",
            "preview_url": url,
            "expires_at": expires_at,
        }
        return TemplateResponse(request, "admin/newsroom/article/preview_link.html", context)


@admin.register(Topic)
class TopicAdmin(PatientSaveMixin, admin.ModelAdmin):
    class Media:
        js = (UNSAVED_INPUT,)

    list_display = ("name", "headline", "article_count")
    search_fields = ("name", "headline")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "headline")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Artikel", ordering="article_total")
    def article_count(self, topic):
        return topic.article_total


class LiveblogLinkForm(KeepsUploadsForm):
    image_kept = KeptUploadField(label="Gewähltes Bild")
    kept_uploads = {"image": "image_kept"}

    class Meta:
        model = LiveblogLink
        fields = ()  # the admin's fieldsets choose them, with its own form fields


@admin.register(LiveblogLink)
class LiveblogLinkAdmin(ItemCorrectionAdminMixin, PatientSaveMixin, admin.ModelAdmin):
    class Media:
        js = (UNSAVED_INPUT,)

    form = LiveblogLinkForm
    list_display = ("image_thumbnail", "__str__", "placeholder_column", "label", "url")
    list_filter = ("image_is_placeholder",)
    list_display_links = ("image_thumbnail", "__str__")
    search_fields = ("topline", "title")
    fields = ("topline", "title", "teaser", "url", "image", "image_kept", "image_alt", "label")

    def save_model(self, request, obj, form, change):
        if "image" in form.changed_data:
            obj.image_is_placeholder = False  # an editor's own image (or none) replaces the placeholder
        super().save_model(request, obj, form, change)
        # After the save, so the image has its final name in storage.
        if "image" in form.changed_data or bool(obj.image) != bool(obj.image_renditions):
            renditions_refresh(obj=obj, field_name="image")

    @admin.display(description="Platzhalter", ordering="image_is_placeholder")
    def placeholder_column(self, link):
        return (
            format_html('<strong class="placeholder-mark">{}</strong>', "Platzhalter")
            if link.image_is_placeholder
            else ""
        )

    @admin.display(description="Bild")
    def image_thumbnail(self, link):
        return thumbnail(
            link.image, link.image_alt, width=96, image_width=link.image_width, image_height=link.image_height
        )


# The clip library with the rule of live articles: what one shows, Redaktion changes by proposal.
admin.site.unregister(VideoClip)


@admin.register(VideoClip)
class ClipAdmin(ItemCorrectionAdminMixin, VideoClipAdmin):
    pass


admin.site.site_header = "Newsroom – Redaktion"
# The sign-in asks for the authenticator app's code where one is set up (newsroom.security.two_factor).
admin.site.login_form = TwoFactorLoginForm
admin.site.login_template = "admin/newsroom/login.html"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Übersicht"
