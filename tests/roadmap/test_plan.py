"""The weekly plan: prerequisite order, what fits this week, phase starts, target warnings."""

from datetime import UTC, date, datetime, timedelta

import pytest

from roadmap import learning
from roadmap.models import Enrollment, Milestone, Step
from roadmap.pace import Tick
from roadmap.plan import (
    NoRecentLearning,
    StepRow,
    TargetMissed,
    TargetPassed,
    finish_date,
    plan_from,
    prerequisite_order,
    weekly_plan,
)
from tests.factories import bulk_roadmap, load_roadmap, make_user, roadmap_data

WEDNESDAY = date(2026, 3, 4)


def row(pk, hours=10, phase=1, total=2, done=0, skipped=False):
    return StepRow(
        id=pk,
        key=f"s{pk}",
        title=f"Step {pk}",
        phase_id=phase,
        phase_key=f"p{phase}",
        phase_title=f"Phase {phase}",
        hours=hours,
        total=total,
        done=done,
        skipped=skipped,
    )


def plan(rows, requires=(), ticks=(), planned=10, enrolled_on=date(2026, 3, 1), **kw):
    return plan_from(
        rows,
        list(requires),
        list(ticks),
        planned_hours=planned,
        enrolled_on=enrolled_on,
        target=kw.pop("target", None),
        today=kw.pop("today", WEDNESDAY),
        tz=UTC,
    )


def test_steps_come_after_the_steps_they_require():
    rows = [row(1), row(2), row(3)]

    ordered = prerequisite_order(rows, [(1, 3), (2, 1)])

    assert [r.id for r in ordered] == [3, 1, 2]


def test_requirements_on_finished_steps_are_met_and_a_cycle_hides_nothing():
    rows = [row(1), row(2)]

    assert [r.id for r in prerequisite_order(rows, [(1, 99)])] == [1, 2]
    assert sorted(r.id for r in prerequisite_order(rows, [(1, 2), (2, 1)])) == [1, 2]


def test_done_and_skipped_steps_are_left_out_and_partly_done_ones_keep_their_share():
    rows = [row(1, done=2), row(2, skipped=True), row(3, done=1), row(4)]

    result = plan(rows)

    assert [(s.step_key, s.hours_left) for s in result.steps] == [("s3", 5.0), ("s4", 10.0)]
    assert result.hours_remaining == 15.0


def test_this_week_holds_the_steps_that_start_in_the_hours_left_this_week():
    rows = [row(1, hours=3), row(2, hours=3), row(3, hours=6), row(4, hours=3)]

    result = plan(rows, planned=8)

    assert [s.step_key for s in result.this_week] == ["s1", "s2", "s3"]
    assert result.steps[3].week_start == date(2026, 3, 9)


def test_a_long_next_step_still_shows_this_week():
    result = plan([row(1, hours=60)], planned=5)

    assert [s.step_key for s in result.this_week] == ["s1"]
    assert result.steps[0].start == WEDNESDAY


def test_learning_this_week_uses_up_this_weeks_hours():
    rows = [row(1, hours=8, total=1, done=1), row(2, hours=4)]
    ticked = Tick(datetime(2026, 3, 2, 18, tzinfo=UTC), 10, 8.0)  # Monday, one milestone

    result = plan(rows, ticks=[ticked], planned=8)

    assert result.hours_this_week == 8.0
    assert result.hours_left_this_week == 0
    assert result.this_week == []
    assert result.steps[0].start == date(2026, 3, 9)


def test_each_later_phase_has_a_planned_start():
    rows = [row(1, hours=10, phase=1), row(2, hours=14, phase=2), row(3, hours=7, phase=3)]

    result = plan(rows, planned=7)

    # 7 hours over Wednesday..Sunday: phase 1's 10 hours end next week, on its second day.
    assert result.phase_starts == [("Phase 2", date(2026, 3, 12)), ("Phase 3", date(2026, 3, 26))]
    assert result.projected_finish == date(2026, 4, 1)


def test_a_target_the_pace_misses_says_what_it_reaches_and_what_it_needs():
    rows = [row(1, hours=100)]

    result = plan(rows, planned=10, target=date(2026, 3, 31))

    (warning,) = result.warnings
    assert isinstance(warning, TargetMissed)
    assert warning.finish == result.projected_finish == finish_date(100, 10, WEDNESDAY)
    assert warning.weekly_hours_needed == 25  # 100 hours over 28 days
    assert "25 hours a week" in warning.message


def test_a_reachable_target_gives_no_warning_and_a_passed_one_says_so():
    rows = [row(1, hours=10)]

    assert plan(rows, planned=10, target=date(2026, 12, 1)).warnings == []
    (warning,) = plan(rows, planned=10, target=date(2026, 3, 1)).warnings
    assert isinstance(warning, TargetPassed)


def test_four_quiet_weeks_give_no_finish_but_the_steps_are_laid_out_at_the_plan():
    result = plan([row(1, hours=10)], planned=10, enrolled_on=date(2026, 1, 1))

    assert result.pace.effective == 0
    assert result.projected_finish is None
    assert result.weekly_hours == 10
    assert result.steps[0].start == WEDNESDAY
    assert isinstance(result.warnings[0], NoRecentLearning)


def test_without_any_pace_the_steps_have_no_dates():
    result = plan([row(1)], planned=None, enrolled_on=WEDNESDAY)

    assert result.projected_finish is None
    assert result.steps[0].week_start is None
    assert result.this_week == []


def test_finish_date_counts_the_days_left_this_week_then_whole_weeks():
    assert finish_date(7, 7, WEDNESDAY) == date(2026, 3, 8)  # 7 hours over Wed..Sun
    assert finish_date(5, 7, WEDNESDAY) == date(2026, 3, 7)
    assert finish_date(8, 7, WEDNESDAY) == date(2026, 3, 9)  # and one on Monday
    assert finish_date(0, 0, WEDNESDAY) == WEDNESDAY
    assert finish_date(1, 0, WEDNESDAY) is None


# From the database ------------------------------------------------------------------------


def _enrolled(roadmap, **fields):
    return Enrollment.objects.create(user=make_user(), roadmap=roadmap, **fields)


@pytest.mark.django_db
def test_weekly_plan_reads_the_learners_progress_and_goal():
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))
    enrollment = _enrolled(roadmap, weekly_hours=10)

    step = Step.objects.get(key="step-0-0")
    learning.set_skipped(enrollment, [step], True)

    result = weekly_plan(enrollment, today=date.today(), tz=UTC)

    assert [s.step_key for s in result.steps] == ["step-0-1", "step-1-0", "step-1-1"]
    assert result.weekly_hours == 10
    assert result.phase_starts[0][0] == "Phase 1"


@pytest.mark.django_db
@pytest.mark.parametrize("size", [(1, 2, 1), (10, 50, 3)])
def test_weekly_plan_runs_the_same_queries_for_any_roadmap_size(size, django_assert_num_queries):
    phases, steps, milestones = size
    roadmap = bulk_roadmap(phases=phases, steps=steps, milestones=milestones)
    enrollment = _enrolled(roadmap, weekly_hours=10)
    enrollment = Enrollment.objects.select_related("user").get(pk=enrollment.pk)

    for milestone in Milestone.objects.filter(roadmap=roadmap)[:5]:
        learning.set_milestone(enrollment, milestone, True)

    with django_assert_num_queries(5):
        weekly_plan(enrollment, today=date.today(), tz=UTC)


@pytest.mark.django_db
def test_eleven_milestones_ticked_in_two_minutes_on_the_first_day_leave_the_planned_pace():
    roadmap = load_roadmap(roadmap_data(phases=2, steps=3, milestones=2))
    enrollment = _enrolled(roadmap, weekly_hours=10)
    # Enrolled at noon, so the two minutes of ticks stay on the first day whatever the clock
    # says when the test runs (from 23:58 UTC they crossed into the next day).
    yesterday = datetime.combine(date.today() - timedelta(days=1), datetime.min.time(), UTC)
    Enrollment.objects.filter(pk=enrollment.pk).update(created_at=yesterday + timedelta(hours=12))
    enrollment.refresh_from_db()

    start = enrollment.created_at + timedelta(minutes=1)
    for k, milestone in enumerate(Milestone.objects.filter(roadmap=roadmap)[:11]):
        learning.set_milestone(enrollment, milestone, True, now=start + timedelta(seconds=11 * k))
    today = enrollment.created_at.date()

    result = weekly_plan(Enrollment.objects.get(pk=enrollment.pk), today=today, tz=UTC)

    assert result.pace.effective == 10
    assert result.hours_this_week == 0
    assert result.projected_finish == finish_date(5, 10, today)
