"""What the roadmap dashboard caches is never stale: the heatmap and the charts (fragments
keyed by what they read), the days ticked before yesterday (cached for the learner's day),
the changes since the learner looked and the roadmap's content each move with what they
show, at once, through the client."""

import re
from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmap import curation, learning
from roadmap.models import Activity, Milestone, Phase, Skill, Step
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/test-roadmap/"
UTC = ZoneInfo("UTC")


@pytest.fixture
def learner():
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=3))
    user = make_user()
    client = Client()
    client.force_login(user)
    return client, user, enrol(user, roadmap)


def view(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def cell(html, day):
    """The count of one day's square in the heatmap."""
    return int(re.search(rf'data-date="{day.isoformat()}" data-count="(\d+)"', html).group(1))


def ticked_this_year(html):
    return int(re.search(r"(\d+) milestones? ticked in the last 53 weeks", html).group(1))


def first_milestone(step_key):
    return Milestone.objects.filter(step__key=step_key).order_by("position").first()


def tick(client, milestone, done="1"):
    url = f"/roadmaps/test-roadmap/milestones/{milestone.pk}/"
    assert client.post(url, {"done": done}).status_code == 302


def test_a_tick_shows_at_once_in_the_heatmap_phases_skills_and_next_steps(learner):
    client, __, __ = learner
    before = view(client)
    assert ticked_this_year(before) == 0
    assert "Phase 0: 0%, 0 done" in before
    assert "Testing: 0%" in before

    tick(client, first_milestone("step-0-0"))

    after = view(client)
    assert cell(after, timezone.localdate()) == 1
    assert ticked_this_year(after) == 1
    assert "Phase 0: 16%, 1 done" in after  # 1 of 6 milestones
    assert "Testing: 8%" in after  # 1 of 12
    assert "1 of 3 milestones" in after


def test_unticking_keeps_the_days_tick_and_moves_the_charts_back(learner):
    client, __, __ = learner
    milestone = first_milestone("step-0-0")
    tick(client, milestone)
    view(client)

    tick(client, milestone, "0")

    html = view(client)
    assert cell(html, timezone.localdate()) == 1  # ticked today, even if unticked since
    assert "Phase 0: 0%, 0 done" in html


def test_a_skip_shows_at_once_in_the_phases_and_next_steps(learner):
    client, __, __ = learner
    assert '<a href="/roadmaps/test-roadmap/steps/step-0-0/">' in view(client)

    response = client.post("/roadmaps/test-roadmap/steps/step-0-0/skip/", {"skipped": "1"})
    assert response.status_code == 302

    html = view(client)
    assert "Phase 0: 50%, 0 done, 3 skipped" in html
    assert '<a href="/roadmaps/test-roadmap/steps/step-0-0/">' not in html


def test_a_change_of_goals_and_of_the_weekly_hours_setting_shows_at_once(learner):
    client, user, __ = learner
    assert "set your weekly hours below" in view(client)

    user.weekly_hours_goal = 7
    user.save()
    assert "You planned 7 hours a week." in view(client)

    client.post(f"{DASHBOARD}goals/", {"weekly_hours": "12", "target_date": ""})
    assert "You planned 12 hours a week." in view(client)


def test_a_content_change_shows_at_once_in_the_charts_and_next_steps(learner):
    client, __, __ = learner
    view(client)

    step = Step.objects.get(key="step-0-0")
    step.title = "Renamed step"
    step.save()
    skill = Skill.objects.get(name="Testing")
    skill.name = "Renamed skill"
    skill.save()
    phase = Phase.objects.get(key="phase-1")
    phase.title = "Renamed phase"
    phase.save()

    html = view(client)
    assert ">Renamed step</a>" in html
    assert "Renamed skill: 0%" in html
    assert "Renamed phase: 0%" in html


def test_a_new_revision_shows_what_changed_and_dismissing_it_hides_it(learner):
    client, __, enrollment = learner
    curation.record_revision(enrollment.roadmap, None, "admin")
    assert "What changed since you last looked" not in view(client)
    step = Step.objects.get(key="step-0-0")
    step.title = "Renamed step"
    step.save()
    revision = curation.record_revision(enrollment.roadmap, None, "admin")

    assert "What changed since you last looked" in view(client)

    curation.mark_seen(enrollment, revision.number)
    assert "What changed since you last looked" not in view(client)


def at(day, hour, minute, zone=UTC):
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def test_midnight_in_the_learners_zone_moves_today_into_the_past(learner):
    client, __, enrollment = learner
    day = timezone.localdate()
    learning.set_milestone(enrollment, first_milestone("step-0-0"), True, now=at(day, 23, 40))

    with mock.patch("django.utils.timezone.now", return_value=at(day, 23, 50)):
        html = view(client)
    assert cell(html, day) == 1
    assert '<span class="percent" id="streak-current">1</span>' in html

    next_day = day + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=at(next_day, 0, 10)):
        html = view(client)
    assert cell(html, day) == 1
    assert cell(html, next_day) == 0
    assert '<span class="percent" id="streak-current">1</span>' in html  # still alive

    later = day + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=at(later, 0, 10)):
        html = view(client)
    assert cell(html, day) == 1  # now from the days cached before yesterday
    assert ticked_this_year(html) == 1
    assert '<span class="percent" id="streak-current">0</span>' in html  # a day missed


def test_a_tick_written_just_before_midnight_counts_when_it_commits_after(learner):
    """The days before yesterday are cached for the learner's day; yesterday is read live,
    so a tick stamped 23:59 that commits after midnight still shows."""
    client, __, enrollment = learner
    day = timezone.localdate()
    next_day = day + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=at(next_day, 0, 1)):
        view(client)  # fills the cache of the days before yesterday

        learning.set_milestone(enrollment, first_milestone("step-0-0"), True, now=at(day, 23, 59))

        assert cell(view(client), day) == 1


def test_a_new_time_zone_moves_the_ticks_to_the_learners_new_days(learner):
    client, user, enrollment = learner
    day = timezone.localdate() - timedelta(days=3)
    learning.set_milestone(enrollment, first_milestone("step-0-0"), True, now=at(day, 23, 30))
    assert cell(view(client), day) == 1

    user.time_zone = "Pacific/Auckland"  # 23:30 UTC is the next morning there
    user.save()

    html = view(client)
    assert cell(html, day) == 0
    assert cell(html, day + timedelta(days=1)) == 1


def test_two_learners_with_the_same_progress_share_the_charts_but_not_their_days(learner):
    client, __, enrollment = learner
    other = make_user("other")
    theirs = enrol(other, enrollment.roadmap)
    milestone = first_milestone("step-0-0")
    learning.set_milestone(enrollment, milestone, True)
    learning.set_milestone(theirs, milestone, True, now=timezone.now() - timedelta(days=5))
    their_client = Client()
    their_client.force_login(other)

    mine, theirs_html = view(client), view(their_client)

    assert cell(mine, timezone.localdate()) == 1
    assert cell(theirs_html, timezone.localdate()) == 0
    assert cell(theirs_html, timezone.localdate() - timedelta(days=5)) == 1
    assert "Phase 0: 16%, 1 done" in mine
    assert "Phase 0: 16%, 1 done" in theirs_html


def test_the_activity_log_cannot_be_changed_or_deleted_in_the_admin(learner, admin_client):
    """The days before yesterday are cached for the learner's day because the log is
    append-only: the admin keeps it so."""
    __, __, enrollment = learner
    learning.set_milestone(enrollment, first_milestone("step-0-0"), True)
    entry = Activity.objects.get()

    admin_client.post(
        reverse("admin:roadmap_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    response = admin_client.post(reverse("admin:roadmap_activity_delete", args=[entry.pk]))

    assert response.status_code == 403
    assert Activity.objects.filter(pk=entry.pk).exists()


def test_the_cached_live_figures_carry_each_sessions_own_token(learner):
    """The goals form and this week's milestones are in the cached live figures: each
    session gets its own token in them, and the form is sent with it."""
    __, user, __ = learner
    user.weekly_hours_goal = 5  # this week lists steps, each with a tick form
    user.save()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(user)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')

    mine, theirs = token.findall(view(first)), token.findall(view(second))

    assert len(set(mine)) == 1  # every form of the page: the goals form, the ticks, log out
    assert len(mine) >= 3
    assert set(mine) != set(theirs)
    data = {"weekly_hours": "9", "target_date": "", "csrfmiddlewaretoken": mine[0]}
    assert first.post(f"{DASHBOARD}goals/", data).status_code == 302
    assert "You planned 9 hours a week." in view(first)


def test_a_note_changes_no_figure_and_renders_no_part_again(learner):
    client, __, __ = learner
    tick(client, first_milestone("step-0-0"))
    before = view(client)
    url = "/roadmaps/test-roadmap/steps/step-0-0/notes/"
    assert client.post(url, {"text": "A note"}, HTTP_HX_REQUEST="true").status_code == 200

    with mock.patch("roadmap.fragments.render_to_string", wraps=render_to_string) as render:
        after = view(client)

    # Nothing: the live figures, the heatmap and the charts came cached, the page around them
    # with its frame (pages.DashboardFrame), and only the holes were rendered, in place.
    assert [call.args[0] for call in render.call_args_list] == []
    token = re.compile(r'value="[^"]{64}"|"X-CSRFToken": "[^"]*"')
    assert token.sub("", after) == token.sub("", before)


def overview_streaks(client):
    html = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    current = re.search(r"Current streak</dt><dd>(\d+) days?", html).group(1)
    longest = re.search(r"Longest streak</dt><dd>(\d+) days?", html).group(1)
    return int(current), int(longest)


def test_the_overview_streak_moves_with_a_tick_and_with_midnight(learner):
    client, __, enrollment = learner
    day = timezone.localdate()
    for offset in (3, 2):  # two days in a row, kept for the day once seen
        moment = at(day - timedelta(days=offset), 12, 0)
        learning.set_milestone(
            enrollment, first_milestone(f"step-0-{offset % 2}"), True, now=moment
        )
    with mock.patch("django.utils.timezone.now", return_value=at(day, 9, 0)):
        assert overview_streaks(client) == (0, 2)

        tick(client, first_milestone("step-1-0"))  # today, at 09:00

        assert overview_streaks(client) == (1, 2)
    with mock.patch("django.utils.timezone.now", return_value=at(day + timedelta(days=1), 0, 5)):
        assert overview_streaks(client) == (1, 2)  # yesterday's tick keeps it alive
    with mock.patch("django.utils.timezone.now", return_value=at(day + timedelta(days=2), 0, 5)):
        assert overview_streaks(client) == (0, 2)
