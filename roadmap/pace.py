"""Pace from real learning: which ticks count, and the weekly hours a projection uses.

Ticking what you already knew is catching up, not learning speed, so a tick counts toward
pace (a *learning tick*) only when

- it falls after the learner's enrolment day (in their time zone), and
- fewer than `BURST_TICKS` other ticks came in the `BURST_MINUTES` before it: the rest of a
  burst is backfill.

Each learning tick stands for its step's hours divided by the step's live milestones, and a
milestone counts once however often it is ticked. The *measured* pace is the learning hours
of the last `PACE_DAYS` days (never reaching back to the enrolment day) per week of that
window. The pace a projection uses (*effective*) blends the learner's *planned* weekly hours
with the measured pace, by days since enrolling:

    weight = clamp((days - HISTORY_DAYS) / BLEND_DAYS, 0, 1)
    effective = (1 - weight) * planned + weight * measured

so for the first two weeks the plan alone counts, and from four weeks on the measured pace
alone. Without planned hours the measured pace is all there is. The weight never depends on
how much was learned, so more learning never lowers the effective pace.

Everything here is pure: plain values in, plain values out.
"""

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

BURST_TICKS = 3
BURST_MINUTES = 10
HISTORY_DAYS = 14
BLEND_DAYS = 14
PACE_DAYS = 28


@dataclass(frozen=True)
class Tick:
    """A milestone ticked at a moment, standing for `hours` of its step."""

    at: datetime
    milestone_id: int
    hours: float


def learning_ticks(ticks, enrolled_on, zone):
    """The ticks that count toward pace: after the enrolment day and not backfill."""
    ordered = sorted(ticks, key=lambda tick: (tick.at, tick.milestone_id))
    burst = timedelta(minutes=BURST_MINUTES)
    recent = deque()
    learning = []
    for tick in ordered:
        while recent and tick.at - recent[0] >= burst:
            recent.popleft()
        backfill = len(recent) >= BURST_TICKS
        recent.append(tick.at)
        if not backfill and tick.at.astimezone(zone).date() > enrolled_on:
            learning.append(tick)
    return learning


def hours_of(ticks):
    """Hours the ticks stand for, each milestone once."""
    return sum({tick.milestone_id: tick.hours for tick in ticks}.values())


def hours_since(ticks, moment):
    return hours_of(tick for tick in ticks if tick.at >= moment)


@dataclass(frozen=True)
class Pace:
    planned: float | None  # the learner's stated weekly hours (None: not stated)
    measured: float  # learning hours a week over the measured window
    measured_days: int  # length of that window: up to PACE_DAYS days after enrolling
    weight: float  # share of the measured pace in the effective one, 0..1

    @property
    def effective(self):
        return (1 - self.weight) * (self.planned or 0) + self.weight * self.measured

    @property
    def from_plan_only(self):
        return self.weight == 0

    @property
    def from_measure_only(self):
        return self.weight == 1


def history_days(enrolled_on, today):
    """Whole days of history after the enrolment day, up to and including today."""
    return max(0, (today - enrolled_on).days)


def pace(planned, learning_hours, enrolled_on, today):
    """The pace for a learner who planned `planned` hours a week (or None) and learned
    `learning_hours` in the measured window ending today (see `measured_window`)."""
    days = history_days(enrolled_on, today)
    window = min(PACE_DAYS, days)
    measured = learning_hours / window * 7 if window else 0.0
    weight = min(1.0, max(0.0, (days - HISTORY_DAYS) / BLEND_DAYS)) if planned else 1.0
    return Pace(
        planned=float(planned) if planned else None,
        measured=measured,
        measured_days=window,
        weight=weight,
    )


def measured_window_start(enrolled_on, today):
    """The first local day whose learning counts toward the measured pace."""
    return max(enrolled_on + timedelta(days=1), today - timedelta(days=PACE_DAYS - 1))


def week_start(day):
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())
