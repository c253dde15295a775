"""The numbers on the dashboards: progress, streaks, the activity heatmap, pace and projection.

Every figure comes from the one progress arithmetic (`roadmap.progress`) and from aggregate
queries: a fixed number of queries whatever the number of enrolments, steps or log entries.
Days are the learner's own days, in the time zone of their settings.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.middleware import learner_zone
from roadmap import pace as pacing
from roadmap import versions
from roadmap.models import Activity, Enrollment
from roadmap.pages import (
    ContinueCard,
    PageMilestone,
    continue_card_of,
    learner_rows,
    page_content,
    progress_rows,
    step_url,
)
from roadmap.plan import Plan, PlannedStep, StepRow, as_tick, plan_from, ticks_since
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
FINISHED = (StepState.DONE, StepState.SKIPPED)
DAY_TIMEOUT = 2 * 24 * 60 * 60  # what is cached for a learner's day (past_ticked_days)


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


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


# Heatmap ---------------------------------------------------------------------------------


class HeatmapDay(NamedTuple):
    """One day of the heatmap (a tuple: a year of them is built on every dashboard miss)."""

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
    continue_card: ContinueCard | None = None


def overview(user, now=None):
    """/dashboard/: one card per enrolment, totals, streaks and this week's hours, in a fixed
    number of queries: the enrolments (left ones too: their ticks count toward the streak),
    their progress (three), their last activity, their ticks since yesterday or Monday,
    and, on the learner's first view of a day, the days ticked before yesterday."""
    zone = learner_zone(user)
    today = local_today(zone, now)
    every = list(
        Enrollment.objects.filter(user=user).select_related("roadmap").order_by("-created_at")
    )
    enrollments = [enrollment for enrollment in every if not enrollment.has_left]
    progress = progress_by_enrollment(enrollments) if enrollments else {}
    last = dict(
        Activity.objects.filter(enrollment__user=user)
        .values("enrollment_id")
        .annotate(last=Max("created_at"))
        .order_by()
        .values_list("enrollment_id", "last")
    )
    yesterday = today - timedelta(days=1)
    monday = datetime.combine(pacing.week_start(today), time(), tzinfo=zone)
    since = min(
        monday - timedelta(minutes=pacing.BURST_MINUTES),
        datetime.combine(yesterday, time(), tzinfo=zone),
    )
    ticks = _ticks_by_enrollment(every, progress, since)
    days = set()
    for past in _past_ticked_days_of(every, today, zone).values():
        days.update(past)
    for enrollment_ticks in ticks.values():
        days.update(_days_of(enrollment_ticks, yesterday, zone))
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
    hours = 0.0
    for enrollment in enrollments:
        enrolled_on = enrollment.created_at.astimezone(zone).date()
        learning = pacing.learning_ticks(ticks.get(enrollment.pk, []), enrolled_on, zone)
        hours += pacing.hours_since(learning, monday)
    return Overview(
        cards=cards,
        total=total,
        streak=streaks(days, today),
        hours_this_week=hours,
        weekly_goal=user.weekly_hours_goal,
        continue_card=_continue_card(enrollments, last, progress),
    )


def _continue_card(enrollments, last, progress):
    """pages.continue_card from the overview's figures: the active enrolment with the latest
    activity (the latest enrolled first when none has any), in one query."""
    active = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE]
    if not active:
        return None
    latest = max(active, key=lambda e: (last.get(e.pk) is not None, last.get(e.pk), e.created_at))
    return continue_card_of(latest, progress[latest.pk][0])


def _ticks_by_enrollment(enrollments, progress, since):
    """{enrolment id: its pace.Tick since a moment}, in one query for all of them; a tick
    on a roadmap without progress figures (left) stands for no hours."""
    share = {
        s["id"]: s["hours"] / s["total"]
        for __, steps in progress.values()
        for s in steps
        if s["total"]
    }
    ticks = {}
    for enrollment_id, *row in Activity.objects.filter(
        enrollment__in=[e.pk for e in enrollments], kind=Activity.Kind.TICKED, created_at__gte=since
    ).values_list(
        "enrollment_id",
        "created_at",
        "milestone_id",
        "milestone__step_id",
        "milestone__archived_at",
    ):
        ticks.setdefault(enrollment_id, []).append(as_tick(row, share))
    return ticks


def _past_ticked_days_of(enrollments, today, zone):
    """{enrolment id: {local date: distinct milestones ticked that day} before yesterday},
    as past_ticked_days keeps them (one query, by the database, for those not kept yet)."""
    keys = {versions.learner_day_key("ticked-days", e, today, zone): e for e in enrollments}
    found = cache.get_many(list(keys))
    missing = {key: e for key, e in keys.items() if key not in found}
    if missing:
        before = datetime.combine(today - timedelta(days=1), time(), tzinfo=zone)
        rows = (
            Activity.objects.filter(
                enrollment__in=[e.pk for e in missing.values()],
                kind=Activity.Kind.TICKED,
                created_at__lt=before,
            )
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .values("enrollment_id", "day")
            .annotate(milestones=Count("milestone_id", distinct=True))
            .order_by()
            .values_list("enrollment_id", "day", "milestones")
        )
        days = {e.pk: {} for e in missing.values()}
        for enrollment_id, day, count in rows:
            days[enrollment_id][_as_date(day)] = count
        fresh = {key: days[e.pk] for key, e in missing.items()}
        cache.set_many(fresh, DAY_TIMEOUT)
        found.update(fresh)
    return {e.pk: found[key] for key, e in keys.items()}


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
    milestone: PageMilestone | None


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


@dataclass(frozen=True)
class ActivityYear:
    """The learner's last 53 weeks of ticks, as the heatmap shows them.

    Made of what it is worked out from, the same parts of DashboardInputs that the
    heatmap's cache key is made of (versions.dashboard_keys): the key of the days ticked
    before yesterday (cached for the learner's day, past_ticked_days), the counts of
    yesterday and today, and today. The days themselves come along (`days`, not compared),
    and the grid and totals are worked out only when the fragment is rendered.
    """

    past: str  # versions.learner_day_key of the days before yesterday
    recent: tuple  # (date, distinct milestones ticked) of yesterday and today
    today: date
    days: dict = field(compare=False, repr=False)  # {date: count}, all of them

    @cached_property
    def heatmap(self):
        return heatmap(self.days, self.today)

    @cached_property
    def _shown(self):
        first = self.heatmap[0][0].day
        return [count for day, count in self.days.items() if first <= day <= self.today]

    @property
    def days_active(self):
        return len(self._shown)

    @property
    def ticks(self):
        return sum(self._shown)


@dataclass(frozen=True)
class ProgressCharts:
    """The phases and skills charts and the next steps: what the dashboard shows of the
    learner's progress below the live figures, worked out from the content and the
    learner's marks (its cache key: versions.dashboard_keys)."""

    slug: str
    phases: tuple  # DashboardPhase
    skills: tuple  # SkillShare
    next_steps: tuple  # NextStep

    @property
    def skill_groups(self):
        return skill_groups(self.skills)


@dataclass
class RoadmapDashboard:
    enrollment: Enrollment
    progress: object
    activity: ActivityYear
    charts: ProgressCharts
    streak: Streak
    plan: Plan
    this_week: list  # ThisWeekStep
    today: date | None = None

    @property
    def heatmap(self):
        return self.activity.heatmap

    @property
    def days_active(self):
        return self.activity.days_active

    @property
    def ticks_this_year(self):
        return self.activity.ticks

    @property
    def phases(self):
        return self.charts.phases

    @property
    def skills(self):
        return self.charts.skills

    @property
    def next_steps(self):
        return self.charts.next_steps


@dataclass(frozen=True)
class NextStep:
    """One of the next steps not done or skipped, with its link and tally."""

    key: str
    title: str
    url: str
    tally: Tally


@dataclass(frozen=True)
class DashboardInputs:
    """Everything one learner's roadmap dashboard is worked out from, read in one query
    (learner_rows: their marks, their ticks since the pace window or yesterday, and their
    history) plus the days ticked before yesterday, cached for the learner's day
    (past_ticked_days).

    The cache keys of the dashboard's parts are made of it (versions.dashboard_keys), so a
    part is worked out and rendered again only when something it depends on changed: a
    change that leaves the figures as they were (a note, a link, the same tick again)
    costs neither. What the arithmetic reads comes along, out of the keys (`loaded`).
    """

    content: tuple  # versions.content_key of the roadmap: its steps, titles, hours, skills
    slug: str
    done: tuple  # ids of the milestones done, sorted
    skipped: tuple  # ids of the steps skipped, sorted
    ticks: tuple  # pace.Tick since yesterday or the start of the pace window
    recent: tuple  # (date, distinct milestones ticked) of yesterday and today
    past: str  # versions.learner_day_key of the days ticked before yesterday
    weekly_hours: int | None  # the enrolment's own goal (the goals form shows it)
    weekly_hours_goal: int | None  # the settings' goal, when the enrolment has none
    target: date | None
    enrolled: datetime
    today: date
    zone: str
    loaded: dict = field(compare=False, repr=False)


def dashboard_inputs(enrollment, now=None):
    """The DashboardInputs of one enrolment (its `user` and `roadmap` set)."""
    zone = learner_zone(enrollment.user)
    today = local_today(zone, now)
    content = page_content(enrollment.roadmap)
    enrolled_on = enrollment.created_at.astimezone(zone).date()
    yesterday = today - timedelta(days=1)
    since = min(
        ticks_since(enrolled_on, today, zone), datetime.combine(yesterday, time(), tzinfo=zone)
    )
    done, skipped, rows, history = learner_rows(enrollment, since, RECENT)
    share = {
        step.pk: step.hours / len(step.milestones) for step in content.steps if step.milestones
    }
    ticks = [as_tick(row, share) for row in rows]
    past_key, past = past_ticked_days(enrollment, today, zone)
    recent = _days_of(ticks, yesterday, zone)
    return DashboardInputs(
        content=versions.content_key(enrollment.roadmap),
        slug=enrollment.roadmap.slug,
        done=tuple(sorted(done)),
        skipped=tuple(sorted(skipped)),
        ticks=tuple(ticks),
        recent=tuple(sorted(recent.items())),
        past=past_key,
        weekly_hours=enrollment.weekly_hours,
        weekly_hours_goal=enrollment.user.weekly_hours_goal,
        target=enrollment.target_date,
        enrolled=enrollment.created_at,
        today=today,
        zone=str(zone),
        loaded={
            "zone": zone,
            "content": content,
            "done": done,
            "skipped": skipped,
            "past": past,
            "history": history,
        },
    )


def roadmap_dashboard(enrollment, now=None, inputs=None):
    """/dashboard/<slug>/: the figures of one enrolment, from its DashboardInputs over the
    roadmap's content that every learner shares (pages.page_content); no query of its own."""
    inputs = inputs or dashboard_inputs(enrollment, now)
    loaded = inputs.loaded
    content, done, zone, today = loaded["content"], loaded["done"], loaded["zone"], inputs.today
    counts = progress_rows(content.steps, done, loaded["skipped"])
    summary = summarise(counts)
    phases = [
        DashboardPhase(phase.key, phase.title, summary.phases[phase.pk])
        for phase in content.phases
        if phase.pk in summary.phases
    ]
    the_plan = plan_from(
        _plan_rows(content, counts),
        [(step.pk, required) for step in content.steps for required in step.requires],
        list(inputs.ticks),
        planned_hours=inputs.weekly_hours or inputs.weekly_hours_goal,
        enrolled_on=inputs.enrolled.astimezone(zone).date(),
        target=inputs.target,
        today=today,
        tz=zone,
    )
    open_steps = [
        NextStep(step.key, step.title, step_url(inputs.slug, step.key), summary.steps[step.pk])
        for step in itertools.islice(
            (s for s in content.steps if summary.states[s.pk] not in FINISHED), NEXT_UP
        )
    ]
    # Their resources are on their step pages, one tap away: the dashboard stays short.
    days = {**loaded["past"], **dict(inputs.recent)}
    return RoadmapDashboard(
        enrollment=enrollment,
        progress=summary,
        activity=ActivityYear(inputs.past, inputs.recent, today, days),
        charts=ProgressCharts(
            inputs.slug,
            tuple(phases),
            tuple(skill_shares(summary, content.steps)),
            tuple(open_steps),
        ),
        streak=streaks(set(days), today),
        plan=the_plan,
        this_week=this_week_steps(content, the_plan, done),
        today=today,
    )


def _plan_rows(content, counts):
    """The plan's StepRows from the content's steps and the learner's counts on them."""
    phases = {phase.pk: phase for phase in content.phases}
    return [
        StepRow(
            id=step.pk,
            key=step.key,
            title=step.title,
            phase_id=step.phase_id,
            phase_key=phases[step.phase_id].key,
            phase_title=phases[step.phase_id].title,
            hours=step.hours,
            total=count.total,
            done=count.done,
            skipped=count.skipped,
        )
        for step, count in zip(content.steps, counts, strict=True)
    ]


def _days_of(ticks, first, zone):
    """{local date: distinct milestones ticked that day} of the ticks on or after `first`."""
    milestones = {}
    for tick in ticks:
        day = tick.at.astimezone(zone).date()
        if day >= first:
            milestones.setdefault(day, set()).add(tick.milestone_id)
    return {day: len(ids) for day, ids in milestones.items()}


def past_ticked_days(enrollment, today, zone):
    """(key, {local date: distinct milestones ticked} of the enrolment before yesterday),
    cached for the learner's day under that key: those days never change again
    (versions.learner_day_key says why)."""
    key = versions.learner_day_key("ticked-days", enrollment, today, zone)
    return key, _past_ticked_days_of([enrollment], today, zone)[enrollment.pk]


def this_week_steps(content, plan, done):
    """This week's planned steps with the first milestone of each not yet ticked (no query:
    the milestones come with the content)."""
    steps = {step.pk: step for step in content.steps}
    items = []
    for planned in plan.this_week:
        first = next((m for m in steps[planned.step_id].milestones if m.pk not in done), None)
        milestone = first and PageMilestone(first.pk, first.key, first.title, is_done=False)
        items.append(ThisWeekStep(planned, milestone))
    return items


def skill_shares(summary, steps):
    """For each skill the roadmap builds, the share of its milestones done or skipped
    (`steps`: the content's steps, with their skills)."""
    shares = {}
    for step in steps:
        tally = summary.steps[step.pk]
        for skill in step.skills:
            share = shares.setdefault(skill.name, SkillShare(skill.name, skill.category, 0, 0))
            share.total += tally.total
            share.completed += tally.done + tally.skipped
    return sorted(shares.values(), key=lambda s: (-s.percent, s.name))
