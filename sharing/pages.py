"""The shared pages: one learner's states and percents on a roadmap, or one of their own
roadmaps alone; read for a share rather than for the user asking, in fixed queries whatever
the roadmap's size.

Each page is built into typed objects that hold only what may be shown to anyone with the
link: the roadmap's content (titles, summaries, hours, milestones, resources) and, for
progress, states and tallies. Notes, personal links, the account and every time of activity
are never read, so no template can show them by mistake; the roadmap-only page does not read
the learner's progress either.

An own roadmap's step pages are its owner's only, so its shared pages link nowhere else on
the site: a step is linked to its place on the shared page itself.
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
    url: str  # the roadmap's public step page; empty for an own roadmap (not public)


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
    roadmap_url: str  # empty for an own roadmap, whose page is its owner's only
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
                    url="" if roadmap.is_own else pages.step_url(roadmap.slug, step.key),
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
        roadmap_url="" if roadmap.is_own else roadmap.get_absolute_url(),
        overall=result.overall,
        phases=tuple(shared_phases),
        map=_map(roadmap, phases, marks, next_key),
        allow_indexing=share.allow_indexing,
    )


def _step_href(roadmap, key):
    """Where the shared page links a step: a curated roadmap's public step page, or the
    step's place on the shared page for an own roadmap."""
    return f"#step-{key}" if roadmap.is_own else pages.step_url(roadmap.slug, key)


def _map(roadmap, phases, marks=None, next_key=None):
    """The map, with the learner's marks, or without any (marks None) for the roadmap only."""
    geometry = pages.map_geometry(roadmap, pages.page_content(roadmap))
    hrefs = {node.key: _step_href(roadmap, node.key) for node in geometry.nodes}
    steps = ngettext("%(count)d step", "%(count)d steps", len(geometry.nodes)) % {
        "count": len(geometry.nodes)
    }
    label = _("Map of %(roadmap)s: %(steps)s") % {"roadmap": roadmap.title, "steps": steps}
    legend = ()
    if marks is not None:
        legend = tuple(
            (svg.legend_icon(mark), svg.MARK_SENTENCES[mark]) for mark in map_layout.StepMark
        )
    return SharedMap(
        svg=svg.roadmap_map(geometry, label, "map", hrefs, marks, next_key),
        legend=legend,
        phase_count=len(geometry.bands),
    )


@dataclass(frozen=True)
class SharedResource:
    title: str
    url: str  # http(s) only: the roadmap schema allows nothing else
    kind: str  # its kind, in words
    free: bool


@dataclass(frozen=True)
class SharedRoadmapStep:
    key: str
    number: str
    title: str
    summary: str
    hours: int
    milestones: tuple  # their titles
    resources: tuple  # SharedResource
    needs: tuple  # (number, key, title) of each step it requires


@dataclass(frozen=True)
class SharedRoadmapPhase:
    number: int
    title: str
    summary: str
    hours: int
    steps: tuple


@dataclass(frozen=True)
class SharedRoadmapPage:
    roadmap_title: str
    roadmap_summary: str
    step_count: int
    milestone_count: int
    hours_total: int
    phases: tuple
    map: SharedMap
    allow_indexing: bool


def shared_roadmap_page(share):
    """The page a share of an own roadmap opens when it shows the roadmap only: its phases,
    steps, milestones and resources, and the map without any state. Built from the roadmap's
    content alone (cached per content version, pages.roadmap_content): no query of its own,
    and nothing of the learner's is read."""
    roadmap = share.enrollment.roadmap
    phases = pages.roadmap_content(roadmap)
    numbers = {}
    for phase_number, phase in enumerate(phases, start=1):
        phase.number = phase_number
        for step_number, step in enumerate(phase.steps.all(), start=1):
            step.number = numbers[step.pk] = f"{phase_number}.{step_number}"
    shared_phases = []
    for phase in phases:
        steps = []
        for step in phase.steps.all():
            step.prerequisites = [
                (numbers[required.pk], required)
                for required in step.requires.all()
                if required.pk in numbers
            ]
            steps.append(
                SharedRoadmapStep(
                    key=step.key,
                    number=step.number,
                    title=step.title,
                    summary=step.summary,
                    hours=step.hours,
                    milestones=tuple(milestone.title for milestone in step.milestones.all()),
                    resources=tuple(
                        SharedResource(
                            title=resource.title,
                            url=resource.url,
                            kind=resource.get_kind_display(),
                            free=resource.free,
                        )
                        for resource in step.resources.all()
                    ),
                    needs=tuple(
                        (number, required.key, required.title)
                        for number, required in step.prerequisites
                    ),
                )
            )
        shared_phases.append(
            SharedRoadmapPhase(
                number=phase.number,
                title=phase.title,
                summary=phase.summary,
                hours=sum(step.hours for step in steps),
                steps=tuple(steps),
            )
        )
    all_steps = [step for phase in shared_phases for step in phase.steps]
    return SharedRoadmapPage(
        roadmap_title=roadmap.title,
        roadmap_summary=roadmap.summary,
        step_count=len(all_steps),
        milestone_count=sum(len(step.milestones) for step in all_steps),
        hours_total=sum(step.hours for step in all_steps),
        phases=tuple(shared_phases),
        map=_map(roadmap, phases),
        allow_indexing=share.allow_indexing,
    )


@dataclass(frozen=True)
class Badge:
    title: str
    percent: int


def badge(share):
    """What the progress badge shows: the roadmap's title and the percent; three queries."""
    enrollment = share.enrollment
    return Badge(title=enrollment.roadmap.title, percent=summary(enrollment).overall.percent)
