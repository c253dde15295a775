"""Copies of curated roadmaps: make one (the learner's progress moves onto it), and keep it in
step with its original, one change at a time and only by the owner's choice.

A copy is an own roadmap (roadmap/ownership.py) with `origin` and `origin_revision`, the
original's revision it is in step with. What the original changed since is the diff of that
revision's snapshot and the latest one (roadmap/content/diff.py), less the changes the owner
applied or dismissed (`Roadmap.settled_changes`). When nothing is left, `origin_revision`
moves to the latest and the settled list empties. Every write of the copy goes through the
loader (data dict -> validate -> check_limits -> write_roadmap), and every change to the
copy's bookkeeping raises its content version (roadmap/versions.py), so its cached pages,
whose key also holds the original's latest revision number, show the notice in time.
"""

import copy as copying
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _

from roadmap import learning
from roadmap.content.diff import KINDS, RoadmapDiff, diff_roadmaps
from roadmap.content.exporter import roadmap_to_data
from roadmap.content.loader import write_roadmap
from roadmap.content.schema import ContentError, validate
from roadmap.curation import latest_revision_number
from roadmap.models import (
    KEY_MAX_LENGTH,
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Phase,
    Revision,
    Roadmap,
    Step,
    StepNote,
    StepSkip,
)
from roadmap.ownership import (
    check_limits,
    create_own_roadmap,
    free_key,
    room_for_another,
    too_many_message,
    wait_before_new_roadmap,
)
from roadmap.versions import content_changed, learner_changed


class Refused(Exception):
    """A copy or a change the owner asked for that cannot be made; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def problems_message(error):
    return " ".join(f"{problem.path}: {problem.message}" for problem in error.problems)


def copy_of(owner, original):
    """The owner's copy of this original, or None."""
    return Roadmap.objects.owned_by(owner).filter(origin=original).first()


def make_copy(owner, original):
    """The owner's own copy of a published curated roadmap; returns (copy, created).

    One copy per original and owner (a database constraint): a second request, from a double
    click or another tab, finds the first copy and returns it. If the owner is enrolled in the
    original, their progress moves to the copy and they leave the original, all in one
    transaction. Raises Refused (nothing written) over the limits or the throttle.
    """
    existing = copy_of(owner, original)
    if existing is not None:
        return existing, False
    if not room_for_another(owner):
        raise Refused(too_many_message())
    data = roadmap_to_data(original)
    data["slug"] = free_key(owner, original.key)
    try:
        spec = validate(data, source=original.slug)
        check_limits(spec)
    except ContentError as error:
        raise Refused(_("This roadmap cannot be copied: %s") % problems_message(error)) from None
    wait = wait_before_new_roadmap(owner)
    if wait:
        message = _("You made many roadmaps this hour. Please try again in %(minutes)d minutes.")
        raise Refused(message % {"minutes": max(1, wait // 60)})
    try:
        with transaction.atomic():
            made = create_own_roadmap(
                owner,
                spec,
                origin=original,
                origin_revision=latest_revision_number(original),
            )
            _move_progress(owner, original, made)
    except IntegrityError:
        existing = copy_of(owner, original)
        if existing is None:
            raise
        return existing, False
    return made, True


def _key_map(model, original, made):
    """{id in the original: id in the copy} for the rows of `model` whose key both have."""
    rows = model.objects.filter(roadmap__in=[original.pk, made.pk]).values_list(
        "roadmap_id", "key", "pk"
    )
    old, new = {}, {}
    for roadmap_id, key, pk in rows:
        (new if roadmap_id == made.pk else old)[key] = pk
    return {pk: new[key] for key, pk in old.items() if key in new}


def _switch(field, mapping):
    """An expression giving each row's `field` its id in the copy (unchanged when unmapped)."""
    whens = [When(**{field: old}, then=Value(new)) for old, new in mapping.items()]
    return Case(*whens, default=F(field), output_field=models.BigIntegerField())


def _move_progress(owner, original, made):
    """Move the owner's progress, skips, notes, links and activity on the original onto the
    copy's same-keyed milestones, steps and phases, then leave the original.

    Each kind moves in one UPDATE, whatever the roadmap's size. Rows on content the original
    archived (not in the copy) stay with the original enrolment, which is left, not erased:
    enrolling in the original again brings them back. Activity entries are moved, not
    rewritten: their times and kinds stay, so streaks and the heatmap carry on.
    """
    old = Enrollment.objects.current().filter(user=owner, roadmap=original).first()
    if old is None:
        return
    new = Enrollment.objects.get(user=owner, roadmap=made)
    milestones = _key_map(Milestone, original, made)
    steps = _key_map(Step, original, made)
    phases = _key_map(Phase, original, made)
    learning.lock(old)
    MilestoneProgress.objects.filter(enrollment=old, milestone_id__in=milestones).update(
        enrollment=new, milestone=_switch("milestone_id", milestones)
    )
    for model in (StepSkip, StepNote, PersonalLink):
        model.objects.filter(enrollment=old, step_id__in=steps).update(
            enrollment=new, step=_switch("step_id", steps)
        )
    Activity.objects.filter(enrollment=old).filter(
        Q(milestone__isnull=True) | Q(milestone_id__in=milestones),
        Q(step__isnull=True) | Q(step_id__in=steps),
        Q(phase__isnull=True) | Q(phase_id__in=phases),
    ).update(
        enrollment=new,
        milestone=_switch("milestone_id", milestones),
        step=_switch("step_id", steps),
        phase=_switch("phase_id", phases),
    )
    learner_changed(
        new.pk,
        status=old.status,
        target_date=old.target_date,
        weekly_hours=old.weekly_hours,
        created_at=old.created_at,
    )
    learning.leave(old, erase=False)


# Keeping a copy in step with its original.

READY, ALREADY, BLOCKED = "ready", "already", "blocked"
WHATS = ("phase", "step", "milestone")


@dataclass(frozen=True)
class PendingChange:
    """One change to the original the owner has not yet applied or dismissed."""

    what: str
    kind: str
    key: str
    title: str
    phase: str
    line: str  # the "what changed" sentence for this one change
    state: str = READY  # READY to apply, ALREADY so in the copy, or BLOCKED (see reason)
    reason: str = ""
    # The same kind of change to what it holds (the steps of an added phase, the milestones of
    # a removed step...), as Changes: listed with it, settled with it.
    parts: tuple = ()

    @property
    def ident(self):
        return f"{self.what}-{self.kind}-{self.key}"


@dataclass(frozen=True)
class CopyChanges:
    """What the original changed since the copy's revision, for the changes page and notice."""

    roadmap: Roadmap
    latest: int  # the original's latest revision number
    changes: list  # of PendingChange
    new: dict | None  # the latest snapshot, to apply from


def _is_settled(settled, change):
    for item in settled:
        if item[:3] != [change.what, change.kind, change.key]:
            continue
        if change.kind != "renamed" or item[3:4] == [change.title]:
            return True
    return False


def _revisions(roadmap):
    """(latest number, latest snapshot, base snapshot) of the copy's original, two queries.

    The base is the revision the copy is in step with; a copy made before the original had
    any revision takes the first one as its base (what that revision changed is not offered).
    """
    latest = (
        Revision.objects.filter(roadmap_id=roadmap.origin_id)
        .order_by("-number")
        .values_list("number", "snapshot")
        .first()
    )
    since = roadmap.origin_revision or 0
    if latest is None or latest[0] <= since:
        return (latest[0] if latest else 0), None, None
    base = (
        Revision.objects.filter(roadmap_id=roadmap.origin_id, number__gte=since)
        .order_by("number")
        .values_list("snapshot", flat=True)
        .first()
    )
    return latest[0], latest[1], base


def pending_changes(roadmap, with_states=False):
    """The original's changes since the copy's revision, less those settled. With states, each
    says whether it can apply to the copy as it is now (one export of the copy more)."""
    latest, new, base = _revisions(roadmap)
    if new is None:
        return CopyChanges(roadmap, latest, [], None)
    changes = [
        change
        for change in diff_roadmaps(base, new).changes
        if not _is_settled(roadmap.settled_changes, change)
    ]
    parts = _parts(changes, _Index(base or {}), _Index(new))
    mine = roadmap_to_data(roadmap) if with_states and changes else None
    result = []
    for change in changes:
        if (change.what, change.kind, change.key) in parts["inside"]:
            continue
        line = diff_roadmaps_line(change)
        state, reason = _state(change, mine, new) if mine is not None else (READY, "")
        result.append(
            PendingChange(
                **change.__dict__,
                line=line,
                state=state,
                reason=reason,
                parts=tuple(parts.get((change.what, change.kind, change.key), ())),
            )
        )
    return CopyChanges(roadmap, latest, result, new)


def _parts(changes, base, new):
    """Which added or removed steps and milestones belong to an added or removed phase or step:
    {(what, kind, key): [Change, ...]} for each outermost one, and "inside": the rest."""
    named = {(c.what, c.kind, c.key): c for c in changes if c.kind in ("added", "removed")}
    owner = {}  # (what, kind, key) -> the outermost change holding it
    for what, parent_of in (("step", _step_phase), ("milestone", _milestone_step)):
        for kind_what, kind, key in named:
            if kind_what != what:
                continue
            parent_what, parent_key = parent_of(new if kind == "added" else base, key)
            outer = (parent_what, kind, parent_key)
            if outer in named:
                owner[(what, kind, key)] = owner.get(outer, outer)
    found = {"inside": set(owner)}
    for inner, outer in owner.items():
        found.setdefault(outer, []).append(named[inner])
    return found


def _step_phase(index, key):
    return ("phase", index.steps[key][1]["key"])


def _milestone_step(index, key):
    return ("step", index.milestones[key][1]["key"])


def diff_roadmaps_line(change):
    """The existing "what changed" sentence for one change (roadmap/content/diff.py)."""
    return RoadmapDiff([change]).lines()[0]


def notice_count(roadmap):
    """How many changes of the original wait for the owner of this copy (0 if not a copy)."""
    if roadmap.origin_id is None:
        return 0
    return len(pending_changes(roadmap).changes)


class _Index:
    """Where each phase, step and milestone sits in a roadmap's data dict."""

    def __init__(self, data):
        self.phases, self.steps, self.milestones = {}, {}, {}
        for phase in data.get("phases", []):
            self.phases[phase["key"]] = phase
            for step in phase["steps"]:
                self.steps[step["key"]] = (step, phase)
                for milestone in step["milestones"]:
                    self.milestones[milestone["key"]] = (milestone, step, phase)

    def find(self, what, key):
        found = {"phase": self.phases, "step": self.steps, "milestone": self.milestones}[what]
        item = found.get(key)
        return item[0] if isinstance(item, tuple) else item


def _state(change, mine, new):
    """(state, reason) of one change against the copy's data `mine` and the latest `new`."""
    here, there = _Index(mine), _Index(new)
    item = here.find(change.what, change.key)
    if change.kind == "added":
        if item is not None:
            return ALREADY, _("Already in your copy.")
        if change.what == "step":
            phase = there.steps[change.key][1]
            if phase["key"] not in here.phases:
                return BLOCKED, _("Its phase “%s” is not in your copy.") % phase["title"]
        if change.what == "milestone":
            step = there.milestones[change.key][1]
            if step["key"] not in here.steps:
                return BLOCKED, _("Its step “%s” is not in your copy.") % step["title"]
        return READY, ""
    if item is None:
        if change.kind == "removed":
            return ALREADY, _("Not in your copy either.")
        return BLOCKED, _("It is not in your copy.")
    if change.kind == "renamed" and item["title"] == change.title:
        return ALREADY, _("Your copy already calls it that.")
    if change.kind == "moved":
        if change.what == "step":
            target = there.steps[change.key][1]
            if target["key"] not in here.phases:
                return BLOCKED, _("Its new phase “%s” is not in your copy.") % target["title"]
            if here.steps[change.key][1]["key"] == target["key"]:
                return ALREADY, _("Already there in your copy.")
        else:
            target = there.milestones[change.key][1]
            if target["key"] not in here.steps:
                return BLOCKED, _("Its new step “%s” is not in your copy.") % target["title"]
            if here.milestones[change.key][1]["key"] == target["key"]:
                return ALREADY, _("Already there in your copy.")
    return READY, ""


def _insert_after(items, item, previous_key):
    """Insert `item` after the one keyed `previous_key` (at the start when None), or at the end
    when that one is not in `items`."""
    if previous_key is None:
        items.insert(0, item)
        return
    for index, other in enumerate(items):
        if other["key"] == previous_key:
            items.insert(index + 1, item)
            return
    items.append(item)


def _previous_key(items, key):
    keys = [item["key"] for item in items]
    index = keys.index(key)
    return keys[index - 1] if index else None


def _fit_step(step, here, coming=()):
    """A step from the original, made to fit the copy: milestones the copy has elsewhere and
    prerequisites it lacks (other than the steps `coming` with it) are left out."""
    step = copying.deepcopy(step)
    step["milestones"] = [m for m in step["milestones"] if m["key"] not in here.milestones]
    known = set(here.steps) | set(coming)
    step["requires"] = [key for key in step.get("requires", []) if key in known]
    return step


def _apply_to_data(change, mine, new):
    """Change the copy's data dict `mine` as the original's `change` did in `new`."""
    here, there = _Index(mine), _Index(new)
    if change.kind == "added" and change.what == "phase":
        phase = copying.deepcopy(there.phases[change.key])
        coming = [step["key"] for step in phase["steps"] if step["key"] not in here.steps]
        phase["steps"] = [
            _fit_step(step, here, coming) for step in phase["steps"] if step["key"] in coming
        ]
        phase["steps"] = [step for step in phase["steps"] if step["milestones"]]
        if not phase["steps"]:
            raise Refused(_("Every step of this phase is already in your copy."))
        _insert_after(mine["phases"], phase, _previous_key(new["phases"], change.key))
    elif change.kind == "added" and change.what == "step":
        step, phase = there.steps[change.key]
        fitted = _fit_step(step, here)
        if not fitted["milestones"]:
            raise Refused(_("Every milestone of this step is already in your copy."))
        target = here.phases[phase["key"]]["steps"]
        _insert_after(target, fitted, _previous_key(phase["steps"], change.key))
    elif change.kind == "added":
        milestone, step, __ = there.milestones[change.key]
        target = here.steps[step["key"]][0]["milestones"]
        _insert_after(
            target, copying.deepcopy(milestone), _previous_key(step["milestones"], change.key)
        )
    elif change.kind == "removed":
        _remove(change, mine, here)
    elif change.kind == "renamed":
        here.find(change.what, change.key)["title"] = change.title
    elif change.what == "step":  # moved
        step, old_phase = here.steps[change.key]
        old_phase["steps"].remove(step)
        phase = there.steps[change.key][1]
        _insert_after(
            here.phases[phase["key"]]["steps"], step, _previous_key(phase["steps"], change.key)
        )
    else:  # a milestone moved
        milestone, old_step, __ = here.milestones[change.key]
        old_step["milestones"].remove(milestone)
        step = there.milestones[change.key][1]
        _insert_after(
            here.steps[step["key"]][0]["milestones"],
            milestone,
            _previous_key(step["milestones"], change.key),
        )
    _declare_skills(mine, new)


def _remove(change, mine, here):
    if change.what == "phase":
        phase = here.phases[change.key]
        mine["phases"].remove(phase)
        gone = {step["key"] for step in phase["steps"]}
    elif change.what == "step":
        step, phase = here.steps[change.key]
        phase["steps"].remove(step)
        gone = {change.key}
    else:
        milestone, step, __ = here.milestones[change.key]
        step["milestones"].remove(milestone)
        gone = set()
    for phase in mine["phases"]:
        for step in phase["steps"]:
            step["requires"] = [key for key in step.get("requires", []) if key not in gone]


def _declare_skills(mine, new):
    """Declare exactly the skills the copy's steps use, from the copy's list or the original's."""
    known = {skill["slug"]: skill for skill in new.get("skills", [])}
    known.update({skill["slug"]: skill for skill in mine.get("skills", [])})
    steps = [step for phase in mine["phases"] for step in phase["steps"]]
    used = {slug for step in steps for slug in step.get("skills", [])}
    mine["skills"] = [known[slug] for slug in sorted(used) if slug in known]


def _find(changes, what, kind, key):
    for change in changes.changes:
        if (change.what, change.kind, change.key) == (what, kind, key):
            return change
    raise Refused(_("That change is no longer waiting: it was applied or dismissed already."))


class Gone(Exception):
    """The copy was deleted (in another tab) after the view found it."""


def _locked(roadmap):
    """The copy's row again, locked until commit (two tabs settle one change once)."""
    locked = Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
    if locked is None:
        raise Gone
    return locked


@transaction.atomic
def apply_change(roadmap, what, kind, key):
    """Apply one of the original's pending changes to the copy; returns the PendingChange.

    Raises Refused, changing nothing, when it no longer waits, cannot apply to the copy as it
    is (the owner may dismiss it), or would leave the copy invalid or over its limits.
    """
    roadmap = _locked(roadmap)
    changes = pending_changes(roadmap, with_states=True)
    change = _find(changes, what, kind, key)
    if change.state == BLOCKED:
        raise Refused(change.reason + " " + _("You can dismiss this change."))
    if change.state == READY:
        mine = roadmap_to_data(roadmap)
        _apply_to_data(change, mine, changes.new)
        try:
            spec = validate(mine, source=roadmap.key)
            check_limits(spec)
        except ContentError as error:
            message = _("This change cannot apply to your copy: %s") % problems_message(error)
            raise Refused(message) from None
        write_roadmap(spec, owner=roadmap.owner, roadmap=roadmap)
    _settle(roadmap, changes, change)
    return change


@transaction.atomic
def dismiss_change(roadmap, what, kind, key):
    """Leave one of the original's changes out of the copy for good; returns it."""
    roadmap = _locked(roadmap)
    changes = pending_changes(roadmap)
    change = _find(changes, what, kind, key)
    _settle(roadmap, changes, change)
    return change


def _settle(roadmap, changes, change):
    """Mark a change settled; when none is left, the copy is in step with the latest revision."""
    entries = [[c.what, c.kind, c.key, c.title] for c in (change, *change.parts)]
    left = [other for other in changes.changes if other.ident != change.ident]
    if left:
        content_changed(roadmap.pk, settled_changes=[*roadmap.settled_changes, *entries])
    else:
        content_changed(roadmap.pk, settled_changes=[], origin_revision=changes.latest)


def change_from(data):
    """(what, kind, key) a form names, or None when it names no possible change."""
    what, kind, key = (data.get(name, "") for name in ("what", "kind", "key"))
    if what not in WHATS or kind not in KINDS or not key or len(key) > KEY_MAX_LENGTH:
        return None
    return what, kind, key
