"""Reminder e-mails go through a real SMTP server: content, both parts, headers, each once."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from reminders import emails
from reminders.models import ReminderSettings, SentReminder, Weekday
from reminders.sending import STALE_CLAIM, send_due_reminders
from tests.factories import bulk_roadmap, load_roadmap, roadmap_data
from tests.reminders.helpers import learner, reminders, tick

BERLIN = ZoneInfo("Europe/Berlin")
# Sunday 29 March 2026, 09:00 in Berlin: the first morning of summer time.
NOW = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


@pytest.fixture
def roadmap(db):
    return load_roadmap(roadmap_data(phases=2, steps=3, milestones=2))


@pytest.fixture
def berliner(roadmap):
    """Enrolled five weeks ago at 10 h/week, target 1 June; ticked 3 milestones this week."""
    user, enrollment = learner(
        "berliner",
        roadmap,
        enrolled_at=NOW - timedelta(weeks=5),
        time_zone="Europe/Berlin",
        target=date(2026, 6, 1),
    )
    for days_ago in (20, 12):
        tick(enrollment, NOW - timedelta(days=days_ago))
    for days_ago in (5, 3, 1):
        tick(enrollment, NOW - timedelta(days=days_ago))
    reminders(user, digest=True, digest_weekday=Weekday.SUNDAY, hour=9)
    return user


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def unsubscribe_path(message):
    header = message["List-Unsubscribe"].strip()  # long headers are folded onto a new line
    match = re.fullmatch(r"<https://waypoint\.example(/unsubscribe/[^/>]+/)>", header)
    assert match, header
    return match.group(1)


def test_the_digest_arrives_by_smtp_with_the_week_the_pace_and_the_coming_steps(
    smtp_server, berliner
):
    assert send_due_reminders(NOW) == 1

    (message,) = smtp_server.inbox.to("berliner@example.com")
    assert message["Subject"] == "Your week on Waypoint, 29 March"
    text, html = parts(message)
    assert "Roadmap test-roadmap — 41% done" in text  # 5 of 12 milestones
    # Sunday the 29th in Berlin looks back to Monday the 23rd: three ticks, 5 h each.
    assert "since Monday 23 March" in text
    assert "Last seven days: 3 milestones ticked, about 15.0 hours of learning." in text
    assert "Pace: you planned 10 hours a week" in text
    assert "The coming week:" in text
    assert "- Step 0.2 (Phase 0), about 5 hours left\n- Step 1.0 (Phase 1), about 10" in text
    assert "https://waypoint.example/dashboard/test-roadmap/" in text
    assert "Roadmap test-roadmap</a> — 41% done" in html
    assert "<li>Step 0.2 (Phase 0)" in html


def test_the_digest_carries_one_click_unsubscribe_headers_and_a_link_in_both_parts(
    smtp_server, berliner
):
    send_due_reminders(NOW)

    (message,) = smtp_server.inbox.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    text, html = parts(message)
    assert f"https://waypoint.example{path}" in text
    assert f'href="https://waypoint.example{path}"' in html


def test_one_click_unsubscribe_stops_the_digest_for_that_learner_only(
    smtp_server, berliner, roadmap
):
    other, __ = learner("other", roadmap, enrolled_at=NOW - timedelta(weeks=5))
    reminders(other, digest=True, digest_weekday=Weekday.SUNDAY, hour=7)
    send_due_reminders(NOW)
    (message,) = smtp_server.inbox.to("berliner@example.com")

    # As a mail client does it (RFC 8058): a POST without session or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(message), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert not ReminderSettings.objects.get(user=berliner).digest
    assert ReminderSettings.objects.get(user=other).digest
    next_week = NOW + timedelta(weeks=1)
    send_due_reminders(next_week)
    assert len(smtp_server.inbox.to("berliner@example.com")) == 1
    assert len(smtp_server.inbox.to("other@example.com")) == 2


def test_following_the_unsubscribe_link_asks_first_and_changes_nothing(smtp_server, berliner):
    send_due_reminders(NOW)
    path = unsubscribe_path(smtp_server.inbox.messages[0])

    response = Client().get(path)

    assert response.status_code == 200
    assert b"Stop the weekly digest e-mails?" in response.content
    assert f'action="{path}"'.encode() in response.content
    assert ReminderSettings.objects.get(user=berliner).digest


def test_a_digest_goes_out_once_however_often_the_sender_runs(smtp_server, berliner):
    assert send_due_reminders(NOW) == 1
    assert send_due_reminders(NOW + timedelta(minutes=5)) == 0
    assert send_due_reminders(NOW + timedelta(hours=3)) == 0

    assert len(smtp_server.inbox.messages) == 1
    row = SentReminder.objects.get()
    assert (row.kind, row.period, row.attempts) == ("digest", "2026-W13", 1)
    assert row.sent_at is not None


def test_a_claim_left_unsent_by_a_crashed_sender_is_sent_by_a_later_pass(smtp_server, berliner):
    SentReminder.objects.create(
        user=berliner, kind="digest", period="2026-W13", claimed_at=NOW - STALE_CLAIM
    )

    assert send_due_reminders(NOW + timedelta(seconds=1)) == 1

    assert len(smtp_server.inbox.messages) == 1
    row = SentReminder.objects.get()
    assert row.attempts == 2
    assert row.sent_at is not None


def test_a_fresh_claim_of_another_sender_is_left_to_it(smtp_server, berliner):
    SentReminder.objects.create(
        user=berliner, kind="digest", period="2026-W13", claimed_at=NOW - timedelta(minutes=1)
    )

    assert send_due_reminders(NOW) == 0

    assert smtp_server.inbox.messages == []


def test_a_refused_message_stays_claimed_for_a_retry_and_is_given_up_after_three_tries(
    smtp_server, berliner, caplog
):
    async def refuse(server, session, envelope):
        return "550 No such mailbox"

    smtp_server.inbox.handle_DATA = refuse

    assert send_due_reminders(NOW) == 0
    assert "Could not send the digest e-mail to user" in caplog.text
    row = SentReminder.objects.get()
    assert row.sent_at is None
    for attempt in (1, 2, 3):
        send_due_reminders(NOW + attempt * STALE_CLAIM + timedelta(seconds=attempt))
    row.refresh_from_db()
    assert (row.attempts, row.sent_at) == (3, None)


def test_nobody_gets_e_mail_without_asking(smtp_server, roadmap):
    learner("quiet", roadmap, enrolled_at=NOW - timedelta(weeks=5))

    assert send_due_reminders(NOW) == 0
    assert send_due_reminders(NOW + timedelta(days=30)) == 0
    assert smtp_server.inbox.messages == []


def test_the_digest_is_written_in_the_learners_language(smtp_server, berliner):
    ReminderSettings.objects.filter(user=berliner).update(language="de")

    send_due_reminders(NOW)

    text, __ = parts(smtp_server.inbox.messages[0])
    assert "Montag 23 März" in text  # Django's own German month and day names


def test_a_nudge_comes_after_the_chosen_local_days_without_a_tick(smtp_server, roadmap):
    user, enrollment = learner(
        "quiet", roadmap, enrolled_at=NOW - timedelta(weeks=5), time_zone="Europe/Berlin"
    )
    # Saturday 28 March, 23:30 in Berlin (22:30 UTC).
    tick(enrollment, datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    reminders(user, nudge_days=1, hour=9)

    assert send_due_reminders(NOW - timedelta(minutes=1)) == 0
    assert send_due_reminders(NOW) == 1
    assert send_due_reminders(NOW + timedelta(days=1)) == 0  # one nudge per quiet spell

    (message,) = smtp_server.inbox.messages
    assert message["Subject"] == "A day without a tick on Waypoint"
    text, html = parts(message)
    assert "Your last tick on Waypoint was on Saturday 28 March." in text
    assert "next up, Step 0.0" in html
    assert "next up, Step 0.0" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Client().post(unsubscribe_path(message))
    assert ReminderSettings.objects.get(user=user).nudge_days is None


def test_a_paused_roadmap_gets_no_reminders(smtp_server, berliner):
    berliner.enrollments.update(status="paused")

    assert send_due_reminders(NOW) == 0


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_digest_takes_a_fixed_number_of_queries_whatever_the_roadmap_size(
    roadmap, size, django_assert_max_num_queries
):
    if size == "large":
        roadmap = bulk_roadmap(phases=10, steps=50)
    user, enrollment = learner("ada", roadmap, enrolled_at=NOW - timedelta(weeks=5))
    for days_ago in range(1, 20):
        tick(enrollment, NOW - timedelta(days=days_ago), count=2)
    prefs = reminders(user, digest=True, digest_weekday=Weekday.SUNDAY, hour=7)
    prefs = ReminderSettings.objects.select_related("user").get(pk=prefs.pk)

    with django_assert_max_num_queries(11):
        message = emails.build(prefs, "digest", NOW)

    assert "Last seven days: 12 milestones ticked" in message.body  # six days of two ticks
