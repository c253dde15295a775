"""What the editor's pages show: typed page objects built from the roadmap's YAML-shaped data
(the same dict every edit changes), so the editor shows exactly what the loader would write.

Building a page asks the database what `roadmap_to_data` asks, a fixed number of queries
whatever the roadmap's size. A form that failed shows what was typed and the loader's
messages next to it (`Failure`).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from roadmap.content.exporter import roadmap_to_data
from roadmap.models import Resource

_PLACE = re.compile(r"(\w+)\[(\d+)\]")


@dataclass(frozen=True)
class Failure:
    """A refused edit: the form it came from, the problems, and what was typed."""

    form: str
    problems: list
    values: dict


@dataclass
class FormState:
    values: dict
    problems: list = field(default_factory=list)


def _form(failure, form_id, **defaults):
    if failure is not None and failure.form == form_id:
        return FormState({**defaults, **failure.values}, failure.problems)
    return FormState(defaults)


@dataclass
class StepRow:
    key: str
    title: str
    hours: int
    milestone_count: int
    first: bool
    last: bool


@dataclass
class PhaseRow:
    key: str
    number: int
    form: FormState
    add_step: FormState
    steps: list
    first: bool
    last: bool


@dataclass
class SkillRow:
    slug: str
    form: FormState
    step_count: int


@dataclass
class EditorPage:
    roadmap: object
    version: int
    details: FormState
    phases: list
    add_phase: FormState
    skills: list
    step_count: int


def editor_page(roadmap, failure=None):
    data = roadmap_to_data(roadmap)
    phases, steps_seen = [], 0
    all_steps = [step for phase in data["phases"] for step in phase["steps"]]
    for number, phase in enumerate(data["phases"], start=1):
        rows = []
        for step in phase["steps"]:
            rows.append(
                StepRow(
                    key=step["key"],
                    title=step["title"],
                    hours=step["hours"],
                    milestone_count=len(step["milestones"]),
                    first=steps_seen == 0,
                    last=steps_seen == len(all_steps) - 1,
                )
            )
            steps_seen += 1
        phases.append(
            PhaseRow(
                key=phase["key"],
                number=number,
                form=_form(
                    failure,
                    f"phase-{phase['key']}",
                    title=phase["title"],
                    summary=phase.get("summary", ""),
                ),
                add_step=_form(failure, f"add-step-{phase['key']}", title="", hours=1),
                steps=rows,
                first=number == 1,
                last=number == len(data["phases"]),
            )
        )
    used = {}
    for step in all_steps:
        for slug in step["skills"]:
            used[slug] = used.get(slug, 0) + 1
    skills = [
        SkillRow(
            slug=skill["slug"],
            form=_form(
                failure,
                f"skill-{skill['slug']}",
                name=skill["name"],
                category=skill.get("category", ""),
            ),
            step_count=used.get(skill["slug"], 0),
        )
        for skill in data["skills"]
    ]
    return EditorPage(
        roadmap=roadmap,
        version=roadmap.content_version,
        details=_form(
            failure,
            "details",
            title=data["title"],
            summary=data["summary"],
            description=data.get("description", ""),
        ),
        phases=phases,
        add_phase=_form(failure, "add-phase", title=""),
        skills=skills,
        step_count=len(all_steps),
    )


@dataclass
class MilestoneRow:
    key: str
    form: FormState
    first: bool
    last: bool


@dataclass
class ResourceRow:
    index: int
    url: str  # as stored: names the resource in its forms
    form: FormState
    first: bool
    last: bool

    @property
    def dom_id(self):
        return f"resource-{self.index}"


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class ChoiceGroup:
    title: str
    choices: list


@dataclass
class StepEditorPage:
    roadmap: object
    version: int
    key: str
    title: str
    phase_title: str
    details: FormState
    milestones: list
    add_milestone: FormState
    resources: list
    add_resource: FormState
    kinds: list
    skills: FormState
    skill_choices: list
    requires: FormState
    require_groups: list

    @property
    def other_steps(self):
        return any(group.choices for group in self.require_groups)


def step_editor_page(roadmap, key, failure=None):
    """The step's editor page, or None when the roadmap has no such live step."""
    data = roadmap_to_data(roadmap)
    found = [
        (phase, step) for phase in data["phases"] for step in phase["steps"] if step["key"] == key
    ]
    if not found:
        return None
    phase, step = found[0]
    milestones = step["milestones"]
    resources = step["resources"]
    skills = _form(failure, "skills", skills=step["skills"], new_name="", new_category="")
    requires = _form(failure, "requires", requires=step["requires"])
    return StepEditorPage(
        roadmap=roadmap,
        version=roadmap.content_version,
        key=key,
        title=step["title"],
        phase_title=phase["title"],
        details=_form(
            failure, "step", title=step["title"], summary=step["summary"], hours=step["hours"]
        ),
        milestones=[
            MilestoneRow(
                key=milestone["key"],
                form=_form(failure, f"milestone-{milestone['key']}", title=milestone["title"]),
                first=index == 0,
                last=index == len(milestones) - 1,
            )
            for index, milestone in enumerate(milestones)
        ],
        add_milestone=_form(failure, "add-milestone", title=""),
        resources=[
            ResourceRow(
                index=index,
                url=resource["url"],
                form=_form(failure, f"resource-{index}", **resource),
                first=index == 0,
                last=index == len(resources) - 1,
            )
            for index, resource in enumerate(resources)
        ],
        add_resource=_form(failure, "add-resource", title="", url="", kind="", free=False),
        kinds=list(Resource.Kind.choices),
        skills=skills,
        skill_choices=[
            Choice(skill["slug"], skill["name"], skill["slug"] in skills.values["skills"])
            for skill in data["skills"]
        ],
        requires=requires,
        require_groups=[
            ChoiceGroup(
                other_phase["title"],
                [
                    Choice(
                        other["key"], other["title"], other["key"] in requires.values["requires"]
                    )
                    for other in other_phase["steps"]
                    if other["key"] != key
                ],
            )
            for other_phase in data["phases"]
        ],
    )


def describe(problem, data):
    """A problem's place in words a learner knows ("Step “Basics”, title") and its message,
    which is the loader's own."""
    names = []
    node = data
    for part in problem.path.split("."):
        match = _PLACE.fullmatch(part)
        if match:
            listed, index = match.group(1), int(match.group(2))
            items = node.get(listed, []) if isinstance(node, dict) else []
            node = items[index] if index < len(items) else {}
            names.append(_thing(listed, node, index))
        elif part:
            names.append(_field(part))
    where = ", ".join(name for name in names if name)
    return f"{where}: {problem.message}" if where else problem.message


def _thing(listed, node, index):
    title = (node.get("title") or node.get("name") or "") if isinstance(node, dict) else ""
    kinds = {
        "phases": _("Phase “%s”"),
        "steps": _("step “%s”"),
        "milestones": _("milestone “%s”"),
        "resources": _("resource “%s”"),
        "skills": _("skill “%s”"),
    }
    if listed in ("requires",):
        return _("prerequisite %d") % (index + 1)
    if listed not in kinds:
        return listed
    return kinds[listed] % (title or index + 1)


def _field(name):
    return {
        "title": _("title"),
        "summary": _("summary"),
        "description": _("description"),
        "hours": _("hours"),
        "url": _("address"),
        "kind": _("kind"),
        "name": _("name"),
        "category": _("category"),
        "milestones": _("milestones"),
        "steps": _("steps"),
        "phases": _("phases"),
        "requires": _("prerequisites"),
        "skills": _("skills"),
    }.get(name, name)
