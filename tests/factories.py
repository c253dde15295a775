"""Small builders for test data: roadmap content as YAML-shaped dicts and learners."""

import copy
import itertools

from django.contrib.auth import get_user_model

from roadmap.content import validate, write_roadmap
from roadmap.models import Enrollment, Milestone, Phase, Resource, Roadmap, Skill, Step


def roadmap_data(slug="test-roadmap", phases=2, steps=2, milestones=2, status="published"):
    """A valid roadmap document of the given size, as the YAML loader would see it."""
    data = {
        "slug": slug,
        "title": f"Roadmap {slug}",
        "summary": "A roadmap for tests.",
        "status": status,
        "skills": [{"slug": "testing", "name": "Testing", "category": "Craft"}],
        "phases": [],
    }
    for p in range(phases):
        phase = {"key": f"phase-{p}", "title": f"Phase {p}", "steps": []}
        for s in range(steps):
            key = f"step-{p}-{s}"
            phase["steps"].append(
                {
                    "key": key,
                    "title": f"Step {p}.{s}",
                    "summary": "Learn a thing.",
                    "hours": 10,
                    "skills": ["testing"],
                    "requires": [f"step-{p}-{s - 1}"] if s else [],
                    "resources": [
                        {
                            "title": "Docs",
                            "url": "https://example.com/docs",
                            "kind": "docs",
                            "free": True,
                        }
                    ],
                    "milestones": [
                        {"key": f"{key}-m{m}", "title": f"Milestone {m} of {key}"}
                        for m in range(milestones)
                    ],
                }
            )
        data["phases"].append(phase)
    return data


def load_roadmap(data=None, **size):
    """Write a roadmap through the real loader and return it."""
    data = copy.deepcopy(data) if data is not None else roadmap_data(**size)
    write_roadmap(validate(data))
    return Roadmap.objects.get(slug=data["slug"])


def bulk_roadmap(slug="big-roadmap", phases=10, steps=50, milestones=3):
    """A large published roadmap written with bulk inserts (fast enough for 500 steps)."""
    roadmap = Roadmap.objects.create(
        slug=slug, title="Big roadmap", summary="Large.", status=Roadmap.Status.PUBLISHED
    )
    skill, _ = Skill.objects.get_or_create(slug="bulk-skill", defaults={"name": "Bulk"})
    phase_objs = Phase.objects.bulk_create(
        Phase(roadmap=roadmap, key=f"p{p}", title=f"Phase {p}", position=p) for p in range(phases)
    )
    step_objs = Step.objects.bulk_create(
        Step(
            roadmap=roadmap,
            phase=phase,
            key=f"{phase.key}-s{s}",
            title=f"Step {s}",
            summary="Summary.",
            hours=5,
            position=s,
        )
        for phase in phase_objs
        for s in range(steps)
    )
    Milestone.objects.bulk_create(
        Milestone(roadmap=roadmap, step=step, key=f"{step.key}-m{m}", title="Do it", position=m)
        for step in step_objs
        for m in range(milestones)
    )
    Resource.objects.bulk_create(
        Resource(step=step, title="Docs", url="https://example.com/", kind="docs")
        for step in step_objs
    )
    Step.skills.through.objects.bulk_create(
        Step.skills.through(step_id=step.pk, skill_id=skill.pk) for step in step_objs
    )
    Step.requires.through.objects.bulk_create(
        Step.requires.through(from_step_id=later.pk, to_step_id=earlier.pk)
        for earlier, later in itertools.pairwise(step_objs)
    )
    return roadmap


def make_user(username="learner", **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="correct horse 42", **extra
    )


def enrol(user, roadmap):
    return Enrollment.objects.create(user=user, roadmap=roadmap)
