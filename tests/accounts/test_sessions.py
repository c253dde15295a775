"""Each session row knows its user (accounts/sessions.py), through log-in and password change."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserSession
from accounts.sessions import SessionStore
from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

MOVE_MIGRATION = import_module("accounts.migrations.0004_sessions_marked_with_their_user")
NEW = "an-entirely-new-passphrase-77"


def test_a_session_is_marked_with_its_user_through_login_and_password_change(db):
    ada = make_user("ada")
    client = Client()
    client.get(reverse("accounts:login"))
    client.post(reverse("accounts:login"), {"username": "ada", "password": PASSWORD})
    assert UserSession.objects.get(session_key=client.session.session_key).account_id == ada.pk

    client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    # The change gave the session a new key; the new row still names its user.
    assert UserSession.objects.get(session_key=client.session.session_key).account_id == ada.pk
    assert UserSession.objects.filter(account_id=ada.pk).count() == 1


def test_an_anonymous_session_belongs_to_nobody(db):
    session = SessionStore()
    session["seen"] = True
    session.save()

    assert UserSession.objects.get(session_key=session.session_key).account_id is None


def test_the_migration_moves_live_sessions_with_their_user_and_drops_the_rest(db):
    ada = make_user("ada")
    live, expired, anonymous = DjangoSessionStore(), DjangoSessionStore(), DjangoSessionStore()
    for session in (live, expired):
        session["_auth_user_id"] = str(ada.pk)
    anonymous["seen"] = True
    expired.set_expiry(timezone.now() - timedelta(days=1))
    for session in (live, expired, anonymous):
        session.save()

    MOVE_MIGRATION.move_sessions(apps, None)

    moved = {row.session_key: row.account_id for row in UserSession.objects.all()}
    assert moved == {live.session_key: ada.pk, anonymous.session_key: None}
    assert SessionStore(live.session_key).load()["_auth_user_id"] == str(ada.pk)
    assert not DjangoSession.objects.exists()
