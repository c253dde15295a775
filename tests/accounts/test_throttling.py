"""Five failed logins for one account from one address pause that pair for 15 minutes;
sign-ups and password-reset requests are limited per client address and per target."""

import os
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts import throttling
from accounts.throttling import client_ip
from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

User = get_user_model()
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


SIGNUP = reverse("accounts:signup")
RESET = reverse("accounts:password-reset")
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(username, email=None, address="203.0.113.7"):
    data = {
        "username": username,
        "email": email or f"{username}@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return Client().post(SIGNUP, data, REMOTE_ADDR=address)


def main_of(content):
    """The page's main content: what it says, without the per-session CSRF token around it."""
    html = content.decode()
    return html[html.index("<main") : html.index("</main>")]


def ask_reset(email, address="203.0.113.7"):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_sign_ups_from_one_address_are_limited_and_the_next_is_a_429_page(db):
    limit = settings.SIGNUP_LIMIT_PER_CLIENT
    statuses = [sign_up(f"probe{n}").status_code for n in range(limit)]

    response = sign_up("newcomer")

    assert statuses == [302] * limit
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-up attempts" in html
    assert "try again in" in html
    assert b'<main id="main"' in response.content
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not User.objects.filter(username="newcomer").exists()
    assert sign_up("newcomer", address="198.51.100.9").status_code == 302  # another address


def test_sign_ups_for_one_username_are_limited_from_any_address(db):
    limit = settings.SIGNUP_LIMIT_PER_TARGET
    for n in range(limit):
        sign_up("ada", email=f"try{n}@example.com", address=f"192.0.2.{n}")

    assert sign_up("ADA ", email="last@example.com", address="192.0.2.99").status_code == 429


def test_sign_ups_for_one_email_are_limited_from_any_address(db):
    limit = settings.SIGNUP_LIMIT_PER_TARGET
    for n in range(limit):
        sign_up(f"try{n}", email="ada@example.com", address=f"192.0.2.{n}")

    assert sign_up("last", email="Ada@Example.com", address="192.0.2.99").status_code == 429


def test_the_sign_up_throttle_answers_the_same_whether_the_name_exists_or_not(db, monkeypatch):
    # One moment for every request: the page says the minutes left in the window, which
    # would differ between two requests on either side of a minute's boundary.
    period = settings.ACCOUNT_THROTTLE_PERIOD.total_seconds()
    moment = (time.time() // period) * period + period / 2
    monkeypatch.setattr(throttling, "time", SimpleNamespace(time=lambda: moment))
    make_user("ada")
    limit = settings.SIGNUP_LIMIT_PER_TARGET

    taken = [sign_up("ada", address=f"192.0.2.{n}").content for n in range(limit + 1)]
    free = [sign_up("zed", address=f"198.51.100.{n}").status_code for n in range(limit + 1)]

    assert free[-1] == 429
    assert main_of(taken[-1]) == main_of(sign_up("zed", address="198.51.100.99").content)


def test_ten_reset_requests_for_one_address_send_only_the_limit_of_mails(db):
    make_user("ada")
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS

    statuses = [ask_reset("ada@example.com", f"192.0.2.{n}").status_code for n in range(10)]

    assert statuses == [302] * limit + [429] * (10 - limit)
    assert len(mail.outbox) == limit


def test_the_reset_throttle_answers_the_same_whether_the_address_exists_or_not(db):
    make_user("ada")
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS

    known = [ask_reset("ada@example.com", f"192.0.2.{n}") for n in range(limit + 1)]
    unknown = [ask_reset("nobody@example.com", f"198.51.100.{n}") for n in range(limit + 1)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[-1].status_code == 429
    assert "Too many reset requests" in known[-1].content.decode()
    assert main_of(known[-1].content) == main_of(unknown[-1].content)


def test_reset_requests_from_one_address_are_limited(db):
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    statuses = [ask_reset(f"someone{n}@example.com").status_code for n in range(limit + 1)]

    assert statuses == [302] * limit + [429]
    assert ask_reset("someone@example.com", address="198.51.100.9").status_code == 302


def test_the_throttle_ends_with_its_period(db, monkeypatch):
    start = 1_800_000_000 // 3600 * 3600  # the start of an hour
    monkeypatch.setattr(time, "time", lambda: start + 10)
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        ask_reset("ada@example.com", address="192.0.2.1")
    refused = ask_reset("ada@example.com", address="192.0.2.2")

    monkeypatch.setattr(time, "time", lambda: start + 3600)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3590"
    assert ask_reset("ada@example.com", address="192.0.2.3").status_code == 302


def test_the_throttle_uses_the_client_address_behind_trusted_proxies(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    for n in range(limit):
        Client().post(RESET, {"email": f"a{n}@example.com"}, HTTP_X_FORWARDED_FOR="192.0.2.1")

    over = Client().post(RESET, {"email": "b@example.com"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    other = Client().post(RESET, {"email": "b@example.com"}, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert (over.status_code, other.status_code) == (429, 302)


REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def two_servers_on_one_redis(settings):
    """The cache as two app servers see it: separate clients (connection pools) of one Redis."""
    prefix = f"throttle-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,  # the sessions' cache stays
        **{
            name: {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
            for name in ("default", "other")
        },
    }
    caches["default"].set("ping", 1, 10)
    if caches["default"].get("ping") != 1:
        pytest.skip(f"Needs a Redis at {REDIS} (REDIS_URL)")
    yield caches["default"], caches["other"]
    caches["default"].delete("ping")


def test_the_throttles_count_across_app_servers_sharing_redis(
    db, two_servers_on_one_redis, monkeypatch
):
    first, second = two_servers_on_one_redis
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    statuses = []
    for n in range(limit + 1):
        # Each request lands on the other server, as a load balancer would send them.
        monkeypatch.setattr("accounts.throttling.cache", (first, second)[n % 2])
        statuses.append(ask_reset("ada@example.com", f"192.0.2.{n}").status_code)

    assert first is not second
    assert statuses == [302] * limit + [429]
