"""The numbers on the dashboards: progress, streaks, the activity heatmap, pace and projection.

Every figure comes from the one progress arithmetic (`roadmap.progress`) and from aggregate
queries: a fixed number of queries whatever the number of enrolments, steps or log entries.
Days are the learner's own days, in the time zone of their settings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.middleware import learner_zone
from roadmap import pace as pacing
from roadmap.history import recent_activity
from roadmap.models import Activity, Enrollment, Milestone, MilestoneProgress, Step
from roadmap.plan import PLAN_STEP_FIELDS, Plan, PlannedStep, plan_for
from roadmap.progress import (
    STEP_FIELDS,
    StepState,
    Tally,
    live_steps,
    percent,
    step_counts_for,
    summarise,
)

HEATMAP_WEEKS = 53
NEXT_UP = 3
RECENT = 20


def local_today(zone, now=None):
    return (now or timezone.now()).astimezone(zone).date()


# Streaks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


def streaks(days, today):
    """Current and longest runs of consecutive days in `days` (a set of dates).

    The current streak ends today, or yesterday when nothing is ticked yet today: a streak
    stays alive until the learner's day is over.
    """
    if not days:
        return Streak(0, 0)
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return Streak(current, longest)


def ticked_days(activities, zone):
    """{local date: distinct milestones ticked that day}, counted by the database."""
    rows = (
        activities.filter(kind=Activity.Kind.TICKED)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(milestones=Count("milestone_id", distinct=True))
        .order_by()
        .values_list("day", "milestones")
    )
    return {_as_date(day): count for day, count in rows}


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


# Heatmap ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapDay:
    day: date
    count: int
    level: int  # 0 (nothing) .. 4 (the busiest days)


def heatmap(days, today, weeks=HEATMAP_WEEKS):
    """Columns of seven days (Monday first) ending with this week; levels scale to the max."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    busiest = max((count for day, count in days.items() if start <= day <= today), default=0)
    columns = []
    for week in range(weeks):
        column = []
        for weekday in range(7):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                break
            count = days.get(day, 0)
            level = 0 if not count else min(4, 1 + (count - 1) * 4 // max(busiest, 1))
            column.append(HeatmapDay(day, count, level))
        columns.append(column)
    return columns


# Progress for several enrolments in fixed queries ----------------------------------------


def progress_by_enrollment(enrollments):
    """{enrolment id: (RoadmapProgress, [step rows])} in three queries for all enrolments."""
    steps = list(
        live_steps({e.roadmap_id for e in enrollments}).values(*STEP_FIELDS, "title", "key")
    )
    counts = step_counts_for(enrollments, steps)
    return {
        enrollment.pk: (
            summarise(counts[enrollment.pk]),
            [s for s in steps if s["roadmap_id"] == enrollment.roadmap_id],
        )
        for enrollment in enrollments
    }


# The two dashboards ----------------------------------------------------------------------


@dataclass
class EnrolmentCard:
    enrollment: Enrollment
    progress: object
    next_step: dict | None
    last_activity: datetime | None


@dataclass
class Overview:
    cards: list
    total: object  # Tally across all enrolments
    streak: Streak
    hours_this_week: float
    weekly_goal: int
    rule: str = ""


def overview(user, now=None):
    """/dashboard/: one card per enrolment, totals, streaks and this week's hours."""
    zone = learner_zone(user)
    today = local_today(zone, now)
    enrollments = list(
        Enrollment.objects.current()
        .filter(user=user)
        .select_related("roadmap")
        .order_by("-created_at")
    )
    progress = progress_by_enrollment(enrollments) if enrollments else {}
    last = dict(
        Activity.objects.filter(enrollment__user=user)
        .values("enrollment_id")
        .annotate(last=Max("created_at"))
        .order_by()
        .values_list("enrollment_id", "last")
    )
    activities = Activity.objects.filter(enrollment__user=user)
    days = ticked_days(activities, zone)
    cards, total = [], Tally()
    for enrollment in enrollments:
        summary, steps = progress[enrollment.pk]
        by_id = {s["id"]: s for s in steps}
        cards.append(
            EnrolmentCard(
                enrollment, summary, by_id.get(summary.next_step_id), last.get(enrollment.pk)
            )
        )
        total = total + summary.overall
    return Overview(
        cards=cards,
        total=total,
        streak=streaks(set(days), today),
        hours_this_week=_learning_hours_this_week(enrollments, progress, today, zone),
        weekly_goal=user.weekly_hours_goal,
    )


def _learning_hours_this_week(enrollments, progress, today, zone):
    """Hours the learning ticks since Monday stand for, across enrolments, in one query."""
    monday = datetime.combine(pacing.week_start(today), time(), tzinfo=zone)
    since = monday - timedelta(minutes=pacing.BURST_MINUTES)
    share = {
        s["id"]: s["hours"] / s["total"]
        for __, steps in progress.values()
        for s in steps
        if s["total"]
    }
    ticks = {}
    for enrollment_id, at, milestone_id, step_id, archived in Activity.objects.filter(
        enrollment__in=[e.pk for e in enrollments], kind=Activity.Kind.TICKED, created_at__gte=since
    ).values_list(
        "enrollment_id",
        "created_at",
        "milestone_id",
        "milestone__step_id",
        "milestone__archived_at",
    ):
        hours = 0.0 if archived else share.get(step_id, 0.0)
        ticks.setdefault(enrollment_id, []).append(pacing.Tick(at, milestone_id, hours))
    total = 0.0
    for enrollment in enrollments:
        enrolled_on = enrollment.created_at.astimezone(zone).date()
        learning = pacing.learning_ticks(ticks.get(enrollment.pk, []), enrolled_on, zone)
        total += pacing.hours_since(learning, monday)
    return total


@dataclass
class SkillShare:
    name: str
    category: str
    total: int
    completed: int  # done or skipped milestones

    @property
    def percent(self):
        return percent(self.completed, self.total)


@dataclass(frozen=True)
class ThisWeekStep:
    """A step planned for this week, with its first milestone not yet ticked."""

    planned: PlannedStep
    milestone: Milestone | None


@dataclass
class SkillGroup:
    """The skills of one category, for a dashboard that folds them away by category."""

    category: str
    skills: list
    ident: str  # the chart's id in the page

    @property
    def percent(self):
        return percent(
            sum(skill.completed for skill in self.skills), sum(skill.total for skill in self.skills)
        )


def skill_groups(skills):
    """Skills by category (alphabetical), each keeping the given order of its skills."""
    groups = {}
    for skill in skills:
        groups.setdefault(skill.category, []).append(skill)
    return [
        SkillGroup(category, members, f"skill-bars-{number}")
        for number, (category, members) in enumerate(sorted(groups.items()), start=1)
    ]


@dataclass(frozen=True)
class DashboardPhase:
    """A phase's bar on the roadmap dashboard."""

    key: str
    title: str
    tally: Tally


@dataclass
class RoadmapDashboard:
    enrollment: Enrollment
    progress: object
    phases: list
    skills: list
    heatmap: list
    days_active: int
    ticks_this_year: int
    streak: Streak
    plan: Plan
    this_week: list  # ThisWeekStep
    recent: list
    next_steps: list = field(default_factory=list)
    today: date | None = None

    @property
    def skill_groups(self):
        return skill_groups(self.skills)


def roadmap_dashboard(enrollment, now=None):
    """/dashboard/<slug>/: everything about one enrolment."""
    user = enrollment.user
    zone = learner_zone(user)
    today = local_today(zone, now)
    steps = list(live_steps([enrollment.roadmap_id]).values(*PLAN_STEP_FIELDS))
    counts = step_counts_for([enrollment], steps)[enrollment.pk]
    summary = summarise(counts)
    # The phases of the steps shown, in roadmap order, from the step rows (no query).
    phases = {}
    for step in steps:
        if step["phase_id"] not in phases:
            tally = summary.phases[step["phase_id"]]
            phases[step["phase_id"]] = DashboardPhase(
                step["phase__key"], step["phase__title"], tally
            )
    phases = list(phases.values())
    activities = Activity.objects.filter(enrollment=enrollment)
    days = ticked_days(activities, zone)
    the_plan = plan_for(enrollment, steps, counts, today=today, tz=zone)
    grid = heatmap(days, today)
    first_day = grid[0][0].day
    open_steps = [
        s for s in steps if summary.states[s["id"]] not in (StepState.DONE, StepState.SKIPPED)
    ][:NEXT_UP]
    # Their resources are on their step pages, one tap away: the dashboard stays short.
    for step in open_steps:
        step["tally"] = summary.steps[step["id"]]
    return RoadmapDashboard(
        enrollment=enrollment,
        progress=summary,
        phases=phases,
        skills=skill_shares(summary, steps),
        heatmap=grid,
        days_active=sum(1 for day in days if first_day <= day <= today),
        ticks_this_year=sum(count for day, count in days.items() if first_day <= day <= today),
        streak=streaks(set(days), today),
        plan=the_plan,
        this_week=this_week_steps(enrollment, the_plan),
        recent=recent_activity(enrollment, RECENT),
        next_steps=open_steps,
        today=today,
    )


def this_week_steps(enrollment, plan):
    """This week's planned steps with the first milestone of each not yet ticked, in one
    query (none when nothing is planned this week)."""
    step_ids = [planned.step_id for planned in plan.this_week]
    first = {}
    if step_ids:
        done = MilestoneProgress.objects.filter(enrollment=enrollment, done_at__isnull=False)
        for milestone in (
            Milestone.objects.live()
            .filter(step_id__in=step_ids)
            .exclude(pk__in=done.values("milestone_id"))
            .order_by("step_id", "position", "id")
        ):
            first.setdefault(milestone.step_id, milestone)
    return [ThisWeekStep(planned, first.get(planned.step_id)) for planned in plan.this_week]


def skill_shares(summary, steps):
    """For each skill the roadmap builds, the share of its milestones done or skipped."""
    links = Step.skills.through.objects.filter(step_id__in=[s["id"] for s in steps]).values_list(
        "step_id", "skill__name", "skill__category"
    )
    shares = {}
    for step_id, name, category in links:
        tally = summary.steps[step_id]
        share = shares.setdefault(name, SkillShare(name, category, 0, 0))
        share.total += tally.total
        share.completed += tally.done + tally.skipped
    return sorted(shares.values(), key=lambda s: (-s.percent, s.name))
