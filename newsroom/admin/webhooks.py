"""Partners' webhooks and the delivery log: a new endpoint's secret is shown once; "Erneut senden"."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from newsroom.admin.saving import PatientSaveMixin
from newsroom.models import WebhookDelivery, WebhookEndpoint
from newsroom.webhooks.endpoints import EVENT_CHOICES, check_events, new_secret
from newsroom.webhooks.relay import hand_over
from newsroom.webhooks.targets import validate_target


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label="Empfänger-URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label="Ereignisse", choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("partner", "url", "events", "is_active")

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_target(url)
        return url

    def clean_events(self):
        return check_events(self.cleaned_data["events"])


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PatientSaveMixin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "partner", "event_list", "is_active", "disabled_at", "created_at")
    list_filter = ("is_active", "partner")
    list_select_related = ("partner",)
    search_fields = ("url", "partner__name")
    autocomplete_fields = ("partner",)
    readonly_fields = ("disabled_at", "disabled_reason", "created_at")

    def get_fields(self, request, obj=None):
        fields = ["partner", "url", "events", "is_active"]
        return fields + (["disabled_at", "disabled_reason", "created_at"] if obj is not None else [])

    @admin.display(description="Ereignisse")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data and obj.is_active:
            obj.disabled_at, obj.disabled_reason = None, ""  # switched on again by hand
        if change:
            obj.save()
            return
        obj.secret = new_secret()
        obj.save()
        self.message_user(
            request,
            f"Das Geheimnis dieses Webhooks lautet: {obj.secret} – bitte jetzt sicher an „{obj.partner}“ "
            "weitergeben (damit prüft der Partner die Signaturen); es wird nicht noch einmal angezeigt.",
            messages.WARNING,
        )


class WebhookEndpointInline(admin.TabularInline):
    model = WebhookEndpoint
    fields = ("url", "events", "is_active", "disabled_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # made on the webhook page, where the secret is shown once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: every event for every endpoint with its last attempt; read only but for resending."""

    list_display = (
        "event_type",
        "article",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "last_attempt_at",
        "next_attempt_at",
    )
    list_filter = ("status", "event__type", "endpoint__partner")
    list_select_related = ("event", "endpoint__partner")
    search_fields = ("endpoint__url", "endpoint__partner__name")
    actions = ("send_again",)
    # One delivery: the list's columns, with the event's id (the receiver's webhook-id) first.
    fields = ("event_id_shown", *list_display, "delivered_at", "last_error")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Ereignis", ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.display(description="Ereignis-ID (webhook-id)")
    def event_id_shown(self, delivery):
        return str(delivery.event.id)

    @admin.display(description="Artikel-ID", ordering="event__article_id")
    def article(self, delivery):
        return delivery.event.article_id

    @admin.action(description="Erneut senden", permissions=("change",))
    def send_again(self, request, queryset):
        count = queryset.exclude(endpoint__is_active=False).update(
            status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), queued_at=None
        )
        skipped = queryset.filter(endpoint__is_active=False).count()
        hand_over()
        if count:
            self.message_user(request, f"{count} Zustellung(en) werden erneut gesendet.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} Zustellung(en) gehen an einen abgeschalteten Webhook; bitte ihn erst wieder aktivieren.",
                messages.WARNING,
            )
