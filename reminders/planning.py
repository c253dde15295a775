"""An adapter from the learner's plan (roadmap/plan.py) to what the e-mails and feed need.

`roadmap.plan.weekly_plan` lays the open steps out by week and measures this week's learning
since Monday. The digest looks back on the last seven days instead (a digest on Monday
morning would otherwise report an empty week) and forward on the next seven; both come from
the same rules: learning ticks as `roadmap.pace` defines them, and the plan's step dates.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from roadmap import pace as pacing
from roadmap.models import Activity
from roadmap.plan import weekly_plan
from roadmap.progress import STEP_FIELDS, live_steps

COMING_DAYS = 7


@dataclass(frozen=True)
class ComingStep:
    title: str
    phase: str
    hours: int  # hours left, rounded up
    start: date
    finish: date | None


@dataclass(frozen=True)
class Week:
    milestones: int  # distinct milestones ticked in the last seven days
    hours: float  # learning hours they stand for (pace rules: no backfill, no enrolment day)
    planned_weekly: float | None
    measured_weekly: float
    effective_weekly: float
    projected_finish: date | None
    target: date | None
    warnings: list = field(default_factory=list)  # translated sentences from the plan
    coming: list = field(default_factory=list)  # ComingStep, the next seven days' plan

    @property
    def on_track(self):
        return (
            self.target is not None
            and self.projected_finish is not None
            and self.projected_finish <= self.target
        )


def plan_for(enrollment, *, today, zone):
    return weekly_plan(enrollment, today=today, tz=zone)


def hours_left(step):
    return math.ceil(step.hours_left - 1e-9)


def week_summary(enrollment, *, today, zone):
    """The last seven local days' learning and the next seven days' plan of one enrolment."""
    plan = plan_for(enrollment, today=today, zone=zone)
    since = datetime.combine(today - timedelta(days=COMING_DAYS - 1), time(), tzinfo=zone)
    ticks = _ticks_since(enrollment, since - timedelta(minutes=pacing.BURST_MINUTES))
    enrolled_on = enrollment.created_at.astimezone(zone).date()
    learning = pacing.learning_ticks(ticks, enrolled_on, zone)
    horizon = today + timedelta(days=COMING_DAYS - 1)
    coming = [
        ComingStep(s.step_title, s.phase_title, hours_left(s), s.start, s.finish)
        for s in plan.steps
        if s.start is not None and s.start <= horizon and (s.finish or s.start) >= today
    ]
    return Week(
        milestones=len({t.milestone_id for t in ticks if t.at >= since}),
        hours=pacing.hours_since(learning, since),
        planned_weekly=plan.pace.planned,
        measured_weekly=plan.pace.measured,
        effective_weekly=plan.pace.effective,
        projected_finish=plan.projected_finish,
        target=plan.target_date,
        warnings=[warning.message for warning in plan.warnings],
        coming=coming,
    )


def _ticks_since(enrollment, moment):
    """The enrolment's ticks since `moment` as `pace.Tick`s, each standing for its step's
    hours over the step's live milestones; two queries."""
    share = {
        step["id"]: step["hours"] / step["total"]
        for step in live_steps([enrollment.roadmap_id]).values(*STEP_FIELDS)
        if step["total"]
    }
    rows = Activity.objects.filter(
        enrollment=enrollment, kind=Activity.Kind.TICKED, created_at__gte=moment
    ).values_list("created_at", "milestone_id", "milestone__step_id", "milestone__archived_at")
    return [
        pacing.Tick(at, milestone_id, 0.0 if archived else share.get(step_id, 0.0))
        for at, milestone_id, step_id, archived in rows
    ]
