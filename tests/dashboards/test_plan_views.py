"""The roadmap dashboard's plan: pace figures, "This week", goals, through the Django client."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from roadmap import learning
from roadmap.models import Enrollment, Milestone, Step
from roadmap.plan import finish_date
from tests.factories import bulk_roadmap, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def long_date(day):
    return date_format(day, "j F Y")


def enrol_at_ten_hours(client, slug):
    response = client.post(f"/roadmaps/{slug}/enrol/", {"weekly_hours": "10"})
    assert response.status_code == 302
    return Enrollment.objects.get(roadmap__slug=slug)


def tick_in_a_burst(client, enrollment, count, start, seconds=11):
    milestones = Milestone.objects.filter(roadmap=enrollment.roadmap).order_by(
        "step__phase__position", "step__position", "position"
    )[:count]
    for k, milestone in enumerate(milestones):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(seconds=seconds * k)
        ):
            response = client.post(
                f"/roadmaps/{enrollment.roadmap.slug}/milestones/{milestone.pk}/", {"done": "1"}
            )
        assert response.status_code == 302


def test_eleven_milestones_in_two_minutes_after_enrolling_keep_the_projection_at_ten_hours(
    ml_roadmap,
):
    client = logged_in(make_user())
    enrollment = enrol_at_ten_hours(client, ml_roadmap.slug)
    tick_in_a_burst(client, enrollment, 11, start=enrollment.created_at + timedelta(seconds=5))

    html = client.get(f"/dashboard/{ml_roadmap.slug}/").content.decode()

    board = re.sub(r"\s+", " ", html)
    remaining = float(re.search(r"About (\d+) hours to go", board).group(1))
    today = timezone.localdate()
    finish = finish_date(remaining, 10, today)
    assert finish is not None
    assert "0 hours learned since Monday" in board
    assert "You planned 10 hours a week" in board
    assert f"At 10 hours a week you finish around <strong>{long_date(finish)}</strong>" in board


def test_a_burst_the_day_after_enrolling_counts_only_its_first_ticks_this_week(client):
    roadmap = load_roadmap(roadmap_data(phases=2, steps=3, milestones=2))  # 5 hours a milestone
    client.force_login(make_user())
    tuesday = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=tuesday - timedelta(days=1)):
        enrollment = enrol_at_ten_hours(client, roadmap.slug)
    tick_in_a_burst(client, enrollment, 11, start=tuesday)

    with mock.patch("django.utils.timezone.now", return_value=tuesday + timedelta(hours=1)):
        html = re.sub(r"\s+", " ", client.get(f"/dashboard/{roadmap.slug}/").content.decode())

    assert "15 hours learned since Monday" in html  # 3 of the 11 ticks
    with mock.patch("django.utils.timezone.now", return_value=tuesday + timedelta(hours=1)):
        overview = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    assert "About 15.0 hours since Monday" in overview


def test_this_week_lists_the_next_steps_with_their_first_unticked_milestone(client):
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=3))  # 10-hour steps
    user = make_user()
    client.force_login(user)
    enrollment = enrol_at_ten_hours(client, roadmap.slug)
    learning.set_skipped(enrollment, [Step.objects.get(key="step-0-0")], True)
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-1-m0"), True)

    html = client.get(f"/dashboard/{roadmap.slug}/").content.decode()
    this_week = html[html.index('id="this-week"') : html.index('aria-labelledby="pace-title"')]

    assert "Step 0.0" not in this_week  # skipped
    assert "Step 0.1" in this_week
    first = Milestone.objects.get(key="step-0-1-m1")
    assert f'action="/roadmaps/{roadmap.slug}/milestones/{first.pk}/"' in this_week
    assert "Milestone 0 of step-0-1" not in this_week  # already ticked
    assert "Later phases start" in this_week
    assert "Phase 1" in this_week


def test_ticking_from_this_week_answers_htmx_with_the_milestone_alone(client):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=2, milestones=2))
    client.force_login(make_user())
    enrol_at_ten_hours(client, roadmap.slug)
    milestone = Milestone.objects.get(key="step-0-0-m0")

    response = client.post(
        f"/roadmaps/{roadmap.slug}/milestones/{milestone.pk}/",
        {"done": "1", "fragment": "milestone"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<li class="milestone" id="milestone-step-0-0-m0">')
    assert 'aria-pressed="true"' in html
    assert "hx-swap-oob" not in html
    assert "progress-changed" in response["HX-Trigger"]


def test_a_tick_recomputes_this_week_on_the_cached_dashboard(client):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=2, milestones=1))
    client.force_login(make_user())
    enrollment = enrol_at_ten_hours(client, roadmap.slug)
    url = f"/dashboard/{roadmap.slug}/"
    assert "Step 0.0" in client.get(url).content.decode().split('id="this-week"')[1]

    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-0-m0"), True)

    this_week = client.get(url).content.decode().split('id="this-week"')[1].split("pace-title")[0]
    assert "Step 0.0" not in this_week
    assert "Step 0.1" in this_week


@pytest.mark.parametrize("size", [(1, 2, 3), (10, 50, 3)])
def test_the_dashboard_with_its_plan_runs_the_same_queries_for_any_roadmap_size(
    size, django_assert_num_queries
):
    phases, steps, milestones = size
    roadmap = bulk_roadmap(phases=phases, steps=steps, milestones=milestones)
    user = make_user()
    enrollment = Enrollment.objects.create(user=user, roadmap=roadmap, weekly_hours=40)
    for milestone in Milestone.objects.filter(roadmap=roadmap).order_by("id")[:3]:
        learning.set_milestone(enrollment, milestone, True)
    client = logged_in(user)

    # Session with account, versions (with the enrolment); the roadmap's row, its content (six) and
    # revisions, each read once per content version; the learner's marks, recent ticks and
    # history (one query), the days ticked before yesterday (once a day).
    with django_assert_num_queries(12):
        html = client.get(f"/dashboard/{roadmap.slug}/").content.decode()
    assert html.count('class="plan-step"') >= 1


# Goals ---------------------------------------------------------------------------------------


@pytest.fixture
def learner():
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))  # 40 hours in all
    user = make_user()
    enrollment = Enrollment.objects.create(user=user, roadmap=roadmap, weekly_hours=10)
    return user, enrollment


GOALS = "/dashboard/test-roadmap/goals/"


def test_changing_the_goals_saves_them_and_shows_them_at_once(learner):
    user, enrollment = learner
    client = logged_in(user)
    client.get("/dashboard/test-roadmap/")
    target = timezone.localdate() + timedelta(days=365)

    response = client.post(GOALS, {"weekly_hours": "4", "target_date": target.isoformat()})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/test-roadmap/#goals"
    enrollment.refresh_from_db()
    assert (enrollment.weekly_hours, enrollment.target_date) == (4, target)
    html = client.get("/dashboard/test-roadmap/").content.decode()
    assert "Your goals are saved." in html
    assert "You planned 4 hours a week" in html
    assert "On track for your target" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekly_hours": "0"}, "greater than or equal to 1"),
        ({"weekly_hours": "81"}, "less than or equal to 80"),
        ({"weekly_hours": "32768"}, "less than or equal to 80"),
        ({"weekly_hours": "-5"}, "greater than or equal to 1"),
        ({"weekly_hours": "ten"}, "Enter a whole number"),
        ({"target_date": "2001-01-01"}, "not in the past"),
        ({"target_date": "2026-02-30"}, "Enter a valid date"),
    ],
)
def test_bad_goals_are_refused_with_a_message_and_change_nothing(learner, data, message):
    user, enrollment = learner
    client = logged_in(user)
    version = enrollment.version

    for headers, status in (({}, 400), (HTMX, 422)):
        response = client.post(GOALS, data, **headers)

        assert response.status_code == status
        assert message in response.content.decode()
    enrollment.refresh_from_db()
    assert (enrollment.weekly_hours, enrollment.target_date) == (10, None)
    assert enrollment.version == version


def test_a_target_the_hours_cannot_reach_is_kept_with_a_warning_of_what_they_reach(learner):
    user, enrollment = learner
    client = logged_in(user)
    today = timezone.localdate()
    target = today + timedelta(days=13)  # 40 hours in 14 days need 20 a week

    response = client.post(GOALS, {"weekly_hours": "2", "target_date": target.isoformat()})

    enrollment.refresh_from_db()
    assert enrollment.target_date == target
    html = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    reach = long_date(finish_date(40, 2, today))
    assert f"At 2 hours a week you finish around {reach}." in html
    assert f"To finish by {long_date(target)} you need about 20 hours a week." in html


def test_with_htmx_the_goals_answer_is_the_live_part_of_the_dashboard(learner):
    user, __ = learner
    target = timezone.localdate() + timedelta(days=13)

    response = logged_in(user).post(
        GOALS, {"weekly_hours": "2", "target_date": target.isoformat()}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div id="dashboard-live"')
    assert "Your goals are saved." in html
    assert "you need about 20 hours a week" in html
    assert 'value="2"' in html


def test_goals_can_be_cleared(learner):
    user, enrollment = learner

    logged_in(user).post(GOALS, {"weekly_hours": "", "target_date": ""})

    enrollment.refresh_from_db()
    assert (enrollment.weekly_hours, enrollment.target_date) == (None, None)


def test_nobody_changes_another_learners_goals(learner):
    __, enrollment = learner
    stranger = logged_in(make_user("stranger"))

    assert stranger.post(GOALS, {"weekly_hours": "3"}).status_code == 404
    assert Client().post(GOALS, {"weekly_hours": "3"}).status_code == 302  # to log in
    assert logged_in(enrollment.user).get(GOALS).status_code == 405
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == 10


def test_an_unreachable_target_at_enrolment_is_kept_with_the_same_warning(client):
    load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))
    client.force_login(make_user())
    target = timezone.localdate() + timedelta(days=13)

    response = client.post(
        "/roadmaps/test-roadmap/enrol/",
        {"weekly_hours": "2", "target_date": target.isoformat()},
        follow=True,
    )

    html = re.sub(r"\s+", " ", response.content.decode())
    assert Enrollment.objects.get().target_date == target
    assert "you need about 20 hours a week" in html


@pytest.mark.parametrize("hours", [0, 81, 32767])
def test_the_database_refuses_weekly_hours_out_of_range(learner, hours):
    __, enrollment = learner

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(weekly_hours=hours)
