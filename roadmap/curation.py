"""Publishing roadmaps and telling learners what changed. Plain functions.

A revision is recorded whenever a published roadmap's content changes, through the admin's
Publish action or through `loadroadmap`; both validate with the YAML loader's one schema.
"""

from django.db import transaction
from django.db.models import Max

from roadmap import versions
from roadmap.content.diff import diff_roadmaps
from roadmap.content.exporter import roadmap_to_data
from roadmap.content.schema import validate
from roadmap.kept import Kept
from roadmap.models import Enrollment, Milestone, Phase, Revision, Roadmap, Step
from roadmap.permissions import CURATOR_PERMISSIONS, CURATORS
from roadmap.versions import content_changed, enrollments_changed


def curators_group():
    """The Curators group with its permissions (made by a migration; this restores it)."""
    from django.contrib.auth.models import Group, Permission

    group, __ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="roadmap", codename__in=CURATOR_PERMISSIONS
        )
    )
    return group


def latest_revision_number(roadmap):
    return roadmap.revisions.aggregate(number=Max("number"))["number"] or 0


def renumber(roadmap):
    """Give phases, steps and milestones positions 0, 1, 2... in their current order.

    The admin accepts any position numbers; content files are positional. Renumbering after
    each admin save keeps an exported file and the database identical (export → load writes
    nothing).
    """
    for model, parent in ((Phase, "roadmap_id"), (Step, "phase_id"), (Milestone, "step_id")):
        rows = model.objects.live().filter(roadmap=roadmap).order_by(parent, "position", "id")
        changed, counters = [], {}
        for row in rows.only("id", "position", parent):
            position = counters.get(getattr(row, parent), 0)
            counters[getattr(row, parent)] = position + 1
            if row.position != position:
                row.position = position
                changed.append(row)
        model.objects.bulk_update(changed, ["position"])
        if changed:
            content_changed(roadmap.pk)


def record_revision(roadmap, user=None, source=Revision.Source.ADMIN):
    """Record the roadmap's current content as a new revision if it differs from the last."""
    data = roadmap_to_data(roadmap)
    last = roadmap.revisions.order_by("-number").first()
    changes = diff_roadmaps(last.snapshot if last else None, data)
    if last is not None and not changes:
        return None
    return Revision.objects.create(
        roadmap=roadmap,
        number=(last.number if last else 0) + 1,
        created_by=user,
        source=source,
        changes=changes.as_data(),
        snapshot=data,
    )


@transaction.atomic
def publish(roadmap, user=None):
    """Validate the roadmap as the loader would, publish it and record a revision.

    Raises ContentError, naming the place and the problem, and changes nothing, when the
    content would not load from a file (a step without milestones, a `requires` cycle, ...).
    """
    data = roadmap_to_data(roadmap)
    data["status"] = Roadmap.Status.PUBLISHED
    validate(data, source=roadmap.slug)
    content_changed(roadmap.pk, status=Roadmap.Status.PUBLISHED)
    roadmap.status = Roadmap.Status.PUBLISHED
    return record_revision(roadmap, user, Revision.Source.ADMIN)


def unpublish(roadmap):
    content_changed(roadmap.pk, status=Roadmap.Status.DRAFT)
    roadmap.status = Roadmap.Status.DRAFT


def changes_since_seen(enrollment):
    """(latest revision number, sentences describing what changed since the learner looked).

    The baseline is the revision the learner last saw or dismissed; for an enrolment older
    than that bookkeeping, the latest revision published before they enrolled. Two queries.
    """
    revisions = _revisions(enrollment.roadmap)
    if not revisions or revisions[-1][1] <= enrollment.seen_revision:
        return 0, []
    if enrollment.seen_revision:
        base = next((r for r in reversed(revisions) if r[1] <= enrollment.seen_revision), None)
    else:
        earlier = [r for r in revisions if r[2] <= enrollment.created_at]
        base = earlier[-1] if earlier else revisions[0]
    latest = revisions[-1]
    if base is None or base[0] == latest[0]:
        return latest[1], []
    snapshots = dict(
        Revision.objects.filter(pk__in=[base[0], latest[0]]).values_list("pk", "snapshot")
    )
    lines = diff_roadmaps(snapshots[base[0]], snapshots[latest[0]]).lines()
    return latest[1], lines


_revision_lists = Kept(64)


def _revisions(roadmap):
    """(id, number, creation time) of the roadmap's revisions, oldest first. Each process keeps
    the lists it read per content version: a new revision raises it (roadmap/versions.py), so
    a kept list is never short of one, and a page after a learner's change reads none."""
    key = versions.content_key(roadmap)
    return _revision_lists.through(
        key,
        lambda: tuple(
            Revision.objects.filter(roadmap_id=roadmap.pk)
            .order_by("number")
            .values_list("pk", "number", "created_at")
        ),
    )


def mark_seen(enrollment, number):
    """Dismiss the change notice up to revision `number` (never backwards)."""
    behind = Enrollment.objects.filter(pk=enrollment.pk, seen_revision__lt=number)
    enrollments_changed(behind, seen_revision=number)
