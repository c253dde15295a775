from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from roadmap import progress
from roadmap.models import Milestone, MilestoneProgress, Step, StepSkip
from roadmap.progress import StepCounts, StepState
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user


def row(step_id=1, phase_id=1, hours=10, total=4, done=0, skipped=False):
    return StepCounts(step_id, phase_id, hours, total, done, skipped)


def test_percent_rounds_down_so_nearly_done_is_not_100():
    assert progress.percent(199, 200) == 99
    assert progress.percent(200, 200) == 100
    assert progress.percent(1, 3) == 33


def test_percent_of_nothing_is_zero():
    assert progress.percent(0, 0) == 0


def test_done_milestones_count_towards_percent():
    result = progress.summarise([row(total=4, done=1), row(step_id=2, total=4, done=3)])
    assert (result.overall.done, result.overall.skipped, result.overall.remaining) == (4, 0, 4)
    assert result.overall.percent == 50


def test_skipped_step_counts_its_unticked_milestones_as_skipped():
    result = progress.summarise([row(total=4, done=1, skipped=True), row(step_id=2, total=4)])
    assert result.overall.done == 1
    assert result.overall.skipped == 3
    assert result.overall.percent == 50
    assert result.states[1] is StepState.SKIPPED


def test_hours_remaining_is_pro_rata_for_partly_done_steps():
    rows = [
        row(step_id=1, hours=10, total=4, done=1),  # 7.5 left
        row(step_id=2, hours=20, total=2, done=2),  # done: 0 left
        row(step_id=3, hours=6, total=3, done=0, skipped=True),  # skipped: 0 left
        row(step_id=4, hours=8, total=2, done=0),  # 8 left
    ]
    result = progress.summarise(rows)
    assert result.overall.hours_remaining == pytest.approx(15.5)
    assert result.overall.hours_total == 44


def test_step_states():
    assert progress.step_state(row(total=3, done=0)) is StepState.NOT_STARTED
    assert progress.step_state(row(total=3, done=1)) is StepState.IN_PROGRESS
    assert progress.step_state(row(total=3, done=3)) is StepState.DONE
    assert progress.step_state(row(total=3, done=3, skipped=True)) is StepState.SKIPPED


def test_phase_tallies_only_include_their_own_steps():
    result = progress.summarise(
        [row(step_id=1, phase_id=1, total=2, done=2), row(step_id=2, phase_id=2, total=2)]
    )
    assert result.phases[1].percent == 100
    assert result.phases[2].percent == 0
    assert result.overall.percent == 50


def test_done_cannot_exceed_total():
    with pytest.raises(ValueError, match="done"):
        row(total=2, done=3)


@st.composite
def step_rows(draw):
    rows = []
    for step_id in range(draw(st.integers(min_value=1, max_value=60))):
        total = draw(st.integers(min_value=1, max_value=50))
        rows.append(
            StepCounts(
                step_id=step_id,
                phase_id=step_id % 5,
                hours=draw(st.integers(min_value=1, max_value=1000)),
                total=total,
                done=draw(st.integers(min_value=0, max_value=total)),
                skipped=draw(st.booleans()),
            )
        )
    return rows


@given(step_rows())
def test_percent_is_always_between_0_and_100(rows):
    result = progress.summarise(rows)
    assert 0 <= result.overall.percent <= 100
    for tally in result.phases.values():
        assert 0 <= tally.percent <= 100


@given(step_rows())
def test_percent_is_100_exactly_when_every_milestone_is_done_or_skipped(rows):
    result = progress.summarise(rows)
    everything_covered = all(r.skipped or r.done == r.total for r in rows)
    assert (result.overall.percent == 100) == everything_covered
    assert result.overall.is_complete == everything_covered
    assert (result.overall.hours_remaining == 0) == everything_covered


@given(step_rows())
def test_counts_always_add_up_to_the_total(rows):
    overall = progress.summarise(rows).overall
    assert overall.done + overall.skipped + overall.remaining == overall.total
    assert overall.total == sum(r.total for r in rows)
    assert 0 <= overall.hours_remaining <= overall.hours_total


@given(step_rows())
def test_phase_and_overall_tallies_are_the_steps_added_in_roadmap_order(rows):
    """Exactly what adding the step tallies one by one gives, floats included."""
    result = progress.summarise(rows)
    overall, phases = progress.Tally(), {}
    for each in rows:
        tally = progress.step_tally(each)
        overall = overall + tally
        phases[each.phase_id] = phases.get(each.phase_id, progress.Tally()) + tally
    assert result.overall == overall
    assert result.phases == phases


# Against the database


def tick(enrollment, milestone, when=None):
    when = when or timezone.now()
    return MilestoneProgress.objects.create(
        enrollment=enrollment, milestone=milestone, done_at=when, first_done_at=when
    )


@pytest.mark.django_db
def test_summary_counts_ticked_and_skipped_milestones():
    roadmap = load_roadmap(phases=2, steps=2, milestones=2)
    enrollment = enrol(make_user(), roadmap)
    first, second = Step.objects.filter(phase__key="phase-0").order_by("position")
    for milestone in first.milestones.all():
        tick(enrollment, milestone)
    StepSkip.objects.create(enrollment=enrollment, step=second)

    result = progress.summary(enrollment)

    assert (result.overall.total, result.overall.done, result.overall.skipped) == (8, 2, 2)
    assert result.overall.percent == 50
    assert result.phases[first.phase_id].percent == 100
    assert result.states[first.pk] is StepState.DONE
    assert result.states[second.pk] is StepState.SKIPPED
    assert result.overall.hours_remaining == pytest.approx(20)


@pytest.mark.django_db
def test_summary_ignores_unticked_rows_and_other_learners():
    roadmap = load_roadmap(phases=1, steps=1, milestones=2)
    mine = enrol(make_user("me"), roadmap)
    theirs = enrol(make_user("them"), roadmap)
    first, second = Milestone.objects.filter(roadmap=roadmap)
    MilestoneProgress.objects.create(
        enrollment=mine, milestone=first, done_at=None, first_done_at=timezone.now()
    )
    tick(theirs, first)
    tick(theirs, second)

    assert progress.summary(mine).overall.done == 0
    assert progress.summary(theirs).overall.percent == 100


@pytest.mark.django_db
def test_archived_milestones_leave_the_arithmetic():
    roadmap = load_roadmap(phases=1, steps=1, milestones=2)
    enrollment = enrol(make_user(), roadmap)
    first, second = Milestone.objects.filter(roadmap=roadmap)
    tick(enrollment, first, timezone.now() - timedelta(days=1))
    second.archived_at = timezone.now()
    second.save()

    overall = progress.summary(enrollment).overall

    assert (overall.total, overall.done, overall.percent) == (1, 1, 100)


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["small", "large"])
def test_summary_runs_the_same_few_queries_for_any_roadmap_size(size, django_assert_num_queries):
    if size == "small":
        roadmap = load_roadmap(phases=1, steps=2, milestones=1)
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)
    enrollment = enrol(make_user(), roadmap)
    for milestone in Milestone.objects.filter(roadmap=roadmap)[:50]:
        tick(enrollment, milestone)

    with django_assert_num_queries(3):
        result = progress.summary(enrollment)

    assert result.overall.done == min(50, result.overall.total)


def test_next_up_is_the_first_step_in_order_not_done_or_skipped():
    rows = [
        row(step_id=1, total=2, done=2),
        row(step_id=2, total=2, done=0, skipped=True),
        row(step_id=3, total=2, done=1),
        row(step_id=4, total=2, done=0),
    ]
    assert progress.summarise(rows).next_step_id == 3
    assert progress.summarise(rows[:2]).next_step_id is None
