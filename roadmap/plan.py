"""A learner's plan: the remaining steps laid out week by week, and the projected finish.

Public interface (the dashboard, the calendar feed and the reminder e-mails read it):

``weekly_plan(enrollment, *, today, tz=None) -> Plan``
    Five queries whatever the size of the roadmap. Reads ``enrollment.user`` for the weekly
    hours goal of the settings and, when ``tz`` is None, the time zone (select_related it,
    or it costs a query). ``plan_for(enrollment, steps, counts, *, today, tz=None)`` is the
    same from step rows and counts a page has already fetched (two queries).

``plan_from(steps, requires, ticks, *, planned_hours, enrolled_on, target, today, tz) -> Plan``
    The same arithmetic from plain values, without the database: ``steps`` are ``StepRow``
    in roadmap order, ``requires`` (step id, required step id) pairs, ``ticks`` the
    enrolment's ``pace.Tick`` since ``ticks_since(enrolled_on, today, tz)``.

``finish_date(hours, weekly_hours, today, hours_this_week=0) -> date | None``,
``weekly_hours_needed(hours, today, target) -> int`` and
``goal_warning(plan, weekly_hours) -> TargetMissed | None``
    What a number of weekly hours reaches, what a target date needs, and the warning when
    the learner's own hours miss their target.

``Plan``
    ``steps``: list[PlannedStep], every live step not done or skipped, prerequisites first
    (otherwise roadmap order), each with the week it is planned to start in;
    ``this_week``: the first of those, the ones planned to start this week;
    ``phase_starts``: list of (phase title, date) for each phase after the current one, the
    day its first step is planned to start; ``projected_finish``: date or None, at the
    effective pace (today when nothing is left; None when the pace is zero: nothing
    learned in four weeks, or no plan and nothing learned);
    ``weekly_hours``: float, the pace the steps are laid out at (the effective pace, or the
    planned hours when the effective pace is zero); ``pace``: ``pace.Pace`` (planned,
    measured, effective); ``hours_this_week`` (learning ticks since Monday),
    ``hours_left_this_week``, ``hours_remaining``, ``target_date``, ``today``;
    ``warnings``: list of ``TargetMissed``, ``TargetPassed``, ``NoRecentLearning``, each
    with a translated ``message``.

``PlannedStep`` (frozen): ``step_id``, ``step_key``, ``step_title``, ``phase_key``,
``phase_title``, ``hours_left`` (float), ``week_start`` (the Monday of the week it starts),
``start`` and ``finish`` (the days its first and last hour are planned); the three dates
are None only when there is no pace at all (no plan and nothing learned).

Weeks start on Monday in the learner's time zone. This week's hours are the pace minus the
learning hours already done since Monday, spread over the days left; later weeks have the
whole pace, spread over seven days. A step is "this week" when its first hour falls in this
week, so a long step shows up even when it will not be finished this week.
"""

import heapq
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.middleware import learner_zone
from roadmap import pace as pacing
from roadmap.models import Activity, Step
from roadmap.progress import STEP_FIELDS, StepCounts, live_steps, step_counts_for, step_tally

# Float sums of step hours split between milestones (10/3 + 10/3 + 10/3) miss whole numbers.
EPSILON = 1e-9


@dataclass(frozen=True)
class StepRow:
    """One live step of the roadmap and the learner's counts on it."""

    id: int
    key: str
    title: str
    phase_id: int
    phase_key: str
    phase_title: str
    hours: int
    total: int  # live milestones
    done: int = 0
    skipped: bool = False

    @property
    def hours_left(self):
        counts = StepCounts(self.id, self.phase_id, self.hours, self.total, self.done, self.skipped)
        return step_tally(counts).hours_remaining

    @property
    def is_open(self):
        return self.total > 0 and not self.skipped and self.done < self.total


@dataclass(frozen=True)
class PlannedStep:
    step_id: int
    step_key: str
    step_title: str
    phase_key: str
    phase_title: str
    hours_left: float
    week_start: date | None
    start: date | None = None
    finish: date | None = None


@dataclass(frozen=True)
class TargetMissed:
    """The target date lies before the finish: say what the hours reach and what it needs."""

    target: date
    finish: date | None  # at `weekly_hours`; None when there is no pace
    weekly_hours_needed: int
    weekly_hours: float = 0.0

    @property
    def message(self):
        if self.finish is None:
            return self.needed
        reach = _("At %(hours)s hours a week you finish around %(finish)s.") % {
            "hours": floatformat(self.weekly_hours, -1),
            "finish": _format(self.finish),
        }
        return f"{reach} {self.needed}"

    @property
    def needed(self):
        return ngettext(
            "To finish by %(target)s you need about %(hours)d hour a week.",
            "To finish by %(target)s you need about %(hours)d hours a week.",
            self.weekly_hours_needed,
        ) % {"target": _format(self.target), "hours": self.weekly_hours_needed}


@dataclass(frozen=True)
class TargetPassed:
    target: date

    @property
    def message(self):
        return _("Your target date, %(target)s, has passed. Choose a new one below.") % {
            "target": _format(self.target)
        }


@dataclass(frozen=True)
class NoRecentLearning:
    planned: float

    @property
    def message(self):
        return _(
            "You ticked nothing new in the last four weeks, so there is no finish date at "
            "your recent pace. The steps below are laid out at the %(hours)s hours a week "
            "you planned."
        ) % {"hours": f"{self.planned:g}"}


def _format(day):
    return date_format(day, "j F Y")


@dataclass
class Plan:
    steps: list
    this_week: list
    phase_starts: list
    projected_finish: date | None
    weekly_hours: float
    pace: pacing.Pace
    hours_this_week: float
    hours_left_this_week: float
    hours_remaining: float
    target_date: date | None
    today: date
    warnings: list = field(default_factory=list)


# Calendar arithmetic ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    """Hours of work laid onto days: this week's hours over the days left, then weekly."""

    today: date
    weekly_hours: float
    hours_this_week: float = 0.0

    @property
    def days_left(self):
        return 7 - self.today.weekday()

    @property
    def this_week(self):
        return max(0.0, self.weekly_hours - self.hours_this_week)

    @property
    def next_monday(self):
        return self.today + timedelta(days=self.days_left)

    def start_of(self, offset):
        """The day on which the hour after `offset` hours of work is done."""
        if offset < self.this_week - EPSILON:
            return self.today + timedelta(days=int(offset * self.days_left / self.this_week))
        rest = max(0.0, offset - self.this_week)
        return self.next_monday + timedelta(days=int(rest * 7 / self.weekly_hours + EPSILON))

    def finish_of(self, amount):
        """The day on which `amount` hours of work are complete."""
        if amount <= EPSILON:
            return self.today
        if amount <= self.this_week + EPSILON:
            days = math.ceil(amount * self.days_left / self.this_week - EPSILON)
            return self.today + timedelta(days=max(days, 1) - 1)
        days = math.ceil((amount - self.this_week) * 7 / self.weekly_hours - EPSILON)
        return self.next_monday + timedelta(days=max(days, 1) - 1)


def finish_date(hours, weekly_hours, today, hours_this_week=0.0):
    """The day `hours` of work are done at `weekly_hours` a week; None without a pace."""
    if hours <= EPSILON:
        return today
    if not weekly_hours or weekly_hours <= 0:
        return None
    return _Calendar(today, float(weekly_hours), hours_this_week).finish_of(hours)


def weekly_hours_needed(hours, today, target):
    """Whole hours a week that finish `hours` of work by the end of `target`."""
    days = (target - today).days + 1
    if days <= 0:
        return 0
    return math.ceil(hours * 7 / days - EPSILON)


def goal_warning(plan, weekly_hours):
    """`TargetMissed` when the learner's own `weekly_hours` do not reach the plan's target
    date (what they reach instead, and what the target needs); None when they do."""
    target, today = plan.target_date, plan.today
    if target is None or target < today or plan.hours_remaining <= EPSILON:
        return None
    finish = finish_date(plan.hours_remaining, weekly_hours, today, plan.hours_this_week)
    if finish is not None and finish <= target:
        return None
    needed = weekly_hours_needed(plan.hours_remaining, today, target)
    return TargetMissed(target, finish, needed, float(weekly_hours or 0))


def prerequisite_order(rows, requires):
    """The rows with every step after the steps it requires; otherwise in roadmap order.

    Requirements on steps not among `rows` (done, skipped, archived) are met. A cycle, which
    the content rules forbid, cannot hide steps: they follow in roadmap order.
    """
    index = {row.id: position for position, row in enumerate(rows)}
    waiting = {row.id: set() for row in rows}
    unlocks = {row.id: [] for row in rows}
    for step_id, required_id in requires:
        if step_id in index and required_id in index and step_id != required_id:
            waiting[step_id].add(required_id)
            unlocks[required_id].append(step_id)
    ready = [index[pk] for pk, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered, placed = [], set()
    while ready:
        row = rows[heapq.heappop(ready)]
        ordered.append(row)
        placed.add(row.id)
        for later in unlocks[row.id]:
            waiting[later].discard(row.id)
            if not waiting[later] and later not in placed:
                heapq.heappush(ready, index[later])
    ordered.extend(row for row in rows if row.id not in placed)
    return ordered


def ticks_since(enrolled_on, today, tz):
    """The earliest moment whose ticks the plan needs: the start of the measured window or of
    this week, whichever is earlier, less one burst (its ticks decide what is backfill)."""
    first = min(pacing.measured_window_start(enrolled_on, today), pacing.week_start(today))
    moment = datetime.combine(first, time(), tzinfo=tz)
    return moment - timedelta(minutes=pacing.BURST_MINUTES)


def plan_from(steps, requires, ticks, *, planned_hours, enrolled_on, target, today, tz):
    """The plan for a learner from plain values (see the module docstring)."""
    learning = pacing.learning_ticks(ticks, enrolled_on, tz)
    window = datetime.combine(pacing.measured_window_start(enrolled_on, today), time(), tzinfo=tz)
    monday = datetime.combine(pacing.week_start(today), time(), tzinfo=tz)
    pace = pacing.pace(planned_hours, pacing.hours_since(learning, window), enrolled_on, today)
    hours_this_week = pacing.hours_since(learning, monday)
    open_rows = prerequisite_order([row for row in steps if row.is_open], requires)
    remaining = sum(row.hours_left for row in open_rows)

    effective = pace.effective
    weekly = effective if effective > EPSILON else (pace.planned or 0.0)
    calendar = _Calendar(today, weekly, hours_this_week) if weekly > EPSILON else None
    planned, offset = [], 0.0
    for row in open_rows:
        start = calendar.start_of(offset) if calendar else None
        offset += row.hours_left
        finish = calendar.finish_of(offset) if calendar else None
        planned.append(
            PlannedStep(
                step_id=row.id,
                step_key=row.key,
                step_title=row.title,
                phase_key=row.phase_key,
                phase_title=row.phase_title,
                hours_left=row.hours_left,
                week_start=pacing.week_start(start) if start else None,
                start=start,
                finish=finish,
            )
        )
    this_monday = pacing.week_start(today)
    this_week = [step for step in planned if step.week_start == this_monday]

    projected = finish_date(remaining, effective, today, hours_this_week)
    warnings = []
    if open_rows and effective <= EPSILON and pace.planned:
        warnings.append(NoRecentLearning(pace.planned))
    if open_rows and target is not None:
        if target < today:
            warnings.append(TargetPassed(target))
        elif projected is None or projected > target:
            needed = weekly_hours_needed(remaining, today, target)
            warnings.append(TargetMissed(target, projected, needed, effective))
    return Plan(
        steps=planned,
        this_week=this_week,
        phase_starts=_phase_starts(planned),
        projected_finish=projected,
        weekly_hours=weekly,
        pace=pace,
        hours_this_week=hours_this_week,
        hours_left_this_week=calendar.this_week if calendar else 0.0,
        hours_remaining=remaining,
        target_date=target,
        today=today,
        warnings=warnings,
    )


def _phase_starts(planned):
    """(phase title, start day) of each phase after the one the plan begins in."""
    firsts = {}
    for step in planned:
        firsts.setdefault(step.phase_key, step)
    current = planned[0].phase_key if planned else None
    return [
        (step.phase_title, step.start)
        for key, step in firsts.items()
        if key != current and step.start is not None
    ]


# From the database --------------------------------------------------------------------------


PLAN_STEP_FIELDS = (*STEP_FIELDS, "key", "title", "phase__key", "phase__title")


def weekly_plan(enrollment, *, today, tz=None):
    """The plan of one enrolment on `today` in zone `tz` (the learner's own by default)."""
    steps = list(live_steps([enrollment.roadmap_id]).values(*PLAN_STEP_FIELDS))
    counts = step_counts_for([enrollment], steps)[enrollment.pk]
    return plan_for(enrollment, steps, counts, today=today, tz=tz)


def plan_for(enrollment, steps, counts, *, today, tz=None):
    """`weekly_plan` from rows already fetched, in two queries: `steps` the roadmap's
    `live_steps(...).values(*PLAN_STEP_FIELDS)`, `counts` their `progress.StepCounts`."""
    tz = tz or learner_zone(enrollment.user)
    enrolled_on = enrollment.created_at.astimezone(tz).date()
    rows = [
        StepRow(
            id=step["id"],
            key=step["key"],
            title=step["title"],
            phase_id=step["phase_id"],
            phase_key=step["phase__key"],
            phase_title=step["phase__title"],
            hours=step["hours"],
            total=step["total"],
            done=count.done,
            skipped=count.skipped,
        )
        for step, count in zip(steps, counts, strict=True)
    ]
    requires = Step.requires.through.objects.filter(
        from_step__roadmap_id=enrollment.roadmap_id
    ).values_list("from_step_id", "to_step_id")
    return plan_from(
        rows,
        list(requires),
        enrollment_ticks(enrollment, ticks_since(enrolled_on, today, tz), step_shares(rows)),
        planned_hours=enrollment.weekly_hours or enrollment.user.weekly_hours_goal,
        enrolled_on=enrolled_on,
        target=enrollment.target_date,
        today=today,
        tz=tz,
    )


def step_shares(rows):
    """{step id: the hours each of its live milestones stands for} of StepRows."""
    return {row.id: row.hours / row.total for row in rows if row.total}


def enrollment_ticks(enrollment, since, share):
    """The enrolment's ticks since a moment as `pace.Tick`, in one query. A milestone stands
    for its step's hours over the step's live milestones (`share`: step_shares); an archived
    one for nothing."""
    return [
        as_tick(row, share)
        for row in Activity.objects.filter(
            enrollment=enrollment, kind=Activity.Kind.TICKED, created_at__gte=since
        ).values_list("created_at", "milestone_id", "milestone__step_id", "milestone__archived_at")
    ]


def as_tick(row, share):
    """A `pace.Tick` of a (moment, milestone id, its step id, whether it is archived) row."""
    at, milestone_id, step_id, archived = row
    return pacing.Tick(at, milestone_id, 0.0 if archived else share.get(step_id, 0.0))
