import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

User = get_user_model()
NEW = "an-entirely-new-passphrase-77"
CHANGE = reverse("accounts:password-change")
RESET = reverse("accounts:password-reset")


def test_changing_the_password(client, db):
    user = make_user("ada")
    client.force_login(user)

    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.url == reverse("accounts:password-change-done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get(reverse("accounts:settings")).status_code == 200  # still logged in


@pytest.mark.parametrize(
    "data",
    [
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ],
    ids=["wrong old password", "mismatched", "weak"],
)
def test_a_bad_password_change_changes_nothing(client, db, data):
    user = make_user("ada")
    client.force_login(user)

    response = client.post(CHANGE, data)

    assert response.status_code == 200
    assert b'class="error-summary"' in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_needs_login(client, db):
    response = client.get(CHANGE)

    assert response.url.startswith(reverse("accounts:login"))


def test_password_change_without_a_csrf_token_is_refused(db):
    user = make_user("ada")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def reset_link(client, email):
    client.post(RESET, {"email": email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)


def set_password(client, link, password=NEW):
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_resetting_the_password_by_email_in_any_case(client, db):
    user = make_user("ada")

    link = reset_link(client, "ADA@example.com")
    response = set_password(client, link)

    assert response.url == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert mail.outbox[0].to == ["ada@example.com"]
    assert mail.outbox[0].subject == "Reset your Waypoint password"


def test_an_unknown_email_sends_nothing_and_says_the_same(client, db):
    make_user("ada")

    response = client.post(RESET, {"email": "nobody@example.com"})

    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_a_reset_link_works_once(client, db):
    user = make_user("ada")
    link = reset_link(client, "ada@example.com")
    set_password(client, link)

    client.post(reverse("accounts:logout"))
    page = client.get(link, follow=True)

    assert b"This reset link no longer works" in page.content
    set_password(client, link, "yet-another-passphrase-99")
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_reset_link_expires(client, db, monkeypatch):
    user = make_user("ada")
    link = reset_link(client, "ada@example.com")
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    page = client.get(link, follow=True)

    assert b"This reset link no longer works" in page.content
    set_password(client, link)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_link_still_works_just_before_it_expires(client, db, monkeypatch):
    make_user("ada")
    link = reset_link(client, "ada@example.com")
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    assert set_password(client, link).url == reverse("accounts:password-reset-complete")


def test_a_reset_with_mismatched_passwords_changes_nothing(client, db):
    user = make_user("ada")
    link = reset_link(client, "ada@example.com")
    page = client.get(link, follow=True)

    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW + "x"}
    )

    assert response.status_code == 200
    assert b'href="#id_new_password2"' in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_logs_out_my_other_sessions_but_not_this_one(db):
    make_user("ada")
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(reverse("accounts:login"), {"username": "ada", "password": PASSWORD})

    here.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert here.get(reverse("accounts:settings")).status_code == 200
    assert elsewhere.get(reverse("accounts:settings")).url.startswith(reverse("accounts:login"))


def test_resetting_the_password_logs_out_every_session(client, db):
    make_user("ada")
    elsewhere = Client()
    elsewhere.post(reverse("accounts:login"), {"username": "ada", "password": PASSWORD})

    set_password(client, reset_link(client, "ada@example.com"))

    assert elsewhere.get(reverse("accounts:settings")).url.startswith(reverse("accounts:login"))
