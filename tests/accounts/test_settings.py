import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

User = get_user_model()
URL = reverse("accounts:settings")
GOOD = {
    "display_name": "Ada L.",
    "email": "ada.l@example.org",
    "time_zone": "Europe/Paris",
    "weekly_hours_goal": "6",
}


def values(user):
    user.refresh_from_db()
    return (user.display_name, user.email, user.time_zone, user.weekly_hours_goal)


def test_settings_need_login(client, db):
    assert client.get(URL).url == f"{reverse('accounts:login')}?next={URL}"


def test_the_settings_page_shows_the_current_values(client, db):
    client.force_login(make_user("ada", time_zone="Asia/Tokyo", weekly_hours_goal=7))

    html = client.get(URL).content.decode()

    assert 'value="ada@example.com"' in html
    assert '<option value="Asia/Tokyo" selected>' in html
    assert 'value="7"' in html


def test_saving_settings(client, db):
    user = make_user("ada")
    client.force_login(user)

    response = client.post(URL, GOOD)

    assert response.url == URL
    assert values(user) == ("Ada L.", "ada.l@example.org", "Europe/Paris", 6)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your settings are saved."]


def test_keeping_my_own_email_in_another_case_is_fine(client, db):
    user = make_user("ada")
    client.force_login(user)

    response = client.post(URL, {**GOOD, "email": "ADA@example.com"})

    assert response.status_code == 302


@pytest.mark.parametrize(
    "bad",
    [
        {"display_name": "x" * 81},
        {"email": "BEA@Example.com"},
        {"email": "not an address"},
        {"email": ""},
        {"email": "a" * 250 + "@example.com"},
        {"time_zone": "Mars/Olympus_Mons"},
        {"weekly_hours_goal": "81"},
        {"weekly_hours_goal": "-1"},
        {"weekly_hours_goal": "lots"},
    ],
    ids=lambda bad: f"{next(iter(bad))}={next(iter(bad.values()))[:20]}",
)
def test_bad_settings_change_nothing(client, db, bad):
    user = make_user("ada")
    make_user("bea")
    client.force_login(user)
    before = values(user)

    response = client.post(URL, {**GOOD, **bad})

    assert response.status_code == 400
    assert values(user) == before
    field = next(iter(bad))
    assert f'href="#id_{field}"'.encode() in response.content
    assert b'aria-invalid="true"' in response.content


def test_a_weekly_hours_goal_over_80_is_reported_once_in_the_summary_and_once_at_the_field(
    client, db
):
    client.force_login(make_user("ada"))

    response = client.post(URL, {**GOOD, "weekly_hours_goal": "81"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert html.count("less than or equal to 80") == 2


def test_settings_without_a_csrf_token_are_refused(db):
    user = make_user("ada")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = values(user)

    assert client.post(URL, GOOD).status_code == 403
    assert values(user) == before
