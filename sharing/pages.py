"""The shared progress page: one learner's states and percents on a roadmap, read for a share
rather than for the user asking, in fixed queries whatever the roadmap's size.

The page is built into typed objects that hold only what may be shown to anyone with the
link: titles, numbers, states and tallies. Notes, personal links, the account and every time
of activity are never read, so no template can show them by mistake.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roadmap import map_layout, pages, svg
from roadmap.progress import StepCounts, StepState, Tally, summarise, summary

FINISHED = (StepState.DONE, StepState.SKIPPED)


@dataclass(frozen=True)
class SharedStep:
    key: str
    number: str
    title: str
    state: StepState
    tally: Tally
    url: str  # the roadmap's public step page


@dataclass(frozen=True)
class SharedPhase:
    number: int
    title: str
    tally: Tally
    steps: tuple
    is_current: bool  # the phase of the next step: shown open


@dataclass(frozen=True)
class SharedMap:
    svg: str
    legend: tuple  # (icon, words) for each state
    phase_count: int


@dataclass(frozen=True)
class SharedProgressPage:
    roadmap_title: str
    roadmap_url: str
    overall: Tally
    phases: tuple
    map: SharedMap
    allow_indexing: bool


def _mark(state, waiting):
    """A step's mark on the map, by the roadmap page's rule (pages.roadmap_map)."""
    if state == StepState.NOT_STARTED:
        return map_layout.StepMark.WAITING if waiting else map_layout.StepMark.AVAILABLE
    return map_layout.StepMark(state)


def shared_progress_page(share):
    """The page a share opens: its enrolment's progress on the roadmap. One query beside
    the roadmap's content (cached per content version, pages.roadmap_content)."""
    enrollment = share.enrollment
    roadmap = enrollment.roadmap
    phases = pages.roadmap_content(roadmap)
    done, skipped = pages.learner_marks(enrollment)
    numbers, rows = {}, []
    for phase_number, phase in enumerate(phases, start=1):
        phase.number = phase_number
        for step_number, step in enumerate(phase.steps.all(), start=1):
            step.number = numbers[step.pk] = f"{phase_number}.{step_number}"
            milestones = step.milestones.all()
            rows.append(
                StepCounts(
                    step_id=step.pk,
                    phase_id=step.phase_id,
                    hours=step.hours,
                    total=len(milestones),
                    done=sum(milestone.pk in done for milestone in milestones),
                    skipped=step.pk in skipped,
                )
            )
    result = summarise(rows)
    marks, shared_phases = {}, []
    for phase in phases:
        steps = []
        for step in phase.steps.all():
            # The map's layout reads the prerequisites as the roadmap page gives them.
            step.prerequisites = [
                (numbers[required.pk], required)
                for required in step.requires.all()
                if required.pk in numbers
            ]
            state = result.states[step.pk]
            waiting = any(
                result.states.get(required.pk) not in FINISHED
                for __, required in step.prerequisites
            )
            marks[step.key] = _mark(state, waiting)
            steps.append(
                SharedStep(
                    key=step.key,
                    number=step.number,
                    title=step.title,
                    state=state,
                    tally=result.steps[step.pk],
                    url=pages.step_url(roadmap.slug, step.key),
                )
            )
        shared_phases.append(
            SharedPhase(
                number=phase.number,
                title=phase.title,
                tally=result.phases.get(phase.pk, Tally()),
                steps=tuple(steps),
                is_current=any(step.pk == result.next_step_id for step in phase.steps.all()),
            )
        )
    next_key = next(
        (
            step.key
            for phase in phases
            for step in phase.steps.all()
            if step.pk == result.next_step_id
        ),
        None,
    )
    return SharedProgressPage(
        roadmap_title=roadmap.title,
        roadmap_url=roadmap.get_absolute_url(),
        overall=result.overall,
        phases=tuple(shared_phases),
        map=_map(roadmap, phases, marks, next_key),
        allow_indexing=share.allow_indexing,
    )


def _map(roadmap, phases, marks, next_key):
    geometry = pages.map_geometry(roadmap, pages.page_content(roadmap))
    hrefs = {node.key: pages.step_url(roadmap.slug, node.key) for node in geometry.nodes}
    steps = ngettext("%(count)d step", "%(count)d steps", len(geometry.nodes)) % {
        "count": len(geometry.nodes)
    }
    label = _("Map of %(roadmap)s: %(steps)s") % {"roadmap": roadmap.title, "steps": steps}
    legend = tuple(
        (svg.legend_icon(mark), svg.MARK_SENTENCES[mark]) for mark in map_layout.StepMark
    )
    return SharedMap(
        svg=svg.roadmap_map(geometry, label, "map", hrefs, marks, next_key),
        legend=legend,
        phase_count=len(geometry.bands),
    )


@dataclass(frozen=True)
class Badge:
    title: str
    percent: int


def badge(share):
    """What the progress badge shows: the roadmap's title and the percent; three queries."""
    enrollment = share.enrollment
    return Badge(title=enrollment.roadmap.title, percent=summary(enrollment).overall.percent)
