"""Partners of the API and their keys; a new key is shown once."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from newsroom.admin.saving import PatientSaveMixin
from newsroom.admin.webhooks import WebhookEndpointInline
from newsroom.models import Partner, PartnerAPIKey

# The library registers its own key model; partners' keys are PartnerAPIKey.
admin.site.unregister(APIKey)


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Keys are shown once, when created (as a message); only their hash is stored."""

    list_display = ("prefix", "name", "partner", "created", "expiry_date", "_has_expired", "revoked")
    list_filter = ("partner", "revoked", "created")
    list_select_related = ("partner",)
    search_fields = ("name", "prefix", "partner__name")
    autocomplete_fields = ("partner",)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        key = self.model.objects.assign_key(obj)
        obj.save()
        self.message_user(
            request,
            f"Der API-Schlüssel für „{obj.partner}“ lautet: {key} – bitte jetzt sicher weitergeben; "
            "er wird nicht noch einmal angezeigt.",
            messages.WARNING,
        )


class PartnerAPIKeyInline(admin.TabularInline):
    model = PartnerAPIKey
    fields = ("prefix", "name", "created", "expiry_date", "revoked")
    readonly_fields = ("prefix", "name", "created")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # New keys are made on the key page (or with create_partner_key), where the key is shown once.
        return False


@admin.register(Partner)
class PartnerAdmin(PatientSaveMixin, admin.ModelAdmin):
    list_display = ("name", "contact_email", "is_active", "rate_limit", "key_count")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_email")
    fields = ("name", "contact_email", "is_active", "rate_limit", "created_at")
    readonly_fields = ("created_at",)
    inlines = (PartnerAPIKeyInline, WebhookEndpointInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(active_keys=Count("api_keys", filter=models.Q(api_keys__revoked=False)))
        )

    @admin.display(description="Aktive Schlüssel", ordering="active_keys")
    def key_count(self, partner):
        return partner.active_keys
