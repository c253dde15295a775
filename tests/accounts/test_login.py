from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

User = get_user_model()
URL = reverse("accounts:login")


def log_in(client, login, password=PASSWORD, **extra):
    return client.post(URL, {"username": login, "password": password, **extra})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_logging_in_with_the_username_lands_on_the_catalogue(client, db):
    user = make_user("ada")

    response = log_in(client, "ada")

    assert response.url == reverse("roadmap:catalogue")
    assert logged_in_as(client) == str(user.pk)


def test_logging_in_with_the_email_in_any_case(client, db):
    user = make_user("ada")

    log_in(client, "ADA@Example.COM")

    assert logged_in_as(client) == str(user.pk)


def test_logging_in_with_the_username_in_another_case(client, db):
    user = make_user("Ada")

    log_in(client, "aDA")

    assert logged_in_as(client) == str(user.pk)


def test_a_wrong_password_logs_nobody_in(client, db):
    make_user("ada")

    response = log_in(client, "ada", "wrong password")

    assert response.status_code == 400
    assert logged_in_as(client) is None
    assert b"do not match an account" in response.content
    assert b'href="#id_username"' in response.content


def test_an_unknown_account_logs_nobody_in(client, db):
    response = log_in(client, "nobody@example.com")

    assert response.status_code == 400
    assert logged_in_as(client) is None


def test_an_inactive_account_cannot_log_in(client, db):
    make_user("ada", is_active=False)

    log_in(client, "ada")

    assert logged_in_as(client) is None


def test_without_remember_me_the_session_ends_with_the_browser(client, db):
    make_user("ada")

    log_in(client, "ada")

    assert client.session.get_expire_at_browser_close()


def test_remember_me_keeps_the_session_for_the_cookie_age(client, db):
    make_user("ada")

    response = log_in(client, "ada", remember_me="on")

    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_remember_me_is_off_by_default(client, db):
    html = client.get(URL).content.decode()

    assert 'name="remember_me"' in html
    assert "checked" not in html


def test_login_goes_to_a_safe_next(client, db):
    make_user("ada")

    response = log_in(client, "ada", next="/roadmaps/ml/")

    assert response.url == "/roadmaps/ml/"


def test_login_ignores_a_next_on_another_host(client, db):
    make_user("ada")
    for evil in ["https://evil.example/", "//evil.example"]:
        client.logout()
        response = log_in(client, "ada", next=evil)
        assert response.url == reverse("roadmap:catalogue")


def test_an_over_long_login_is_refused(client, db):
    response = log_in(client, "a" * 255)

    assert response.status_code == 400
    assert logged_in_as(client) is None


def test_login_without_a_csrf_token_is_refused(db):
    make_user("ada")
    client = Client(enforce_csrf_checks=True)

    response = log_in(client, "ada")

    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_logging_out_takes_a_post_and_goes_home(client, db):
    client.force_login(make_user())

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.url == reverse("roadmap:home")
    assert logged_in_as(client) is None


def test_the_nav_offers_log_in_and_sign_up_to_visitors(client, db):
    html = client.get(reverse("roadmap:home")).content.decode()

    assert f'href="{URL}"' in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert reverse("accounts:logout") not in html


def test_the_nav_offers_settings_and_log_out_to_learners(client, db):
    client.force_login(make_user())

    html = client.get(reverse("roadmap:home")).content.decode()

    assert f'href="{reverse("accounts:settings")}"' in html
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html
    assert f'href="{URL}"' not in html


def test_a_username_that_is_someone_elses_email_cannot_shadow_their_email_login(client, db):
    ada = make_user("ada")
    # Written past the validators, as an account made before usernames refused "@" could be.
    User.objects.create_user("ada@example.com", email="mallory@example.com", password=PASSWORD)

    log_in(client, "ADA@example.com")

    assert logged_in_as(client) == str(ada.pk)


def test_a_login_with_an_at_sign_is_only_looked_up_as_an_email(client, db):
    User.objects.create_user("bea@example.com", email="bea@elsewhere.example", password=PASSWORD)

    log_in(client, "bea@example.com")

    assert logged_in_as(client) is None


def test_a_login_without_an_at_sign_is_only_looked_up_as_a_username(client, db):
    User.objects.create_user("bea", email="", password=PASSWORD)
    User.objects.filter(username="bea").update(email="cyd")  # an e-mail field with no "@"

    log_in(client, "cyd")

    assert logged_in_as(client) is None
