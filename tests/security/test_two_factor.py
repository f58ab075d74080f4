"""Two-factor sign-in (TOTP): offered to staff, then asked at every sign-in; required for superusers and
"Chef vom Dienst" when NEWSROOM_REQUIRE_2FA says so.
"""

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.roles import CHEF_VOM_DIENST, REDAKTION
from newsroom.security.two_factor import CODE_MISSING, CODE_WAIT, CODE_WRONG
from tests.test_workflow import make_editor

pytestmark = pytest.mark.django_db

SETUP = "/admin/zwei-faktor/"
LOGIN = "/admin/login/?next=/admin/"


def code(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, username, otp_token=""):
    return client.post(LOGIN, {"username": username, "password": "geheim", "otp_token": otp_token})


def test_staff_sets_up_the_app_and_is_then_asked_for_its_code_at_every_sign_in(django_user_model):
    make_editor(django_user_model, "redakteurin", REDAKTION)
    client = Client()
    assert sign_in(client, "redakteurin").status_code == 302  # offered, not required: the password suffices

    page = client.get(SETUP).content.decode()
    assert "Scannen Sie den Code mit einer Authenticator-App" in page
    assert "<svg" in page and re.search(r"Schlüssel: <code>[A-Z2-7 ]{20,}</code>", page)
    device = TOTPDevice.objects.get(user__username="redakteurin")
    assert not device.confirmed

    wrong = client.post(SETUP, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert CODE_WRONG in wrong.content.decode()
    assert CODE_WAIT in client.post(SETUP, {"otp_token": code(device)}).content.decode()  # guessing is slowed
    time.sleep(1.1)
    assert client.post(SETUP, {"otp_token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "ist für Ihr Konto eingerichtet und in dieser Sitzung bestätigt" in client.get(SETUP).content.decode()

    fresh = Client()
    missing = sign_in(fresh, "redakteurin")
    assert missing.status_code == 200 and CODE_MISSING in missing.content.decode()
    assert "_auth_user_id" not in fresh.session
    wrong = sign_in(fresh, "redakteurin", "123456" if code(device, 1) != "123456" else "654321")
    assert CODE_WRONG in wrong.content.decode()
    time.sleep(1.1)
    assert sign_in(fresh, "redakteurin", code(device, 1)).status_code == 302
    assert fresh.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["superuser", CHEF_VOM_DIENST])
def test_the_setting_requires_it_for_superusers_and_chef_vom_dienst(django_user_model, settings, role):
    settings.NEWSROOM_REQUIRE_2FA = True
    if role == "superuser":
        user = django_user_model.objects.create_superuser("chefin", password="geheim")
    else:
        user = make_editor(django_user_model, "chefin", role)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/newsroom/article/").url == f"{SETUP}?next=/admin/newsroom/article/"
    page = client.get(SETUP).content.decode()
    assert "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben" in page
    device = TOTPDevice.objects.get(user=user)
    assert client.post(f"{SETUP}?next=/admin/newsroom/article/", {"otp_token": code(device)}).url == (
        "/admin/newsroom/article/"
    )
    assert client.get("/admin/newsroom/article/").status_code == 200


def test_the_setting_leaves_the_editors_free_to_choose(django_user_model, settings):
    settings.NEWSROOM_REQUIRE_2FA = True
    client = Client()
    client.force_login(make_editor(django_user_model, "redakteurin", REDAKTION))
    assert client.get("/admin/").status_code == 200


def test_after_the_code_only_a_path_on_this_site_is_followed(django_user_model):
    make_editor(django_user_model, "redakteurin", REDAKTION)
    client = Client()
    sign_in(client, "redakteurin")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username="redakteurin")
    response = client.post(f"{SETUP}?next=https://evil.example/phish", {"otp_token": code(device)})
    assert response.url == "/admin/"  # never an address elsewhere (no open redirect)
