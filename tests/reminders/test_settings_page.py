"""The reminder settings page, the unsubscribe pages and what happens on account deletion."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import deletion
from accounts.export import export
from reminders import calendar, emails
from reminders.models import CalendarFeed, ReminderSettings, SentReminder
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

PAGE = reverse("reminders:settings")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ada(db):
    return make_user("ada")


def test_everything_is_off_until_the_learner_asks(ada):
    response = logged_in(ada).get(PAGE)

    assert response.status_code == 200
    assert not ReminderSettings.objects.exists()  # a page view writes nothing
    assert 'name="digest"' in response.text
    assert "checked" not in response.text


def test_saving_the_settings_switches_reminders_on_in_the_learners_language(ada):
    with translation.override("de"):
        response = logged_in(ada).post(
            PAGE,
            {"digest": "on", "digest_weekday": "6", "hour": "18", "nudge_days": "3"},
        )

    assert response.status_code == 302
    prefs = ReminderSettings.objects.get(user=ada)
    assert (prefs.digest, prefs.digest_weekday, prefs.hour, prefs.nudge_days) == (
        True,
        6,
        18,
        3,
    )
    assert prefs.language == "de"  # the language the page was served in


def test_an_empty_nudge_field_turns_nudges_off(ada):
    ReminderSettings.objects.create(user=ada, nudge_days=4)

    logged_in(ada).post(PAGE, {"digest_weekday": "0", "hour": "9", "nudge_days": ""})

    assert ReminderSettings.objects.get(user=ada).nudge_days is None


@pytest.mark.parametrize(
    ("field", "value"), [("nudge_days", "0"), ("nudge_days", "61"), ("hour", "24")]
)
def test_a_value_out_of_range_is_refused_and_changes_nothing(ada, field, value):
    data = {"digest": "on", "digest_weekday": "0", "hour": "9", "nudge_days": "2", field: value}

    response = logged_in(ada).post(PAGE, data)

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert not ReminderSettings.objects.exists()


def test_the_settings_page_needs_a_login(db):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_learner_changes_only_their_own_settings(ada):
    bob = make_user("bob")
    ReminderSettings.objects.create(user=bob, digest=True, nudge_days=5)

    logged_in(ada).post(PAGE, {"digest_weekday": "0", "hour": "9", "nudge_days": ""})

    bob_prefs = ReminderSettings.objects.get(user=bob)
    assert (bob_prefs.digest, bob_prefs.nudge_days) == (True, 5)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        emails.unsubscribe_token(1, "digest") + "x",  # tampered
        emails.unsubscribe_token(1, "digest").replace("WzEs", "WzIs"),  # another user id
    ],
)
def test_an_unsubscribe_link_not_made_by_the_site_is_a_404_and_changes_nothing(ada, token):
    ReminderSettings.objects.create(user=ada, digest=True)

    assert Client().post(reverse("reminders:unsubscribe", args=[token])).status_code == 404
    assert Client().get(reverse("reminders:unsubscribe", args=[token])).status_code == 404
    assert ReminderSettings.objects.get(user=ada).digest


def test_unsubscribing_from_the_digest_keeps_the_nudges(ada):
    ReminderSettings.objects.create(user=ada, digest=True, nudge_days=2)
    url = reverse("reminders:unsubscribe", args=[emails.unsubscribe_token(ada.pk, "digest")])

    response = Client().post(url)

    assert "You will get no more weekly digests." in response.text
    prefs = ReminderSettings.objects.get(user=ada)
    assert (prefs.digest, prefs.nudge_days) == (False, 2)


def test_the_settings_page_and_the_dashboard_link_to_the_reminders(ada):
    roadmap = load_roadmap(roadmap_data())
    enrol(ada, roadmap)
    client = logged_in(ada)

    assert f'href="{PAGE}"' in client.get(reverse("accounts:settings")).text
    dashboard = client.get(reverse("roadmap:dashboard-roadmap", args=[roadmap.slug])).text
    assert f'href="{PAGE}"' in dashboard
    assert f'href="{reverse("reminders:calendar", args=[roadmap.slug])}"' in dashboard


def test_deleting_the_account_deletes_reminders_claims_and_calendar_feeds(ada):
    roadmap = load_roadmap(roadmap_data())
    enrollment = enrol(ada, roadmap)
    calendar.issue_token(enrollment)
    ReminderSettings.objects.create(user=ada, digest=True)
    SentReminder.objects.create(
        user=ada, kind="digest", period="2026-W13", claimed_at=ada.date_joined
    )

    deletion.delete_account(ada)

    assert not CalendarFeed.objects.exists()
    assert not ReminderSettings.objects.exists()
    assert not SentReminder.objects.exists()


def test_the_export_holds_the_reminder_settings_the_sent_log_and_whether_a_feed_is_on(ada):
    roadmap = load_roadmap(roadmap_data())
    calendar.issue_token(enrol(ada, roadmap))
    ReminderSettings.objects.create(user=ada, digest=True, digest_weekday=6, hour=18)
    SentReminder.objects.create(
        user=ada, kind="digest", period="2026-W13", claimed_at=ada.date_joined
    )

    document = export(ada)

    assert document["enrolments"][0]["calendar_feed"] is True
    assert document["reminders"] == {
        "settings": {
            "weekly_digest": True,
            "digest_weekday": 6,
            "hour": 18,
            "nudge_after_days": None,
            "language": "en",
        },
        "sent": [{"kind": "digest", "period": "2026-W13", "sent_at": None}],
    }


@pytest.mark.parametrize("page", ["settings", "calendar", "unsubscribe"])
def test_head_answers_as_get_and_changes_nothing(ada, page):
    roadmap = load_roadmap(roadmap_data())
    enrol(ada, roadmap)
    client = logged_in(ada)
    urls = {
        "settings": PAGE,
        "calendar": reverse("reminders:calendar", args=[roadmap.slug]),
        "unsubscribe": reverse(
            "reminders:unsubscribe", args=[emails.unsubscribe_token(ada.pk, "digest")]
        ),
    }
    if page == "calendar":
        client.post(urls[page], {"action": "new"})

    head = client.head(urls[page])
    get = client.get(urls[page])

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert not ReminderSettings.objects.exists()
    if page == "calendar":
        assert "Your calendar link</label>" in get.text  # the HEAD did not use up the link
