import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

User = get_user_model()
URL = reverse("accounts:signup")
PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, **fields):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Europe/London",
        **fields,
    }
    return client.post(URL, data)


def test_signing_up_logs_in_and_lands_on_the_catalogue(client, db):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("roadmap:catalogue")
    user = User.objects.get()
    assert (user.username, user.email, user.time_zone) == (
        "ada",
        "ada@example.com",
        "Europe/London",
    )
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_signing_up_goes_to_a_safe_next(client, db):
    response = sign_up(client, next="/roadmaps/some-roadmap/#enrol")

    assert response.url == "/roadmaps/some-roadmap/#enrol"


def test_signing_up_ignores_a_next_on_another_host(client, db):
    for index, evil in enumerate(["https://evil.example/", "//evil.example", "///evil.example"]):
        client.logout()
        response = sign_up(client, username=f"ada{index}", email=f"a{index}@x.org", next=evil)
        assert response.url == reverse("roadmap:catalogue")


def test_signup_page_keeps_the_next_from_the_enrol_redirect(client, db):
    response = client.get(URL, {"next": "/roadmaps/ml/#enrol"})

    assert b'name="next" value="/roadmaps/ml/#enrol"' in response.content


def test_signup_page_drops_a_next_on_another_host(client, db):
    response = client.get(URL, {"next": "https://evil.example/"})

    assert b"evil.example" not in response.content


def test_an_unknown_or_missing_time_zone_becomes_utc(client, db):
    sign_up(client, time_zone="Mars/Olympus_Mons")
    client.logout()
    sign_up(client, username="bea", email="bea@example.com", time_zone="")

    assert list(User.objects.values_list("time_zone", flat=True)) == ["UTC", "UTC"]


def test_mismatched_passwords_create_nothing(client, db):
    response = sign_up(client, password2=PASSWORD + "x")

    assert response.status_code == 400
    assert not User.objects.exists()
    assert b'href="#id_password2"' in response.content


def test_a_weak_password_creates_nothing(client, db):
    for weak in ["12345678", "password", "ada", "short"]:
        response = sign_up(client, password1=weak, password2=weak)
        assert response.status_code == 400
    assert not User.objects.exists()


def test_a_username_taken_in_another_case_creates_nothing(client, db):
    make_user("Ada")

    response = sign_up(client, username="aDA")

    assert response.status_code == 400
    assert User.objects.count() == 1
    assert b"A user with that username already exists." in response.content


def test_an_email_taken_in_another_case_creates_nothing(client, db):
    User.objects.create_user("someone", email="Ada@Example.com", password=PASSWORD)

    response = sign_up(client, email="ada@EXAMPLE.com")

    assert response.status_code == 400
    assert User.objects.count() == 1
    assert b"An account with this e-mail address already exists." in response.content


def test_over_long_fields_create_nothing(client, db):
    too_long = {
        "username": "a" * 151,
        "email": "a" * 250 + "@example.com",
    }
    for field, value in too_long.items():
        response = sign_up(client, **{field: value})
        assert response.status_code == 400
        assert f'href="#id_{field}"'.encode() in response.content
    assert not User.objects.exists()


def test_errors_are_summarised_focused_and_tied_to_their_fields(client, db):
    response = sign_up(client, email="not-an-address", password2="different")
    html = response.content.decode()

    assert 'class="error-summary"' in html
    assert 'tabindex="-1" autofocus' in html
    assert 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'id="id_email_error"' in html


def test_signup_without_a_csrf_token_is_refused(db):
    response = sign_up(Client(enforce_csrf_checks=True))

    assert response.status_code == 403
    assert not User.objects.exists()


def test_a_logged_in_learner_is_sent_on_from_signup(client, db):
    client.force_login(make_user())

    assert client.get(URL).url == reverse("roadmap:catalogue")


def test_the_new_session_ends_with_the_browser_as_a_login_without_remember_me_does(client, db):
    response = sign_up(client)

    assert client.session.get_expire_at_browser_close()
    assert "max-age" not in str(response.cookies[settings.SESSION_COOKIE_NAME]).lower()


def test_a_username_equal_to_someone_elses_email_creates_nothing(client, db):
    make_user("ada")

    response = sign_up(client, username="ada@example.com", email="mallory@example.com")

    assert response.status_code == 400
    assert User.objects.count() == 1
    assert 'href="#id_username"' in response.content.decode()


@pytest.mark.parametrize("username", ["bea@example.com", "bea@", "@bea", "b@a"])
def test_a_username_with_an_at_sign_creates_nothing(client, db, username):
    response = sign_up(client, username=username, email="bea@example.com")

    assert response.status_code == 400
    assert not User.objects.exists()
    assert "cannot contain @" in response.content.decode()
