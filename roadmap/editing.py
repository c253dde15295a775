"""Edits of a learner's own roadmap, each one change to the roadmap's YAML-shaped data.

Every edit reads the roadmap as the exporter writes it (`roadmap_to_data`), changes that
dict, validates it with the loader's schema and the own roadmaps' limits, and writes it with
the loader, inside one transaction that locks the roadmap row: two tabs' edits queue, each
applied to what the other left, and a bad edit writes nothing (ContentError, the loader's
messages). Keys of new content come from titles and never reuse a key the roadmap has had,
archived ones included, so a new step does not inherit an old step's history.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from roadmap.content import ContentError, validate, write_roadmap
from roadmap.content.exporter import roadmap_to_data
from roadmap.models import KEY_MAX_LENGTH, Milestone, Phase, Roadmap, Step
from roadmap.ownership import check_limits, create_with_free_key

SOURCE = "<editor>"
NEW_STEP_HOURS = 1


class Stale(Exception):
    """The form named content the roadmap no longer has (another tab removed it)."""


def starter_data(key, title, summary):
    """The smallest valid roadmap: one phase, one step, one milestone, to edit from."""
    return {
        "slug": key,
        "title": title,
        "summary": summary or _("A roadmap of my own."),
        "status": Roadmap.Status.DRAFT,
        "skills": [],
        "phases": [
            {
                "key": "phase-1",
                "title": _("Phase 1"),
                "steps": [
                    _new_step(
                        "first-step",
                        _("First step"),
                        NEW_STEP_HOURS,
                        "first-milestone",
                        _("First milestone"),
                    )
                ],
            }
        ],
    }


def create_roadmap(owner, title, summary):
    """A new own roadmap from a title and an optional summary; ContentError when they are bad.
    The caller checks `room_for_another` and the throttle first."""
    key = derive_key(title, "roadmap")
    return create_with_free_key(owner, validate(starter_data(key, title, summary), SOURCE))


def derive_key(title, fallback):
    """A key in the loader's pattern from a title: "Rust & Tokio!" -> "rust-tokio"."""
    key = re.sub(r"[^a-z0-9]+", "-", slugify(title).lower()).strip("-")
    return key[: KEY_MAX_LENGTH - 8].strip("-") or fallback


class Keys:
    """Keys the roadmap has ever used, by kind; `new` hands out the next free one."""

    def __init__(self, roadmap):
        self.taken = {
            "phase": set(Phase.objects.filter(roadmap=roadmap).values_list("key", flat=True)),
            "step": set(Step.objects.filter(roadmap=roadmap).values_list("key", flat=True)),
            "milestone": set(
                Milestone.objects.filter(roadmap=roadmap).values_list("key", flat=True)
            ),
        }

    def new(self, kind, title, data):
        taken = self.taken[kind] | _keys_in(data, kind)
        key = base = derive_key(title, kind)
        number = 2
        while key in taken:
            key = f"{base}-{number}"
            number += 1
        self.taken[kind].add(key)
        return key


def _keys_in(data, kind):
    phases = data["phases"]
    if kind == "phase":
        return {phase["key"] for phase in phases}
    steps = [step for phase in phases for step in phase["steps"]]
    if kind == "step":
        return {step["key"] for step in steps}
    return {milestone["key"] for step in steps for milestone in step["milestones"]}


def apply(roadmap, change):
    """Apply `change(data, keys)` to the roadmap under a row lock and write it; returns what
    `change` returned. Raises ContentError (nothing written) or Stale."""
    with transaction.atomic():
        locked = Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
        if locked is None:  # deleted in another tab a moment ago
            raise Stale
        data = roadmap_to_data(locked)
        result = change(data, Keys(locked))
        _prune_skills(data)
        try:
            spec = validate(data, SOURCE)
            check_limits(spec, SOURCE)
        except ContentError as error:
            error.data = data  # the refused roadmap, to name the places of its problems
            raise
        write_roadmap(spec, owner=locked.owner, roadmap=locked)
    roadmap.refresh_from_db()
    return result


def _prune_skills(data):
    """Skills no step names any more leave the roadmap (the schema refuses unused skills)."""
    used = {slug for phase in data["phases"] for step in phase["steps"] for slug in step["skills"]}
    data["skills"] = [skill for skill in data["skills"] if skill["slug"] in used]


def _new_step(key, title, hours, milestone_key, milestone_title=None):
    return {
        "key": key,
        "title": title,
        "summary": _("No summary yet."),
        "hours": hours,
        "skills": [],
        "requires": [],
        "resources": [],
        "milestones": [{"key": milestone_key, "title": milestone_title or title}],
    }


def _phase(data, key):
    for index, phase in enumerate(data["phases"]):
        if phase["key"] == key:
            return index, phase
    raise Stale


def _step(data, key):
    """(phase, index in the phase, step) of the step with this key."""
    for phase in data["phases"]:
        for index, step in enumerate(phase["steps"]):
            if step["key"] == key:
                return phase, index, step
    raise Stale


def _milestone(step, key):
    for index, milestone in enumerate(step["milestones"]):
        if milestone["key"] == key:
            return index, milestone
    raise Stale


def _move(items, index, offset):
    """Swap an item with its neighbour; nothing at either end."""
    other = index + offset
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def _repeat(items, title, fresh):
    """Whether an add is a second submit of the same form: the form was made before the last
    change (`fresh` False) and the list already ends with that title."""
    return not fresh and bool(items) and items[-1]["title"] == title


def _hours(value):
    """Whole hours from a form, or the text as typed so the schema names the problem."""
    try:
        return int(str(value).strip())
    except ValueError:
        return value


# The roadmap


def set_details(title, summary, description):
    def change(data, keys):
        data["title"], data["summary"], data["description"] = title, summary, description

    return change


# Phases


def add_phase(title, fresh=True):
    def change(data, keys):
        if _repeat(data["phases"], title.strip(), fresh):
            return data["phases"][-1]["key"]
        key = keys.new("phase", title, data)
        step_key = keys.new("step", _("First step"), data)
        milestone_key = keys.new("milestone", _("First milestone"), data)
        step = _new_step(
            step_key, _("First step"), NEW_STEP_HOURS, milestone_key, _("First milestone")
        )
        data["phases"].append({"key": key, "title": title, "steps": [step]})
        return key

    return change


def edit_phase(key, title, summary):
    def change(data, keys):
        _index, phase = _phase(data, key)
        phase["title"], phase["summary"] = title, summary

    return change


def move_phase(key, offset):
    def change(data, keys):
        index, _phase_data = _phase(data, key)
        _move(data["phases"], index, offset)

    return change


def remove_phase(key):
    def change(data, keys):
        index, phase = _phase(data, key)
        gone = {step["key"] for step in phase["steps"]}
        del data["phases"][index]
        _forget_steps(data, gone)

    return change


# Steps


def add_step(phase_key, title, hours, fresh=True):
    def change(data, keys):
        _index, phase = _phase(data, phase_key)
        if _repeat(phase["steps"], title.strip(), fresh):
            return phase["steps"][-1]["key"]
        key = keys.new("step", title, data)
        milestone_key = keys.new("milestone", title, data)
        phase["steps"].append(_new_step(key, title, _hours(hours), milestone_key))
        return key

    return change


def edit_step(key, title, summary, hours):
    def change(data, keys):
        _phase_data, _index, step = _step(data, key)
        step["title"], step["summary"], step["hours"] = title, summary, _hours(hours)

    return change


def move_step(key, offset):
    """Up or down within its phase; past the phase's end, into the neighbouring phase."""

    def change(data, keys):
        phase, index, step = _step(data, key)
        steps = phase["steps"]
        if 0 <= index + offset < len(steps):
            _move(steps, index, offset)
            return
        neighbour = data["phases"].index(phase) + offset
        if 0 <= neighbour < len(data["phases"]):
            del steps[index]
            target = data["phases"][neighbour]["steps"]
            target.insert(len(target) if offset < 0 else 0, step)

    return change


def remove_step(key):
    def change(data, keys):
        phase, index, _step_data = _step(data, key)
        del phase["steps"][index]
        _forget_steps(data, {key})

    return change


def _forget_steps(data, gone):
    for phase in data["phases"]:
        for step in phase["steps"]:
            step["requires"] = [key for key in step["requires"] if key not in gone]


def set_requires(key, required):
    def change(data, keys):
        _phase_data, _index, step = _step(data, key)
        step["requires"] = list(dict.fromkeys(required))

    return change


def set_step_skills(key, slugs, new_name="", new_category=""):
    """Which declared skills the step teaches, plus a new one by name (its slug from the name,
    or the declared skill of that slug)."""

    def change(data, keys):
        _phase_data, _index, step = _step(data, key)
        chosen = list(dict.fromkeys(slugs))
        if new_name.strip():
            slug = derive_key(new_name, "skill")
            if slug not in {skill["slug"] for skill in data["skills"]}:
                skill = {"slug": slug, "name": new_name}
                if new_category.strip():
                    skill["category"] = new_category
                data["skills"].append(skill)
            if slug not in chosen:
                chosen.append(slug)
        step["skills"] = chosen

    return change


# Milestones


def add_milestone(step_key, title, fresh=True):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        if _repeat(step["milestones"], title.strip(), fresh):
            return step["milestones"][-1]["key"]
        key = keys.new("milestone", title, data)
        step["milestones"].append({"key": key, "title": title})
        return key

    return change


def edit_milestone(step_key, key, title):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        _milestone(step, key)[1]["title"] = title

    return change


def move_milestone(step_key, key, offset):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        _move(step["milestones"], _milestone(step, key)[0], offset)

    return change


def remove_milestone(step_key, key):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        del step["milestones"][_milestone(step, key)[0]]

    return change


# Resources (they have no key: a form names one by its place and its address, so a form made
# before another tab moved or removed resources cannot change the wrong one)


@dataclass(frozen=True)
class ResourceFields:
    title: str
    url: str
    kind: str
    free: bool

    def as_data(self):
        return {"title": self.title, "url": self.url, "kind": self.kind, "free": self.free}


def _resource(step, index, url):
    resources = step["resources"]
    if not 0 <= index < len(resources) or resources[index]["url"] != url:
        raise Stale
    return resources


def add_resource(step_key, fields, fresh=True):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        if _repeat(step["resources"], fields.title.strip(), fresh):
            return
        step["resources"].append(fields.as_data())

    return change


def edit_resource(step_key, index, url, fields):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        _resource(step, index, url)[index] = fields.as_data()

    return change


def move_resource(step_key, index, url, offset):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        _move(_resource(step, index, url), index, offset)

    return change


def remove_resource(step_key, index, url):
    def change(data, keys):
        _phase_data, _index, step = _step(data, step_key)
        del _resource(step, index, url)[index]

    return change


# Skills


def _skill(data, slug):
    for skill in data["skills"]:
        if skill["slug"] == slug:
            return skill
    raise Stale


def edit_skill(slug, name, category):
    def change(data, keys):
        skill = _skill(data, slug)
        skill["name"] = name
        if category.strip():
            skill["category"] = category
        else:
            skill.pop("category", None)

    return change


def remove_skill(slug):
    """The skill leaves every step that teaches it, and the roadmap."""

    def change(data, keys):
        _skill(data, slug)
        for phase in data["phases"]:
            for step in phase["steps"]:
                step["skills"] = [name for name in step["skills"] if name != slug]

    return change
