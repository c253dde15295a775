"""Both dashboards through the Django client: numbers, time zones, privacy, query counts."""

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from roadmap import dashboards, learning
from roadmap.models import Activity, Enrollment, Milestone, Step
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

OVERVIEW = "/dashboard/"
DASHBOARD = "/dashboard/test-roadmap/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def percent_in(html, element_id):
    match = re.search(rf'id="{element_id}">(\d+)%<', html)
    return int(match.group(1))


@pytest.fixture
def learner():
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=3))
    user = make_user()
    return user, enrol(user, roadmap)


def test_anonymous_visitors_are_sent_to_log_in():
    for url in (OVERVIEW, DASHBOARD):
        response = Client().get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_learner_without_enrolments_gets_a_designed_empty_state():
    html = logged_in(make_user()).get(OVERVIEW).content.decode()

    assert "You are not following a roadmap yet" in html
    assert 'href="/roadmaps/"' in html


def test_an_enrolment_without_activity_has_its_empty_states(learner):
    user, __ = learner

    html = logged_in(user).get(DASHBOARD).content.decode()

    assert "0 milestones ticked in the last 53 weeks. Active on 0 days." in html
    assert "Nothing yet." in html
    assert "set your weekly hours below" in html


def test_the_dashboards_show_the_same_percent_as_the_roadmap_page(learner):
    user, enrollment = learner
    client = logged_in(user)
    for milestone in Milestone.objects.order_by("id")[:4]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, [Step.objects.get(key="step-1-1")], True)

    page = client.get("/roadmaps/test-roadmap/").content.decode()
    dashboard = client.get(DASHBOARD).content.decode()
    overview = client.get(OVERVIEW).content.decode()

    expected = re.search(r'<span class="percent">(\d+)%</span>', page).group(1)
    assert expected == "58"  # (4 done + 3 skipped) of 12, rounded down
    assert percent_in(dashboard, "dashboard-percent") == 58
    assert "Roadmap test-roadmap: 58% complete" in overview
    assert ">58%</text>" in dashboard


def test_the_heatmap_caption_holds_in_light_and_dark(learner):
    """Dark mode draws busier days lighter, so the caption speaks of colour strength."""
    user, __ = learner
    html = logged_in(user).get(DASHBOARD).content.decode()

    assert "the stronger its colour, the more milestones you ticked" in html
    assert "darker" not in html


def test_a_finished_roadmap_is_celebrated(learner):
    user, enrollment = learner
    learning.set_skipped(enrollment, list(Step.objects.all()), True)

    assert "Congratulations!" in logged_in(user).get(DASHBOARD).content.decode()
    assert "Finished." in logged_in(user).get(OVERVIEW).content.decode()


def test_a_tick_shows_on_the_next_dashboard_view(learner):
    user, __ = learner
    client = logged_in(user)
    client.get(DASHBOARD)
    client.post(
        f"/roadmaps/test-roadmap/milestones/{Milestone.objects.order_by('id')[0].pk}/",
        {"done": "1"},
    )

    html = client.get(DASHBOARD).content.decode()

    assert percent_in(html, "dashboard-percent") == 8
    assert '<span class="percent" id="streak-current">1</span>' in html


def test_a_roadmap_i_am_not_enrolled_in_offers_to_enrol_and_shows_nothing_of_others(learner):
    __, enrollment = learner
    learning.set_milestone(enrollment, Milestone.objects.first(), True)
    stranger = logged_in(make_user("stranger"))

    response = stranger.get(DASHBOARD)

    assert response.status_code == 404
    html = response.content.decode()
    assert "You are not enrolled in this roadmap" in html
    assert 'action="/roadmaps/test-roadmap/enrol/"' in html
    assert "Ticked" not in html


def test_missing_and_draft_roadmaps_are_404(learner):
    user, __ = learner
    load_roadmap(roadmap_data(slug="draft-roadmap", status="draft"))
    client = logged_in(user)

    assert client.get("/dashboard/no-such-roadmap/").status_code == 404
    assert client.get("/dashboard/draft-roadmap/").status_code == 404


def test_each_learner_sees_only_their_own_numbers(learner):
    user, enrollment = learner
    other = make_user("other")
    theirs = enrol(other, enrollment.roadmap)
    for milestone in Milestone.objects.order_by("id"):
        learning.set_milestone(theirs, milestone, True)
    learning.set_milestone(enrollment, Milestone.objects.order_by("id").first(), True)

    mine = logged_in(user).get(DASHBOARD).content.decode()
    their_overview = logged_in(other).get(OVERVIEW).content.decode()

    assert percent_in(mine, "dashboard-percent") == 8
    assert mine.count('class="history__entry') == 1
    assert "Roadmap test-roadmap: 100% complete" in their_overview


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_ticks_fall_on_the_learners_own_days(zone, learner):
    user, enrollment = learner
    user.time_zone = zone
    user.save()
    local = ZoneInfo(zone)
    late = datetime(2026, 3, 10, 23, 30, tzinfo=local)
    early = datetime(2026, 3, 11, 0, 30, tzinfo=local)
    first, second = Milestone.objects.order_by("id")[:2]
    learning.set_milestone(enrollment, first, True, now=late)
    learning.set_milestone(enrollment, second, True, now=early)

    with mock.patch("django.utils.timezone.now", return_value=early + timedelta(hours=1)):
        board = dashboards.roadmap_dashboard(Enrollment.objects.get(pk=enrollment.pk))

    cells = {c.day.isoformat(): c.count for column in board.heatmap for c in column}
    assert cells["2026-03-10"] == 1
    assert cells["2026-03-11"] == 1
    assert board.streak.current == 2
    assert board.today.isoformat() == "2026-03-11"


def seed(size):
    """A learner with enrolments, steps and activity of the given size."""
    small = size == "small"
    user = make_user()
    roadmaps = [
        bulk_roadmap(slug=f"roadmap-{n}", phases=1 if small else 10, steps=50)
        for n in range(1 if small else 10)
    ]
    enrollments = [enrol(user, roadmap) for roadmap in roadmaps]
    if not small:
        milestones = list(Milestone.objects.filter(roadmap=roadmaps[0]).order_by("id")[:100])
        start = timezone.now() - timedelta(days=364)
        Activity.objects.bulk_create(
            Activity(
                enrollment=enrollments[0],
                kind=Activity.Kind.TICKED if n % 2 == 0 else Activity.Kind.UNTICKED,
                milestone=milestones[n % 100],
                step_id=milestones[n % 100].step_id,
                created_at=start + timedelta(minutes=5 * n),
            )
            for n in range(100_000)
        )
    return user, roadmaps[0]


@pytest.mark.parametrize("size", ["small", "large"])
def test_both_dashboards_run_a_constant_number_of_queries(size, django_assert_num_queries):
    user, roadmap = seed(size)
    client = logged_in(user)

    # The session with its account; the enrolments, their progress (three), their last
    # activity, their
    # ticks since yesterday or Monday, the days before yesterday (the first view of a day),
    # the "Continue" card's milestone (roadmap/dashboards.py: overview).
    with django_assert_num_queries(9):
        assert client.get(OVERVIEW).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(OVERVIEW).status_code == 200  # the same day: the past is kept
    # Session with account, versions (with the enrolment); the roadmap's row, its content (six) and
    # revisions, each read once per content version; the learner's marks, ticks and history
    # (one); the days before yesterday are kept from the overview (the same day).
    with django_assert_num_queries(11):
        assert client.get(f"/dashboard/{roadmap.slug}/").status_code == 200


def test_unticking_and_reticking_on_one_day_counts_the_milestone_once(learner):
    __, enrollment = learner
    milestone = Milestone.objects.order_by("id").first()
    now = timezone.now()
    for done in (True, False, True):
        learning.set_milestone(enrollment, milestone, done, now=now)

    board = dashboards.roadmap_dashboard(Enrollment.objects.get(pk=enrollment.pk), now=now)

    assert board.heatmap[-1][-1].count == 1
    assert board.ticks_this_year == 1


def test_recent_activity_shows_the_learners_own_clock(learner):
    user, enrollment = learner
    user.time_zone = "Pacific/Auckland"
    user.save()
    late = datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    learning.set_milestone(enrollment, Milestone.objects.order_by("id").first(), True, now=late)

    html = logged_in(user).get(DASHBOARD).content.decode()

    assert "10 Mar 2026, 23:30</time>" in html
