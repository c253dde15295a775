"""Where learners stall: enrolment counts, the completion funnel, stalls and skips, for curators.

Five aggregate queries whatever the number of steps and learners; Python only combines the
per-learner-and-step aggregates the database returns.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Max

from roadmap.models import Enrollment, MilestoneProgress, Step, StepSkip
from roadmap.progress import live_steps


@dataclass
class StepInsight:
    step: Step
    number: str
    finished: int = 0  # learners who ticked every milestone
    skipped: int = 0  # learners who marked it "I already know this"
    stall_days: float | None = None  # median days from finishing the previous step to this one


@dataclass
class PhaseInsight:
    phase: object
    steps: list = field(default_factory=list)
    finished: int = 0  # learners who finished or skipped every step of the phase


@dataclass
class RoadmapInsight:
    enrolments: dict
    learners: int
    phases: list
    steps: list

    def stalls(self, count=5):
        timed = [s for s in self.steps if s.stall_days is not None]
        return sorted(timed, key=lambda s: s.stall_days, reverse=True)[:count]

    def most_skipped(self, count=5):
        return sorted((s for s in self.steps if s.skipped), key=lambda s: -s.skipped)[:count]


def roadmap_insight(roadmap):
    """Everything the insight page shows, for one roadmap."""
    by_status = dict(
        Enrollment.objects.filter(roadmap=roadmap)
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    learners = sum(count for status, count in by_status.items() if status != Enrollment.Status.LEFT)
    steps = list(live_steps([roadmap.pk]).select_related("phase"))
    current = Enrollment.objects.current().filter(roadmap=roadmap)
    done = (
        MilestoneProgress.objects.filter(
            enrollment__in=current,
            done_at__isnull=False,
            milestone__archived_at__isnull=True,
        )
        .values("enrollment_id", "milestone__step_id")
        .annotate(count=Count("id"), last=Max("done_at"))
        .values_list("enrollment_id", "milestone__step_id", "count", "last")
    )
    skips = set(
        StepSkip.objects.filter(enrollment__in=current).values_list("enrollment_id", "step_id")
    )
    return _combine(roadmap, by_status, learners, steps, done, skips)


def _combine(roadmap, by_status, learners, steps, done, skips):
    totals = {step.pk: step.total for step in steps}
    finished_at = defaultdict(dict)  # enrolment -> step -> when its last milestone was ticked
    for enrollment_id, step_id, count, last in done:
        if totals.get(step_id) and count >= totals[step_id]:
            finished_at[enrollment_id][step_id] = last
    finished = Counter(step_id for per in finished_at.values() for step_id in per)
    skipped = Counter(step_id for __, step_id in skips)
    waits = defaultdict(list)
    for per in finished_at.values():
        previous = None
        for step in steps:
            when = per.get(step.pk)
            if when is not None and previous is not None and when >= previous:
                waits[step.pk].append((when - previous).total_seconds() / 86400)
            if when is not None:
                previous = when
    phases, numbers, insights = {}, {}, []
    for step in steps:
        phase = phases.setdefault(step.phase_id, PhaseInsight(step.phase))
        number = f"{list(phases).index(step.phase_id) + 1}.{len(phase.steps) + 1}"
        insight = StepInsight(
            step,
            number,
            finished=finished[step.pk],
            skipped=skipped[step.pk],
            stall_days=round(median(waits[step.pk]), 1) if waits[step.pk] else None,
        )
        phase.steps.append(insight)
        insights.append(insight)
        numbers[step.pk] = number
    for phase in phases.values():
        ids = [s.step.pk for s in phase.steps]
        phase.finished = sum(
            1
            for enrollment_id in _enrolments(finished_at, skips)
            if all(pk in finished_at[enrollment_id] or (enrollment_id, pk) in skips for pk in ids)
        )
    return RoadmapInsight(
        enrolments=by_status, learners=learners, phases=list(phases.values()), steps=insights
    )


def _enrolments(finished_at, skips):
    return set(finished_at) | {enrollment_id for enrollment_id, __ in skips}
