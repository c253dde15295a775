"""Validate parsed roadmap YAML into plain specs, naming the place of every problem."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from roadmap import models as m

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = frozenset(m.Resource.Kind.values)
STATUSES = frozenset(m.Roadmap.Status.values)
_url_validator = URLValidator(schemes=["http", "https"])

# Counts per roadmap, checked before anything is built. The tests pin page query counts on a
# 500-step roadmap, so that size must publish; the shipped roadmap has 8 phases, 46 steps,
# 145 milestones, 115 resources and 41 skills.
MAX_PHASES = 50
MAX_STEPS = 500
MAX_MILESTONES = 2500
MAX_RESOURCES = 2500
MAX_SKILLS = 250

# Each counted list by its field names from the top, and its limit for the whole roadmap (500
# steps however many phases share them).
COUNTED_LISTS = {
    ("skills",): MAX_SKILLS,
    ("phases",): MAX_PHASES,
    ("phases", "steps"): MAX_STEPS,
    ("phases", "steps", "milestones"): MAX_MILESTONES,
    ("phases", "steps", "resources"): MAX_RESOURCES,
}

# C0 and C1 control characters and lone surrogates break terminals, HTML and PostgreSQL (which
# cannot store NUL). Summaries and descriptions are paragraphs, so they keep line breaks and
# tabs (\r too: browsers send a textarea's line breaks as \r\n, and Publish checks what the
# admin saved); every other field is one line.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_CHARACTER_IN_PARAGRAPH = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class Problem:
    source: str
    path: str
    message: str

    def __str__(self):
        line = f"{self.source}: {self.path or '(top level)'}: {self.message}"
        return _CONTROL_CHARACTER.sub(_escape, line)  # one line, whatever the file held


def _escape(match):
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def too_many(listed):
    """The problem with one item more than COUNTED_LISTS allows under `listed`."""
    things = {
        "skills": _("skills"),
        "phases": _("phases"),
        "steps": _("steps"),
        "milestones": _("milestones"),
        "resources": _("resources"),
    }[listed[-1]]
    return _("a roadmap may have at most %(limit)d %(things)s") % {
        "limit": COUNTED_LISTS[listed],
        "things": things,
    }


class ContentError(Exception):
    """Raised with every problem found; nothing is written when it is raised."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class SkillSpec:
    slug: str
    name: str
    category: str = ""


@dataclass(frozen=True)
class ResourceSpec:
    title: str
    url: str
    kind: str
    free: bool = False


@dataclass(frozen=True)
class MilestoneSpec:
    key: str
    title: str


@dataclass(frozen=True)
class StepSpec:
    key: str
    title: str
    summary: str
    hours: int
    skills: tuple = ()
    requires: tuple = ()
    resources: tuple = ()
    milestones: tuple = ()


@dataclass(frozen=True)
class PhaseSpec:
    key: str
    title: str
    summary: str = ""
    steps: tuple = ()


@dataclass(frozen=True)
class RoadmapSpec:
    slug: str
    title: str
    summary: str
    status: str
    description: str = ""
    skills: tuple = ()
    phases: tuple = field(default_factory=tuple)

    def steps(self):
        return [step for phase in self.phases for step in phase.steps]


def validate(data, source="<data>"):
    """Turn parsed YAML into a RoadmapSpec, or raise ContentError with every problem."""
    checker = _Checker(source)
    checker.counts(data)
    if checker.problems:  # too big to look at item by item
        raise ContentError(checker.problems)
    spec = checker.roadmap(data)
    if checker.problems:
        raise ContentError(checker.problems)
    return spec


class _Checker:
    def __init__(self, source):
        self.source = source
        self.problems = []

    def fail(self, path, message):
        self.problems.append(Problem(self.source, path, message))

    def mapping(self, data, path, required, optional):
        if not isinstance(data, dict):
            self.fail(path, _("must be a mapping of fields"))
            return None
        for name in data:
            if name not in required and name not in optional:
                allowed = ", ".join(sorted([*required, *optional]))
                self.fail(
                    _join(path, str(name)),
                    _("unknown field (allowed: %(allowed)s)") % {"allowed": allowed},
                )
        for name in required:
            if name not in data or data[name] is None:
                self.fail(_join(path, name), _("is required"))
        return data

    def text(self, data, name, path, max_length, required=True, paragraph=False):
        value = data.get(name)
        where = _join(path, name)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(where, _("must be text, not %s") % _type_name(value))
            return ""
        value = value.strip()
        if required and not value:
            self.fail(where, _("must not be empty"))
        refused = _CONTROL_CHARACTER_IN_PARAGRAPH if paragraph else _CONTROL_CHARACTER
        control = refused.search(value)
        if control:
            message = (
                _("contains the control character U+%04X (only line breaks and tabs are allowed)")
                if paragraph
                else _("contains the control character U+%04X (this field is one line of text)")
            )
            self.fail(where, message % ord(control.group()))
        if len(value) > max_length:
            self.fail(
                where,
                _("is %(length)d characters long; the limit is %(limit)d")
                % {"length": len(value), "limit": max_length},
            )
        return value

    def key(self, data, name, path):
        value = self.text(data, name, path, m.KEY_MAX_LENGTH)
        if value and not KEY_PATTERN.match(value):
            self.fail(
                _join(path, name),
                _("“%s” must be lowercase letters, digits and single hyphens") % value,
            )
        return value

    def sequence(self, data, name, path, required=False):
        value = data.get(name)
        where = _join(path, name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, _("must be a list, not %s") % _type_name(value))
            return []
        if required and not value:
            self.fail(where, _("must not be empty"))
        return value

    def key_list(self, data, name, path):
        keys = []
        for index, item in enumerate(self.sequence(data, name, path)):
            where = f"{_join(path, name)}[{index}]"
            if not isinstance(item, str) or not KEY_PATTERN.match(item):
                self.fail(where, _("must be a key such as “linear-algebra”"))
            elif item in keys:
                self.fail(where, _("“%s” is listed twice") % item)
            else:
                keys.append(item)
        return tuple(keys)

    def unique(self, seen, value, where, what):
        if not value:
            return
        if value in seen:
            self.fail(
                where,
                _("duplicate %(what)s “%(value)s” (first used at %(first)s)")
                % {"what": what, "value": value, "first": seen[value]},
            )
        else:
            seen[value] = where

    def counts(self, data, names=(), place="", seen=None):
        """Refuse a roadmap over a count limit, naming the first item past it; return
        whether it was refused (reading.py counts a file's items the same way, by events)."""
        seen = Counter() if seen is None else seen
        if not isinstance(data, dict):
            return False
        for name, value in data.items():
            listed = (*names, name)
            if listed not in COUNTED_LISTS or not isinstance(value, list):
                continue
            for index, item in enumerate(value):
                where = f"{_join(place, name)}[{index}]"
                seen[listed] += 1
                if seen[listed] > COUNTED_LISTS[listed]:
                    self.fail(where, too_many(listed))
                    return True
                if self.counts(item, listed, where, seen):
                    return True
        return False

    def roadmap(self, data):
        data = self.mapping(
            data,
            "",
            required=("slug", "title", "summary", "status", "phases"),
            optional=("description", "skills"),
        )
        if data is None:
            return None
        status = data.get("status")
        if status is not None and status not in STATUSES:
            self.fail("status", _("must be one of: %s") % ", ".join(sorted(STATUSES)))
        skills = tuple(
            self.skill(item, f"skills[{index}]")
            for index, item in enumerate(self.sequence(data, "skills", ""))
        )
        self.check_unique_skills(skills)
        self.step_keys, self.milestone_keys, phase_keys = {}, {}, {}
        phases = []
        for index, item in enumerate(self.sequence(data, "phases", "", required=True)):
            phase = self.phase(item, f"phases[{index}]")
            if phase:
                self.unique(phase_keys, phase.key, f"phases[{index}].key", _("phase key"))
                phases.append(phase)
        spec = RoadmapSpec(
            slug=self.key(data, "slug", ""),
            title=self.text(data, "title", "", m.TITLE_MAX_LENGTH),
            summary=self.text(data, "summary", "", m.ROADMAP_SUMMARY_MAX_LENGTH),
            description=self.text(
                data, "description", "", m.DESCRIPTION_MAX_LENGTH, required=False, paragraph=True
            ),
            status=status if status in STATUSES else m.Roadmap.Status.DRAFT,
            skills=skills,
            phases=tuple(phases),
        )
        self.check_references(spec)
        return spec

    def skill(self, data, path):
        data = self.mapping(data, path, required=("slug", "name"), optional=("category",))
        if data is None:
            return None
        return SkillSpec(
            slug=self.key(data, "slug", path),
            name=self.text(data, "name", path, 100),
            category=self.text(data, "category", path, 100, required=False),
        )

    def check_unique_skills(self, skills):
        seen = {}
        for index, skill in enumerate(skills):
            if skill:
                self.unique(seen, skill.slug, f"skills[{index}].slug", _("skill slug"))

    def phase(self, data, path):
        data = self.mapping(data, path, required=("key", "title", "steps"), optional=("summary",))
        if data is None:
            return None
        steps = []
        for index, item in enumerate(self.sequence(data, "steps", path, required=True)):
            where = f"{path}.steps[{index}]"
            step = self.step(item, where)
            if step:
                self.unique(self.step_keys, step.key, f"{where}.key", _("step key"))
                steps.append(step)
        return PhaseSpec(
            key=self.key(data, "key", path),
            title=self.text(data, "title", path, m.TITLE_MAX_LENGTH),
            summary=self.text(
                data, "summary", path, m.SUMMARY_MAX_LENGTH, required=False, paragraph=True
            ),
            steps=tuple(steps),
        )

    def step(self, data, path):
        data = self.mapping(
            data,
            path,
            required=("key", "title", "summary", "hours", "milestones"),
            optional=("skills", "requires", "resources"),
        )
        if data is None:
            return None
        hours = data.get("hours")
        if hours is not None and (
            isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= m.HOURS_MAX
        ):
            self.fail(f"{path}.hours", _("must be a whole number from 1 to %d") % m.HOURS_MAX)
            hours = None
        resources = tuple(
            self.resource(item, f"{path}.resources[{index}]")
            for index, item in enumerate(self.sequence(data, "resources", path))
        )
        milestones = []
        for index, item in enumerate(self.sequence(data, "milestones", path, required=True)):
            where = f"{path}.milestones[{index}]"
            milestone = self.milestone(item, where)
            if milestone:
                self.unique(self.milestone_keys, milestone.key, f"{where}.key", _("milestone key"))
                milestones.append(milestone)
        return StepSpec(
            key=self.key(data, "key", path),
            title=self.text(data, "title", path, m.TITLE_MAX_LENGTH),
            summary=self.text(data, "summary", path, m.SUMMARY_MAX_LENGTH, paragraph=True),
            hours=hours or 1,
            skills=self.key_list(data, "skills", path),
            requires=self.key_list(data, "requires", path),
            resources=tuple(resource for resource in resources if resource),
            milestones=tuple(milestones),
        )

    def resource(self, data, path):
        data = self.mapping(data, path, required=("title", "url", "kind"), optional=("free",))
        if data is None:
            return None
        url = self.text(data, "url", path, m.URL_MAX_LENGTH)
        if url:
            try:
                _url_validator(url)
            except ValidationError:
                self.fail(f"{path}.url", _("“%s” is not an http or https address") % url)
        kind = data.get("kind")
        if kind is not None and kind not in KINDS:
            self.fail(f"{path}.kind", _("must be one of: %s") % ", ".join(sorted(KINDS)))
        free = data.get("free", False)
        if not isinstance(free, bool):
            self.fail(f"{path}.free", _("must be true or false"))
            free = False
        return ResourceSpec(
            title=self.text(data, "title", path, m.TITLE_MAX_LENGTH),
            url=url,
            kind=kind if kind in KINDS else "",
            free=free,
        )

    def milestone(self, data, path):
        data = self.mapping(data, path, required=("key", "title"), optional=())
        if data is None:
            return None
        return MilestoneSpec(
            key=self.key(data, "key", path),
            title=self.text(data, "title", path, m.MILESTONE_TITLE_MAX_LENGTH),
        )

    def check_references(self, spec):
        declared = {skill.slug for skill in spec.skills if skill}
        used = set()
        requires = {}
        for phase_index, phase in enumerate(spec.phases):
            for step_index, step in enumerate(phase.steps):
                path = f"phases[{phase_index}].steps[{step_index}]"
                for index, slug in enumerate(step.skills):
                    used.add(slug)
                    if slug not in declared:
                        self.fail(
                            f"{path}.skills[{index}]",
                            _("unknown skill “%s”: declare it under skills") % slug,
                        )
                for index, key in enumerate(step.requires):
                    if key == step.key:
                        self.fail(f"{path}.requires[{index}]", _("a step cannot require itself"))
                    elif key not in self.step_keys:
                        self.fail(f"{path}.requires[{index}]", _("unknown step “%s”") % key)
                requires[step.key] = (path, step.requires)
        for index, skill in enumerate(spec.skills):
            if skill and skill.slug and skill.slug not in used:
                self.fail(f"skills[{index}]", _("skill “%s” is not used by any step") % skill.slug)
        cycle = find_cycle({key: deps for key, (_path, deps) in requires.items()})
        if cycle:
            self.fail(
                f"{requires[cycle[0]][0]}.requires",
                _("prerequisites form a cycle: %s") % " → ".join(cycle),
            )


def find_cycle(graph):
    """Return one cycle in a {node: [node, ...]} graph as a list that ends where it starts."""
    state = {}
    for start in graph:
        if state.get(start):
            continue
        stack = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "closed"
                stack.pop()
                path.pop()
            elif state.get(child) == "open" and child != node:
                return [*path[path.index(child) :], child]
            elif child not in state and child in graph:
                state[child] = "open"
                stack.append((child, iter(graph[child])))
                path.append(child)
    return None


def _join(path, name):
    return f"{path}.{name}" if path else name


def _type_name(value):
    return {bool: "true/false", int: "a number", float: "a number", list: "a list"}.get(
        type(value), type(value).__name__
    )
