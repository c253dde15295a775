"""The pace rule: which ticks count as learning, and the weekly hours a projection uses."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap import pace
from roadmap.pace import BURST_MINUTES, BURST_TICKS, Tick, hours_of, learning_ticks
from roadmap.plan import StepRow, finish_date, plan_from

ENROLLED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
ENROLLED_ON = ENROLLED.date()


def minutes(n):
    return ENROLLED + timedelta(minutes=n)


ticks = st.lists(
    st.builds(
        Tick,
        at=st.integers(0, 60 * 24 * 60).map(minutes),
        milestone_id=st.integers(1, 40),
        hours=st.sampled_from([0.5, 1.0, 2.5, 10 / 3, 5.0]),
    ),
    max_size=40,
)


def test_ticks_on_the_enrolment_day_do_not_count():
    same_day = [Tick(minutes(60 * k), k, 1.0) for k in range(5)]
    next_day = Tick(minutes(60 * 24), 99, 2.0)

    assert learning_ticks([*same_day, next_day], ENROLLED_ON, UTC) == [next_day]


def test_a_burst_counts_only_its_first_ticks():
    start = minutes(2 * 24 * 60)
    burst = [Tick(start + timedelta(seconds=10 * k), k, 1.0) for k in range(11)]

    assert learning_ticks(burst, ENROLLED_ON, UTC) == burst[:BURST_TICKS]


def test_ticks_spread_over_an_evening_all_count():
    start = minutes(2 * 24 * 60)
    spread = [Tick(start + timedelta(minutes=BURST_MINUTES // 2 * k), k, 1.0) for k in range(8)]

    assert learning_ticks(spread, ENROLLED_ON, UTC) == spread


def test_a_milestone_ticked_twice_counts_once():
    assert hours_of([Tick(minutes(0), 1, 2.0), Tick(minutes(900), 1, 2.0)]) == 2.0


@given(ticks, ticks)
def test_backfill_never_raises_pace(before, added):
    """Ticks the rule calls backfill add nothing, and can only turn other ticks into backfill."""
    both = learning_ticks(before + added, ENROLLED_ON, UTC)
    added_learning = [tick for tick in both if tick in added]

    assert (
        hours_of(both)
        <= hours_of(learning_ticks(before, ENROLLED_ON, UTC)) + hours_of(added_learning) + 1e-9
    )


@given(ticks, st.integers(1, 50), st.integers(0, 60))
def test_a_burst_after_any_history_never_raises_pace(history, size, day):
    at = minutes(day * 24 * 60 + 7)
    burst = [Tick(at + timedelta(seconds=k), 1000 + k, 5.0) for k in range(BURST_TICKS + size)]
    before = learning_ticks(history, ENROLLED_ON, UTC)
    after = learning_ticks(history + burst, ENROLLED_ON, UTC)

    assert hours_of(after) <= hours_of(before) + BURST_TICKS * 5.0 + 1e-9


@given(st.integers(1, 80), st.floats(0, 500), st.integers(0, pace.HISTORY_DAYS))
def test_with_no_history_the_pace_is_the_planned_hours(planned, learned, days):
    today = ENROLLED_ON + timedelta(days=days)

    assert pace.pace(planned, learned, ENROLLED_ON, today).effective == planned


def test_the_pace_blends_from_planned_to_measured_between_two_and_four_weeks():
    def effective(days):
        today = ENROLLED_ON + timedelta(days=days)
        return pace.pace(
            10, learning_hours=min(days, 28) * 1.0, enrolled_on=ENROLLED_ON, today=today
        )

    assert effective(14).effective == 10
    assert effective(21).weight == 0.5
    assert effective(21).effective == (10 + 7) / 2
    assert effective(28).effective == 7
    assert effective(90).measured == 7


def test_without_planned_hours_the_measured_pace_is_used_at_once():
    today = ENROLLED_ON + timedelta(days=7)

    assert pace.pace(None, 3.5, ENROLLED_ON, today).effective == 3.5


def _rows(hours, done):
    return [
        StepRow(
            id=k,
            key=f"s{k}",
            title=f"Step {k}",
            phase_id=1,
            phase_key="p",
            phase_title="Phase",
            hours=h,
            total=1,
            done=int(k in done),
        )
        for k, h in enumerate(hours, start=1)
    ]


@given(
    st.lists(st.integers(1, 60), min_size=2, max_size=12),
    st.integers(0, 80),
    st.integers(0, 70),
    st.sets(st.integers(0, 11), max_size=6),
    st.data(),
)
@settings(max_examples=200)
def test_more_learning_never_moves_the_projected_finish_later(hours, planned, days, done, data):
    """Tick one more step, spaced from the other ticks: the finish is never later."""
    today = ENROLLED_ON + timedelta(days=days)
    done = {k + 1 for k in done if k < len(hours)}
    undone = [k for k in range(1, len(hours) + 1) if k not in done]
    if not undone:
        return
    slots = sorted(
        data.draw(
            st.sets(
                st.integers(0, days * 24 * 4 + 30), min_size=len(done) + 1, max_size=len(done) + 1
            )
        )
    )
    at = [ENROLLED + timedelta(minutes=15 * slot) for slot in slots]
    at = [moment for moment in at if moment.date() <= today]
    if len(at) < len(done) + 1:
        return
    history = [
        Tick(moment, k, float(hours[k - 1])) for moment, k in zip(at, sorted(done), strict=False)
    ]
    new_step = data.draw(st.sampled_from(undone))
    extra = Tick(at[-1], new_step, float(hours[new_step - 1]))

    def finish(done_steps, ticks):
        return plan_from(
            _rows(hours, done_steps),
            [],
            ticks,
            planned_hours=planned or None,
            enrolled_on=ENROLLED_ON,
            target=None,
            today=today,
            tz=UTC,
        ).projected_finish

    before = finish(done, history)
    after = finish(done | {new_step}, [*history, extra])
    if before is None:
        return
    assert after is not None
    assert after <= before


@given(
    st.lists(st.integers(1, 60), min_size=1, max_size=12), st.integers(1, 80), st.integers(0, 13)
)
def test_with_no_history_the_projection_is_the_planned_hours_projection(hours, planned, days):
    today = ENROLLED_ON + timedelta(days=days)
    plan = plan_from(
        _rows(hours, set()),
        [],
        [],
        planned_hours=planned,
        enrolled_on=ENROLLED_ON,
        target=None,
        today=today,
        tz=UTC,
    )

    assert plan.weekly_hours == planned
    assert plan.projected_finish == finish_date(sum(hours), planned, today)


@given(st.floats(0.5, 5000), st.integers(1, 80), st.integers(1, 80))
def test_more_weekly_hours_never_finish_later(hours, slower, faster):
    slower, faster = sorted((slower, faster))
    today = date(2026, 3, 4)

    assert finish_date(hours, faster, today) <= finish_date(hours, slower, today)
