from importlib import import_module

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.deletion import delete_account
from roadmap.models import (
    Activity,
    Enrollment,
    MilestoneProgress,
    PersonalLink,
    StepNote,
    StepSkip,
)
from tests.accounts.helpers import PASSWORD, learner_with_data
from tests.factories import load_roadmap, make_user, roadmap_data

User = get_user_model()
URL = reverse("accounts:delete")
LEARNER_DATA = [Enrollment, MilestoneProgress, StepSkip, StepNote, PersonalLink, Activity]


def data_of(user):
    counts = {Enrollment: Enrollment.objects.filter(user=user).count()}
    for model in LEARNER_DATA[1:]:
        counts[model] = model.objects.filter(enrollment__user=user).count()
    return counts


@pytest.fixture
def two_learners(db):
    """Two learners enrolled in the same roadmap, both with progress, notes and history."""
    roadmap = load_roadmap(roadmap_data())
    return learner_with_data("ada", roadmap), learner_with_data("bea", roadmap)


def test_deleting_my_account_deletes_me_and_all_my_data(client, two_learners):
    me, _ = two_learners
    client.force_login(me)

    response = client.post(URL, {"password": PASSWORD})

    assert response.url == reverse("roadmap:home")
    assert not User.objects.filter(pk=me.pk).exists()
    assert all(count == 0 for count in data_of(me).values())
    assert "_auth_user_id" not in client.session
    home = client.get(response.url)
    assert "Your account and all its data are deleted" in home.content.decode()


def test_deleting_my_account_leaves_everyone_elses_data_intact(client, two_learners):
    me, other = two_learners
    before = data_of(other)
    assert all(before.values())
    client.force_login(me)

    client.post(URL, {"password": PASSWORD})

    assert data_of(other) == before
    assert User.objects.filter(pk=other.pk).exists()


def test_a_wrong_password_deletes_nothing(client, two_learners):
    me, _ = two_learners
    client.force_login(me)
    before = data_of(me)

    response = client.post(URL, {"password": "wrong"})

    assert response.status_code == 400
    assert User.objects.filter(pk=me.pk).exists()
    assert data_of(me) == before
    assert b'href="#id_password"' in response.content
    assert b"Nothing was deleted" in response.content


def test_a_missing_password_deletes_nothing(client, two_learners):
    me, _ = two_learners
    client.force_login(me)

    assert client.post(URL, {}).status_code == 400
    assert User.objects.filter(pk=me.pk).exists()


def test_delete_without_a_csrf_token_is_refused(two_learners):
    me, _ = two_learners
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)

    assert client.post(URL, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=me.pk).exists()


def test_delete_needs_login(client, db):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    assert client.post(URL, {"password": PASSWORD}).url.startswith(reverse("accounts:login"))


def test_deletion_also_forgets_my_login_records(client, db):
    me = make_user("ada")
    client.post(reverse("accounts:login"), {"username": "ada", "password": PASSWORD})
    assert AccessLog.objects.filter(username="ada").exists()

    delete_account(me)

    assert not AccessLog.objects.filter(username="ada").exists()


def test_deletion_is_all_or_nothing(two_learners, monkeypatch):
    me, _ = two_learners
    before = data_of(me)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(User, "delete", fail)
    with pytest.raises(RuntimeError):
        delete_account(me)

    assert data_of(me) == before


def session_exists(key):
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def logged_in_client(username):
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def test_deleting_my_account_ends_my_sessions_on_every_device(two_learners):
    laptop, phone, other = logged_in_client("ada"), logged_in_client("ada"), logged_in_client("bea")
    phone_session = phone.session.session_key

    laptop.post(URL, {"password": PASSWORD})

    assert not session_exists(phone_session)
    assert phone.get(reverse("accounts:settings")).url.startswith(reverse("accounts:login"))
    assert session_exists(other.session.session_key)
    assert other.get(reverse("accounts:settings")).status_code == 200
