"""A roadmap's outline: its live phases, steps and milestones as plain tuples, in roadmap order.

What a tick's response needs of the content (numbers, keys, titles, hours, which milestone
belongs to which step), without the prerequisites, skills and resources of the full page.
It depends on the content only, so it is built once per content version (roadmap/versions.py)
and shared by every learner, like the map's layout; a few KB even for a 500-step roadmap.
Each process also keeps the outlines it used last, so that a tick neither asks the cache nor
unpickles anything: a key names one version of one roadmap's content (its id, creation time
and content version), which never changes once written, so a process's copy cannot be stale.
"""

from dataclasses import dataclass

from roadmap import fragments, versions
from roadmap.kept import Kept
from roadmap.models import Milestone, Phase, Step

_outlines = Kept(32)  # outlines kept by each process: content versions, not learners


@dataclass(frozen=True)
class OutlineMilestone:
    pk: int
    key: str
    title: str
    step_id: int


@dataclass(frozen=True)
class OutlineStep:
    pk: int
    phase_id: int
    key: str
    title: str
    number: str  # "2.3": the third step of the second phase, as the page numbers it
    hours: int
    milestones: tuple  # OutlineMilestone, in order


@dataclass(frozen=True)
class OutlinePhase:
    pk: int
    key: str
    title: str


@dataclass(frozen=True)
class Outline:
    phases: dict  # phase id -> OutlinePhase, in roadmap order
    steps: tuple  # OutlineStep, in roadmap order
    by_id: dict  # step id -> OutlineStep
    milestones: dict  # milestone id -> OutlineMilestone, live ones only


def _build(roadmap):
    phases = list(Phase.objects.live().filter(roadmap=roadmap).values_list("pk", "key", "title"))
    phase_ids = [pk for pk, __, __ in phases]
    steps = {}
    for pk, phase_id, key, title, hours in (
        Step.objects.live()
        .filter(phase_id__in=phase_ids)
        .values_list("pk", "phase_id", "key", "title", "hours")
    ):
        steps.setdefault(phase_id, []).append((pk, key, title, hours))
    milestones = {}
    for pk, key, title, step_id in (
        Milestone.objects.live()
        .filter(roadmap=roadmap)
        .values_list("pk", "key", "title", "step_id")
    ):
        milestones.setdefault(step_id, []).append(OutlineMilestone(pk, key, title, step_id))
    outline_steps = [
        OutlineStep(
            pk=pk,
            phase_id=phase_id,
            key=key,
            title=title,
            number=f"{phase_number}.{step_number}",
            hours=hours,
            milestones=tuple(milestones.get(pk, ())),
        )
        for phase_number, phase_id in enumerate(phase_ids, start=1)
        for step_number, (pk, key, title, hours) in enumerate(steps.get(phase_id, []), start=1)
    ]
    return Outline(
        phases={pk: OutlinePhase(pk, key, title) for pk, key, title in phases},
        steps=tuple(outline_steps),
        by_id={step.pk: step for step in outline_steps},
        milestones={m.pk: m for step in outline_steps for m in step.milestones},
    )


def roadmap_outline(roadmap):
    """The outline of this version of the roadmap's content (three queries when not cached)."""
    key = versions.content_cache_key("roadmap-outline", roadmap)
    return _outlines.through_cache(key, lambda: _build(roadmap), fragments.TIMEOUT)


def fresh(instance):
    """A copy of a model instance and of the instances prefetched under it, sharing their
    field values: what a page sets on its copies (a step's state, a milestone's done flag)
    stays on them."""
    copy = object.__new__(type(instance))
    copy.__dict__ = {**instance.__dict__}
    state = copy._state = object.__new__(type(instance._state))
    state.__dict__ = {**instance._state.__dict__}
    if "fields_cache" in state.__dict__:  # related objects: the shared originals
        state.fields_cache = {**state.fields_cache}
    prefetched = instance.__dict__.get("_prefetched_objects_cache")
    if prefetched:
        copy._prefetched_objects_cache = {
            name: _fresh_queryset(queryset) for name, queryset in prefetched.items()
        }
    return copy


def _fresh_queryset(queryset):
    copy = object.__new__(type(queryset))
    copy.__dict__ = {**queryset.__dict__}
    copy._result_cache = [fresh(instance) for instance in queryset._result_cache]
    return copy
