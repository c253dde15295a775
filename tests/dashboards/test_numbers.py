"""Unit tests of the dashboard arithmetic: streaks and heatmap levels (pace: test_pace.py)."""

from datetime import date, timedelta

import pytest

from roadmap.dashboards import heatmap, streaks

TODAY = date(2026, 11, 23)  # a Monday


def days_ago(*offsets):
    return {TODAY - timedelta(days=offset) for offset in offsets}


@pytest.mark.parametrize(
    ("days", "current", "longest"),
    [
        (set(), 0, 0),
        (days_ago(0), 1, 1),
        (days_ago(1), 1, 1),  # nothing yet today: yesterday's streak is still alive
        (days_ago(2), 0, 1),  # a whole day missed: the streak is over
        (days_ago(0, 1, 2, 5, 6, 7, 8), 3, 4),
        (days_ago(1, 2, 3, 10), 3, 3),
    ],
)
def test_streaks(days, current, longest):
    streak = streaks(days, TODAY)
    assert (streak.current, streak.longest) == (current, longest)


def test_the_heatmap_has_53_weeks_ending_today_with_mondays_first():
    columns = heatmap({TODAY: 4, TODAY - timedelta(days=3): 1}, TODAY)

    assert len(columns) == 53
    assert all(column[0].day.weekday() == 0 for column in columns)
    assert columns[-1][-1].day == TODAY
    assert len(columns[-1]) == 1  # this week so far: just Monday
    assert sum(len(column) for column in columns) == 52 * 7 + 1
    cells = {cell.day: cell for column in columns for cell in column}
    assert cells[TODAY].level == 4
    assert cells[TODAY - timedelta(days=3)].level == 1
    assert cells[TODAY - timedelta(days=1)].level == 0


def test_heatmap_levels_scale_to_the_busiest_day():
    days = {TODAY - timedelta(days=n): n + 1 for n in range(8)}  # 1..8 milestones

    cells = {c.day: c.level for column in heatmap(days, TODAY) for c in column}

    assert cells[TODAY] == 1
    assert cells[TODAY - timedelta(days=7)] == 4
    assert sorted(set(cells.values())) == [0, 1, 2, 3, 4]
