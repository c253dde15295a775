"""Export a roadmap's live content in the same YAML format the loader reads."""

import yaml
from django.db.models import Prefetch

from roadmap.models import Milestone, Phase, Resource, Roadmap, Skill, Step


def roadmap_to_data(roadmap):
    """The roadmap as plain dicts and lists, in a fixed order, from a fixed number of queries."""
    return roadmaps_to_data([roadmap])[0]


def roadmaps_to_data(roadmaps):
    """`roadmap_to_data` of each roadmap, in order, in six queries for them all."""
    if not roadmaps:
        return []
    live_steps = Step.objects.live().prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("slug")),
        Prefetch("requires", queryset=Step.objects.order_by("phase__position", "position")),
        Prefetch("resources", queryset=Resource.objects.order_by("position", "id")),
        Prefetch("milestones", queryset=Milestone.objects.live()),
    )
    phases = (
        Phase.objects.live()
        .filter(roadmap__in=[roadmap.pk for roadmap in roadmaps])
        .prefetch_related(Prefetch("steps", queryset=live_steps))
    )
    by_roadmap = {}
    for phase in phases:
        by_roadmap.setdefault(phase.roadmap_id, []).append(phase)
    return [_roadmap_data(roadmap, by_roadmap.get(roadmap.pk, [])) for roadmap in roadmaps]


def _roadmap_data(roadmap, phases):
    phase_data, skills = [], {}
    for phase in phases:
        steps = []
        for step in phase.steps.all():
            for skill in step.skills.all():
                skills[skill.slug] = skill
            steps.append(_step_data(step))
        phase_data.append(
            _without_empty(
                {"key": phase.key, "title": phase.title, "summary": phase.summary, "steps": steps}
            )
        )
    data = {
        "slug": roadmap.key,
        "title": roadmap.title,
        "summary": roadmap.summary,
        "description": roadmap.description,
        "status": roadmap.status,
        "skills": [
            _without_empty({"slug": s.slug, "name": s.name, "category": s.category})
            for s in sorted(skills.values(), key=lambda skill: skill.slug)
        ],
        "phases": phase_data,
    }
    return _without_empty(data, keep=("skills", "phases"))


def _step_data(step):
    return {
        "key": step.key,
        "title": step.title,
        "summary": step.summary,
        "hours": step.hours,
        "skills": [skill.slug for skill in step.skills.all()],
        "requires": [required.key for required in step.requires.all()],
        "resources": [
            {"title": r.title, "url": r.url, "kind": r.kind, "free": r.free}
            for r in step.resources.all()
        ],
        "milestones": [{"key": ms.key, "title": ms.title} for ms in step.milestones.all()],
    }


def _without_empty(data, keep=()):
    return {name: value for name, value in data.items() if value != "" or name in keep}


def roadmap_to_yaml(roadmap):
    return yaml.safe_dump(roadmap_to_data(roadmap), sort_keys=False, allow_unicode=True, width=100)


def export_roadmap(slug):
    """A curated roadmap's YAML, by slug (the exportroadmap command)."""
    return roadmap_to_yaml(Roadmap.objects.curated().get(slug=slug))
