"""Progress arithmetic: the one definition of percent, counts and hours every page uses.

The pure functions work on `StepCounts` rows; `step_counts_for(enrollments)` fetches those
rows with three aggregate queries, whatever the size of the roadmaps and the number of
enrolments.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q

from roadmap.models import MilestoneProgress, Step, StepSkip


class StepState(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class StepCounts:
    """One step of a learner's roadmap: its live milestones and how many they have ticked."""

    step_id: int
    phase_id: int
    hours: int
    total: int
    done: int
    skipped: bool = False

    def __post_init__(self):
        if not 0 <= self.done <= self.total:
            raise ValueError(f"done ({self.done}) must lie between 0 and total ({self.total})")


@dataclass(frozen=True)
class Tally:
    """Milestone counts and hours for a step, a phase or a whole roadmap."""

    total: int = 0
    done: int = 0
    skipped: int = 0
    hours_total: float = 0.0
    hours_remaining: float = 0.0

    @property
    def remaining(self):
        return self.total - self.done - self.skipped

    @property
    def percent(self):
        return percent(self.done + self.skipped, self.total)

    @property
    def is_complete(self):
        return self.total > 0 and self.remaining == 0

    def __add__(self, other):
        return Tally(
            total=self.total + other.total,
            done=self.done + other.done,
            skipped=self.skipped + other.skipped,
            hours_total=self.hours_total + other.hours_total,
            hours_remaining=self.hours_remaining + other.hours_remaining,
        )


@dataclass(frozen=True)
class RoadmapProgress:
    overall: Tally
    phases: dict  # phase id -> Tally
    steps: dict  # step id -> Tally
    states: dict  # step id -> StepState
    next_step_id: int | None = None  # the first step, in roadmap order, not done or skipped


def percent(completed, total):
    """Whole percent, rounded down so that 100 means every milestone is done or skipped."""
    if total <= 0:
        return 0
    return completed * 100 // total


def step_state(row):
    if row.skipped:
        return StepState.SKIPPED
    if row.total and row.done == row.total:
        return StepState.DONE
    if row.done:
        return StepState.IN_PROGRESS
    return StepState.NOT_STARTED


def step_tally(row):
    """A skipped step's unticked milestones count as skipped; its hours are no longer owed."""
    skipped = row.total - row.done if row.skipped else 0
    left = row.total - row.done - skipped
    remaining_hours = row.hours * left / row.total if row.total else 0.0
    return Tally(
        total=row.total,
        done=row.done,
        skipped=skipped,
        hours_total=float(row.hours),
        hours_remaining=remaining_hours,
    )


def summarise(rows):
    """Roll step rows, given in roadmap order, up into per-step, per-phase and overall tallies."""
    steps, states, by_phase = {}, {}, {}
    next_step_id = None
    for row in rows:
        tally = step_tally(row)
        steps[row.step_id] = tally
        states[row.step_id] = state = step_state(row)
        by_phase.setdefault(row.phase_id, []).append(tally)
        if next_step_id is None and state not in (StepState.DONE, StepState.SKIPPED):
            next_step_id = row.step_id
    return RoadmapProgress(
        overall=total_of(steps.values()),
        phases={phase: total_of(tallies) for phase, tallies in by_phase.items()},
        steps=steps,
        states=states,
        next_step_id=next_step_id,
    )


def total_of(tallies):
    """The sum of these tallies, added in the order given (as `+` would, without a Tally
    for each partial sum: it runs over every step on every tick)."""
    total = done = skipped = 0
    hours_total = hours_remaining = 0.0
    for tally in tallies:
        total += tally.total
        done += tally.done
        skipped += tally.skipped
        hours_total += tally.hours_total
        hours_remaining += tally.hours_remaining
    return Tally(total, done, skipped, hours_total, hours_remaining)


def live_milestone_count():
    """Annotation for steps: how many of their milestones are live (not archived)."""
    return Count("milestones", filter=Q(milestones__archived_at__isnull=True))


def live_steps(roadmap_ids):
    """The live steps in live phases of these roadmaps, in roadmap order, with `total`: their
    live milestones."""
    return (
        Step.objects.shown()
        .filter(roadmap_id__in=roadmap_ids)
        .annotate(total=live_milestone_count())
        .order_by("roadmap_id", "phase__position", "phase_id", "position", "id")
    )


STEP_FIELDS = ("id", "roadmap_id", "phase_id", "hours", "total")


def step_counts_for(enrollments, steps=None):
    """{enrolment pk: its `StepCounts` rows in roadmap order}, in three queries for them all.

    `steps` may give the step rows already fetched, as dicts of `live_steps(...).values()`
    with at least `STEP_FIELDS`, for every roadmap of `enrollments`: a caller that shows more
    of each step than its counts then fetches the steps once, and this runs two queries.
    """
    if not enrollments:
        return {}
    if steps is None:
        steps = live_steps({e.roadmap_id for e in enrollments}).values(*STEP_FIELDS)
    by_roadmap = {}
    for step in steps:
        by_roadmap.setdefault(step["roadmap_id"], []).append(step)
    pks = [e.pk for e in enrollments]
    done = {
        (enrollment_id, step_id): count
        for enrollment_id, step_id, count in MilestoneProgress.objects.filter(
            enrollment_id__in=pks,
            done_at__isnull=False,
            milestone__archived_at__isnull=True,
        )
        .values("enrollment_id", "milestone__step_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("enrollment_id", "milestone__step_id", "n")
    }
    skipped = set(
        StepSkip.objects.filter(enrollment_id__in=pks).values_list("enrollment_id", "step_id")
    )
    return {
        enrollment.pk: [
            StepCounts(
                step_id=step["id"],
                phase_id=step["phase_id"],
                hours=step["hours"],
                total=step["total"],
                done=done.get((enrollment.pk, step["id"]), 0),
                skipped=(enrollment.pk, step["id"]) in skipped,
            )
            for step in by_roadmap.get(enrollment.roadmap_id, [])
        ]
        for enrollment in enrollments
    }


def step_counts(enrollment):
    """Per-step milestone counts for one enrolment, in three queries."""
    return step_counts_for([enrollment])[enrollment.pk]


def summary(enrollment):
    """The progress of one enrolment: overall, per phase and per step."""
    return summarise(step_counts(enrollment))
