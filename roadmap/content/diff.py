"""What changed between two versions of a roadmap, compared by key (plain data in, plain data out).

Both sides are in the exported shape (`roadmap_to_data`), so a publish in the admin and a
`loadroadmap` of an updated file describe their changes the same way.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KINDS = ("added", "removed", "renamed", "moved")


@dataclass
class Change:
    what: str  # "phase", "step" or "milestone"
    kind: str  # one of KINDS
    key: str
    title: str
    phase: str  # the title of the phase it is in now (or was in, when removed)


@dataclass
class RoadmapDiff:
    changes: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.changes)

    def counts(self):
        return Counter((change.what, change.kind) for change in self.changes)

    def lines(self):
        """Short sentences for learners, one per kind of change and phase, in roadmap order."""
        grouped = Counter((c.what, c.kind, c.phase) for c in self.changes if c.what != "phase")
        lines = [_describe_phase(c) for c in self.changes if c.what == "phase"]
        for (what, kind, phase), count in grouped.items():
            lines.append(_describe(what, kind, count, phase))
        return lines

    def as_data(self):
        return [change.__dict__ for change in self.changes]


def _index(data):
    phases, steps, milestones = {}, {}, {}
    for phase in data.get("phases", []):
        phases[phase["key"]] = phase
        for step in phase.get("steps", []):
            steps[step["key"]] = (step, phase)
            for milestone in step.get("milestones", []):
                milestones[milestone["key"]] = (milestone, step, phase)
    return phases, steps, milestones


def diff_roadmaps(old, new):
    """Phases, steps and milestones added, removed, renamed or moved from old to new."""
    old_phases, old_steps, old_milestones = _index(old or {})
    new_phases, new_steps, new_milestones = _index(new)
    changes = []

    for key, phase in new_phases.items():
        if key not in old_phases:
            changes.append(Change("phase", "added", key, phase["title"], phase["title"]))
        elif old_phases[key]["title"] != phase["title"]:
            changes.append(Change("phase", "renamed", key, phase["title"], phase["title"]))
    for key, phase in old_phases.items():
        if key not in new_phases:
            changes.append(Change("phase", "removed", key, phase["title"], phase["title"]))

    for key, (step, phase) in new_steps.items():
        if key not in old_steps:
            changes.append(Change("step", "added", key, step["title"], phase["title"]))
            continue
        old_step, old_phase = old_steps[key]
        if old_step["title"] != step["title"]:
            changes.append(Change("step", "renamed", key, step["title"], phase["title"]))
        if old_phase["key"] != phase["key"]:
            changes.append(Change("step", "moved", key, step["title"], phase["title"]))
    for key, (step, phase) in old_steps.items():
        if key not in new_steps:
            changes.append(Change("step", "removed", key, step["title"], phase["title"]))

    for key, (milestone, step, phase) in new_milestones.items():
        if key not in old_milestones:
            changes.append(Change("milestone", "added", key, milestone["title"], phase["title"]))
            continue
        old_milestone, old_step, __ = old_milestones[key]
        if old_milestone["title"] != milestone["title"]:
            changes.append(Change("milestone", "renamed", key, milestone["title"], phase["title"]))
        if old_step["key"] != step["key"]:
            changes.append(Change("milestone", "moved", key, milestone["title"], phase["title"]))
    for key, (milestone, __, phase) in old_milestones.items():
        if key not in new_milestones:
            changes.append(Change("milestone", "removed", key, milestone["title"], phase["title"]))
    return RoadmapDiff(changes)


def _describe_phase(change):
    messages = {
        "added": _("New phase: %(title)s"),
        "removed": _("Phase removed: %(title)s"),
        "renamed": _("Phase renamed to %(title)s"),
    }
    return messages[change.kind] % {"title": change.title}


# One sentence per kind of change, looked up by (what, kind) and translated only when used.
# Each entry calls ngettext with literal strings so that makemessages finds them.
_SENTENCES = {
    ("step", "added"): lambda count: ngettext(
        "%(count)d step added in %(phase)s", "%(count)d steps added in %(phase)s", count
    ),
    ("step", "removed"): lambda count: ngettext(
        "%(count)d step removed from %(phase)s", "%(count)d steps removed from %(phase)s", count
    ),
    ("step", "renamed"): lambda count: ngettext(
        "%(count)d step renamed in %(phase)s", "%(count)d steps renamed in %(phase)s", count
    ),
    ("step", "moved"): lambda count: ngettext(
        "%(count)d step moved to %(phase)s", "%(count)d steps moved to %(phase)s", count
    ),
    ("milestone", "added"): lambda count: ngettext(
        "%(count)d milestone added in %(phase)s",
        "%(count)d milestones added in %(phase)s",
        count,
    ),
    ("milestone", "removed"): lambda count: ngettext(
        "%(count)d milestone removed from %(phase)s",
        "%(count)d milestones removed from %(phase)s",
        count,
    ),
    ("milestone", "renamed"): lambda count: ngettext(
        "%(count)d milestone reworded in %(phase)s",
        "%(count)d milestones reworded in %(phase)s",
        count,
    ),
    ("milestone", "moved"): lambda count: ngettext(
        "%(count)d milestone moved to another step in %(phase)s",
        "%(count)d milestones moved to another step in %(phase)s",
        count,
    ),
}


def _describe(what, kind, count, phase):
    return _SENTENCES[what, kind](count) % {"count": count, "phase": phase}
