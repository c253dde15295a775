"""The private calendar feed: made, copied, regenerated and revoked by its learner, read by
calendar apps without logging in, and a 404 for any token that is not the current one."""

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reminders import calendar
from reminders.models import CalendarFeed
from roadmap import learning
from roadmap.models import Milestone
from roadmap.plan import weekly_plan
from tests.factories import bulk_roadmap, load_roadmap, make_user, roadmap_data


@pytest.fixture
def roadmap(db):
    return load_roadmap(roadmap_data(phases=2, steps=3, milestones=2))


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def enrolled(username, roadmap, **extra):
    user = make_user(username, **extra)
    enrollment, __ = learning.enrol(user, roadmap, weekly_hours=10, target_date=date(2027, 6, 1))
    return user, enrollment


def new_feed_url(client, slug):
    """Press "Make a calendar link" and read the URL the next page shows once."""
    page = client.post(reverse("reminders:calendar", args=[slug]), {"action": "new"}, follow=True)
    assert page.status_code == 200
    match = re.search(r'value="https://waypoint\.example(/calendar/[^"]+\.ics)"', page.text)
    assert match, page.text
    return match.group(1)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://waypoint.example"


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    return list(parsed.walk("VEVENT"))


def test_the_feed_parses_and_has_each_planned_step_on_its_planned_weeks_and_the_target(roadmap):
    user, enrollment = enrolled("ada", roadmap)
    url = new_feed_url(logged_in(user), roadmap.slug)

    found = events(Client().get(url))  # a calendar app: no session

    enrollment.user = user
    plan = weekly_plan(enrollment, today=timezone.localdate(), tz=UTC)
    steps = {e["SUMMARY"]: e for e in found if str(e["UID"]).startswith("step-")}
    assert list(steps) == [s.step_title for s in plan.steps]
    for planned in plan.steps:
        event = steps[planned.step_title]
        assert event.decoded("DTSTART") == planned.week_start  # an all-day date, not a time
        last_monday = planned.finish - timedelta(days=planned.finish.weekday())
        assert event.decoded("DTEND") == last_monday + timedelta(days=7)
    (target,) = [e for e in found if str(e["UID"]).startswith("target-")]
    assert target.decoded("DTSTART") == date(2027, 6, 1)
    assert target["SUMMARY"] == "Target date: Roadmap test-roadmap"


def test_the_feed_dates_are_the_learners_own_days(roadmap):
    """Sunday 29 March 2026, 20:00 UTC is already Monday 30 March in Auckland: the plan of a
    learner there starts this Monday, that of a learner in UTC the Monday before."""
    now = datetime(2026, 3, 29, 20, 0, tzinfo=UTC)
    starts = {}
    for username, zone in (("kiwi", "Pacific/Auckland"), ("greenwich", "UTC")):
        __, enrollment = enrolled(username, roadmap, time_zone=zone)
        enrollment.created_at = now - timedelta(days=1)
        parsed = icalendar.Calendar.from_ical(calendar.feed(enrollment, now))
        assert parsed["X-WR-TIMEZONE"] == zone
        starts[username] = min(e.decoded("DTSTART") for e in parsed.walk("VEVENT"))
    assert starts == {"kiwi": date(2026, 3, 30), "greenwich": date(2026, 3, 23)}


def test_a_regenerated_link_replaces_the_old_one(roadmap):
    user, __ = enrolled("ada", roadmap)
    client = logged_in(user)
    old = new_feed_url(client, roadmap.slug)

    new = new_feed_url(client, roadmap.slug)

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_revoked_link_is_a_404(roadmap):
    user, __ = enrolled("ada", roadmap)
    client = logged_in(user)
    url = new_feed_url(client, roadmap.slug)

    client.post(reverse("reminders:calendar", args=[roadmap.slug]), {"action": "revoke"})

    assert Client().get(url).status_code == 404
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500])
def test_a_wrong_token_is_a_404(roadmap, token):
    enrolled("ada", roadmap)
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_leaving_the_roadmap_closes_its_feed(roadmap):
    user, enrollment = enrolled("ada", roadmap)
    url = new_feed_url(logged_in(user), roadmap.slug)

    learning.leave(enrollment, erase=False)

    assert Client().get(url).status_code == 404


def test_a_token_reads_only_its_own_enrolment_whoever_asks(roadmap):
    other_roadmap = load_roadmap(roadmap_data(slug="other-roadmap", phases=1, steps=1))
    ada, __ = enrolled("ada", roadmap)
    bob, __ = enrolled("bob", other_roadmap)
    ada_url = new_feed_url(logged_in(ada), roadmap.slug)
    bob_url = new_feed_url(logged_in(bob), other_roadmap.slug)

    as_bob = logged_in(bob).get(ada_url)

    assert b"Roadmap test-roadmap" in as_bob.content
    assert b"other-roadmap" not in as_bob.content
    assert b"other-roadmap" in Client().get(bob_url).content


def test_only_the_learner_manages_their_feed(roadmap):
    enrolled("ada", roadmap)
    bob = make_user("bob")
    page = reverse("reminders:calendar", args=[roadmap.slug])

    assert logged_in(bob).get(page).status_code == 404
    assert logged_in(bob).post(page, {"action": "new"}).status_code == 404
    assert Client().get(page).status_code == 302  # to the login page
    assert not CalendarFeed.objects.exists()


def test_the_link_is_shown_once(roadmap):
    user, __ = enrolled("ada", roadmap)
    client = logged_in(user)
    new_feed_url(client, roadmap.slug)

    again = client.get(reverse("reminders:calendar", args=[roadmap.slug]))

    assert ".ics" not in again.text
    assert "Your calendar link is on." in again.text


def test_only_a_fingerprint_of_the_token_is_stored(roadmap):
    user, __ = enrolled("ada", roadmap)
    url = new_feed_url(logged_in(user), roadmap.slug)
    token = url.removeprefix("/calendar/").removesuffix(".ics")

    stored = CalendarFeed.objects.get().token_hash

    assert token not in stored
    assert stored == calendar.fingerprint(token)


def test_an_unknown_action_is_a_400_and_changes_nothing(roadmap):
    user, __ = enrolled("ada", roadmap)
    response = logged_in(user).post(
        reverse("reminders:calendar", args=[roadmap.slug]), {"action": "explode"}
    )
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_feed_takes_a_fixed_number_of_queries_whatever_the_roadmap_size(
    roadmap, size, django_assert_max_num_queries
):
    if size == "large":
        roadmap = bulk_roadmap(phases=10, steps=50)
    __, enrollment = enrolled("ada", roadmap)
    for milestone in Milestone.objects.filter(roadmap=roadmap)[:5]:
        learning.set_milestone(enrollment, milestone, True)
    token = calendar.issue_token(enrollment)

    with django_assert_max_num_queries(7):
        response = Client().get(reverse("reminders:calendar-feed", args=[token]))

    assert len(events(response)) > 1
