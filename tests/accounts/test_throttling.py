"""Five failed logins for one account from one address pause that pair for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from accounts.throttling import client_ip
from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

URL = reverse("accounts:login")


def log_in(client, login, password=PASSWORD, address="203.0.113.7", **headers):
    return client.post(
        URL, {"username": login, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, login, times, address="203.0.113.7"):
    return [log_in(client, login, "wrong", address).status_code for _ in range(times)]


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_fifth_failure_locks_and_the_sixth_is_refused_with_the_right_password(client, db):
    make_user("ada")

    assert fail(client, "ada", 5) == [400, 400, 400, 400, 429]
    response = log_in(client, "ada")

    assert response.status_code == 429
    assert not logged_in(client)
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "paused for 15 minutes" in response.content.decode()
    assert b'<main id="main"' in response.content  # rendered in the site's layout


def test_four_failures_then_the_right_password_logs_in_and_resets_the_count(client, db):
    make_user("ada")
    fail(client, "ada", 4)

    assert log_in(client, "ada").status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert fail(client, "ada", 4) == [400] * 4
    assert log_in(client, "ada").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, db):
    make_user("ada")
    fail(client, "ada", 5)

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )

    assert log_in(client, "ada").status_code == 302
    assert logged_in(client)


def test_the_lock_still_holds_just_before_the_cool_off_ends(client, db):
    make_user("ada")
    fail(client, "ada", 5)

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        + timedelta(seconds=30)
    )

    assert log_in(client, "ada").status_code == 429


def test_failures_by_email_and_other_cases_count_towards_the_same_lock(client, db):
    make_user("ada")
    log_in(client, "ada", "wrong")
    log_in(client, "ADA", "wrong")
    log_in(client, "ada@example.com", "wrong")
    log_in(client, "Ada@Example.com", "wrong")

    assert log_in(client, "ada", "wrong").status_code == 429
    assert log_in(client, "ada@example.com").status_code == 429
    assert not logged_in(client)


def test_the_lock_is_for_one_account_from_one_address(client, db):
    make_user("ada")
    make_user("bea")
    fail(client, "ada", 5)

    assert log_in(client, "bea").status_code == 302  # another account, same address
    client.logout()
    assert log_in(client, "ada", address="198.51.100.9").status_code == 302  # another address


def test_forwarded_for_headers_are_ignored_by_default(client, db):
    make_user("ada")
    for n in range(5):
        log_in(client, "ada", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert log_in(client, "ada", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


class FakeRequest:
    def __init__(self, forwarded="", remote="10.0.0.2"):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1, 2.2.2.2", "10.0.0.2"),
        (1, "1.1.1.1, 2.2.2.2", "2.2.2.2"),
        (2, "1.1.1.1, 2.2.2.2", "1.1.1.1"),
        (1, "", "10.0.0.2"),
        (3, "1.1.1.1, 2.2.2.2", "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(FakeRequest(forwarded)) == expected
