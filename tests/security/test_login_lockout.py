"""Sign-in abuse: after a few wrong passwords the user is locked out from that address, with a German page,
and an administrator can lift the lock in the admin.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests.test_editor_journey import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
LOCKED = "Anmeldung vorübergehend gesperrt"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("redakteurin", password=PASSWORD, is_staff=True)


def sign_in(client, password, address="203.0.113.7", username="redakteurin"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_the_user_out_from_that_address_even_with_the_right_one(editor, settings):
    client = Client()
    answers = [sign_in(client, f"falsch-{n}") for n in range(settings.AXES_FAILURE_LIMIT - 1)]
    assert all(answer.status_code == 200 for answer in answers)
    assert "Bitte Benutzername und Passwort für einen Staff-Account eingeben." in answers[0].content.decode()

    locked = sign_in(client, "falsch-letztes")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED in page
    assert (
        f"Zu viele fehlgeschlagene Anmeldeversuche für „redakteurin“ von dieser Adresse ({settings.AXES_FAILURE_LIMIT}"
        in page
    )
    assert "nach 30 Minuten" in page

    right = sign_in(client, PASSWORD)
    assert right.status_code == 429  # the right password does not open a locked door
    assert "_auth_user_id" not in client.session

    elsewhere = sign_in(Client(), PASSWORD, address="198.51.100.20")
    assert elsewhere.status_code == 302  # the same editor from her own desk is not locked out


def test_the_limit_is_a_setting(editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    assert sign_in(client, "falsch").status_code == 200
    assert sign_in(client, "falsch").status_code == 429


def test_an_administrator_lifts_the_lock_in_the_admin(editor, settings, admin_client):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"falsch-{n}")
    assert sign_in(client, PASSWORD).status_code == 429

    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "Zugriffsversuche" in listing.content.decode() and "redakteurin" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="redakteurin")
    deleted = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
