"""Two-factor sign-in for the desk (django-otp, TOTP): offered to every staff member, required for
superusers and the "Chef vom Dienst" role when ``NEWSROOM_REQUIRE_2FA`` is on.

- The admin's sign-in form asks for the six-digit code of an authenticator app whenever the
  account has one set up; without the right code, the right password is not enough.
- ``/admin/zwei-faktor/`` sets the app up (a QR code and the key to type) and confirms it with a
  first code; a signed-in account that has one but has not used it in this session enters a code there.
- With the setting on, an account that must use it reaches no admin page but that one until it has.
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from newsroom.roles import CHEF_VOM_DIENST

CODE_MISSING = "Bitte den sechsstelligen Code aus der Authenticator-App eingeben."
CODE_WRONG = "Der Code stimmt nicht oder ist abgelaufen. Bitte den aktuellen Code aus der App eingeben."
# django-otp waits longer after each wrong code (1 s, 2 s, 4 s …): guessing takes forever.
CODE_WAIT = "Zu viele falsche Codes hintereinander. Bitte einige Sekunden warten und dann den aktuellen Code eingeben."


def code_field():
    return forms.CharField(
        label="Code aus der Authenticator-App",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
        help_text="Nur wenn die Zwei-Faktor-Anmeldung eingerichtet ist.",
    )


def must_use_two_factor(user):
    """Whether ``user`` may reach the admin only after a second factor (``NEWSROOM_REQUIRE_2FA``)."""
    if not settings.NEWSROOM_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=CHEF_VOM_DIENST).exists()


class TwoFactorLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: name and password, and the app's code for an account that has set one up."""

    otp_token = code_field()

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            token = (cleaned.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(CODE_MISSING, code="otp_missing")
            if not any(device.verify_is_allowed()[0] for device in TOTPDevice.objects.devices_for_user(user)):
                raise forms.ValidationError(CODE_WAIT, code="otp_wait")
            device = match_token(user, token)
            if device is None:
                raise forms.ValidationError(CODE_WRONG, code="otp_wrong")
            user.otp_device = device  # django-otp marks the session as verified at login
        return cleaned


class CodeForm(forms.Form):
    otp_token = code_field()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["otp_token"].required = True
        self.fields["otp_token"].help_text = ""

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(CODE_WAIT, code="otp_wait")
        if not self.device.verify_token(token):
            raise forms.ValidationError(CODE_WRONG, code="otp_wrong")
        return token


def _qr_svg(device):
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    svg = out.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # built from the device's own key URL, no outside input


@staff_member_required
def setup(request):
    """Set up the authenticator app, or confirm this session with a code."""
    user = request.user
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if confirmed is not None and user.is_verified():
        return render(request, "admin/newsroom/two_factor.html", {"state": "active", **_context(request)})
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(
                request, "Die Zwei-Faktor-Anmeldung ist eingerichtet. Ab jetzt fragt die Anmeldung nach dem Code."
            )
        otp_login(request, device)
        return redirect(_next(request))
    context = {
        "state": "verify" if device.confirmed else "setup",
        "form": form,
        "qr": None if device.confirmed else _qr_svg(device),
        "key": None if device.confirmed else _spaced_key(device),
        "required": must_use_two_factor(user),
        **_context(request),
    }
    return render(request, "admin/newsroom/two_factor.html", context)


def _next(request):
    """Where to go after the code: ``?next=`` when it is a path on this site, else the admin's start page."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _spaced_key(device):
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def _context(request):
    from django.contrib import admin

    return {**admin.site.each_context(request), "title": "Zwei-Faktor-Anmeldung"}


class TwoFactorRequiredMiddleware:
    """With ``NEWSROOM_REQUIRE_2FA``: superusers and Chef vom Dienst reach the admin only after a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and must_use_two_factor(request.user) and not request.user.is_verified():
            allowed = (reverse("two-factor"), reverse("admin:logout"), reverse("admin:login"), reverse("admin:jsi18n"))
            if request.path not in allowed:
                return redirect(f"{reverse('two-factor')}?next={request.path}")
        return self.get_response(request)
