"""What a learner does to an enrolment: enrol, tick, skip, reset, pause. Plain functions.

Every change writes its activity-log entry in the same transaction, and every write says the
state it wants (done or not done), so a double click or a second tab changes nothing twice.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from roadmap.models import (
    LINKS_PER_STEP,
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Phase,
    Step,
    StepNote,
    StepSkip,
)
from roadmap.pages import learner_marks
from roadmap.versions import enrollments_changed, learner_changed
from sharing import links as sharing_links


def lock(enrollment):
    """Serialise one learner's concurrent writes on an enrolment (two tabs, double clicks).

    Call inside a transaction: raising the enrolment's version (which keys its cached pages,
    roadmap/versions.py) locks its row until commit on PostgreSQL; SQLite's IMMEDIATE
    transactions already take the database write lock at BEGIN.
    """
    learner_changed(enrollment.pk)


def enrol(user, roadmap, target_date=None, weekly_hours=None):
    """Enrol the user, or return their existing enrolment; returns (enrollment, created)."""
    defaults = {"target_date": target_date, "weekly_hours": weekly_hours}
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, roadmap=roadmap, defaults=defaults
            )
    except IntegrityError:  # the other tab won the race
        enrollment, created = Enrollment.objects.get(user=user, roadmap=roadmap), False
    if not created and enrollment.has_left:
        # Coming back after leaving with history kept picks up where they left off.
        learner_changed(enrollment.pk, status=Enrollment.Status.ACTIVE, **defaults)
        enrollment.refresh_from_db()
        created = True
    return enrollment, created


def set_goals(enrollment, weekly_hours, target_date):
    """Change the weekly hours and target date of an enrolment (None clears either)."""
    learner_changed(enrollment.pk, weekly_hours=weekly_hours, target_date=target_date)
    enrollment.weekly_hours, enrollment.target_date = weekly_hours, target_date


def set_status(enrollment, status):
    learner_changed(enrollment.pk, status=status)
    enrollment.status = status


# Tick in one statement: insert the row done, or mark an existing row done unless it already
# is; the row count says whether anything changed. Django's bulk_create(update_conflicts=True)
# cannot say "unless it already is" (a WHERE on the update), so it is written in SQL, which
# SQLite (3.24+) and PostgreSQL both accept. Unticking and the log entry are SQL too: they run
# on every tick, where building them with the ORM took longer than running them.
_TICK_SQL = """
    INSERT INTO {progress} (enrollment_id, milestone_id, done_at, first_done_at)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (enrollment_id, milestone_id) DO UPDATE
    SET done_at = excluded.done_at,
        first_done_at = COALESCE({progress}.first_done_at, excluded.done_at)
    WHERE {progress}.done_at IS NULL
"""
_UNTICK_SQL = """
    UPDATE {progress} SET done_at = NULL
    WHERE enrollment_id = %s AND milestone_id = %s AND done_at IS NOT NULL
"""
_LOG_SQL = """
    INSERT INTO {activity} (enrollment_id, kind, milestone_id, step_id, created_at)
    VALUES (%s, %s, %s, %s, %s)
"""


@transaction.atomic
def set_milestone(enrollment, milestone, done, now=None):
    """Mark a milestone done or not done; return whether anything changed.

    Three statements when something changes (the lock, the row, the log entry), two when not.
    Unticking keeps the row (and its first-done date); unticking a milestone never ticked
    writes nothing.
    """
    lock(enrollment)
    return _write_milestone(enrollment, milestone, done, now or timezone.now())


def mark_milestone(enrollment, milestone, done, now=None):
    """Mark a milestone done or not done on an enrolment the caller locked in its transaction
    (access.enrollment_to_change, which raises its version), as a tick does; return the
    learner's marks after it, as `pages.learner_marks` reads them.

    The marks are read under the lock, before the write, so they say whether anything
    changes, and the response shows them without reading them again: one statement when
    nothing changes, three when something does (the marks, the row, the log entry).
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("mark_milestone needs the enrolment locked.")
    done_ids, skipped = learner_marks(enrollment)
    if (milestone.pk in done_ids) != done:
        _write_milestone(enrollment, milestone, done, now or timezone.now())
        if done:
            done_ids.add(milestone.pk)
        else:
            done_ids.discard(milestone.pk)
    return done_ids, skipped


def _write_milestone(enrollment, milestone, done, now):
    """The row and its log entry, on a locked enrolment; return whether anything changed."""
    progress = connection.ops.quote_name(MilestoneProgress._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if done:
            params = [enrollment.pk, milestone.pk, when, when]
            cursor.execute(_TICK_SQL.format(progress=progress), params)
        else:
            cursor.execute(_UNTICK_SQL.format(progress=progress), [enrollment.pk, milestone.pk])
        changed = cursor.rowcount
        if changed:
            kind = Activity.Kind.TICKED if done else Activity.Kind.UNTICKED
            activity = connection.ops.quote_name(Activity._meta.db_table)
            params = [enrollment.pk, kind.value, milestone.pk, milestone.step_id, when]
            cursor.execute(_LOG_SQL.format(activity=activity), params)
    return bool(changed)


@transaction.atomic
def set_skipped(enrollment, steps, skipped, phase=None, now=None):
    """Mark steps "I already know this" (or undo it); one log entry per step that changed."""
    now = now or timezone.now()
    lock(enrollment)
    step_ids = [step.pk for step in steps]
    if skipped:
        already = set(
            StepSkip.objects.filter(enrollment=enrollment, step_id__in=step_ids).values_list(
                "step_id", flat=True
            )
        )
        changed = [pk for pk in step_ids if pk not in already]
        StepSkip.objects.bulk_create(
            [StepSkip(enrollment=enrollment, step_id=pk) for pk in changed],
            ignore_conflicts=True,
        )
        kind = Activity.Kind.SKIPPED
    else:
        skips = StepSkip.objects.filter(enrollment=enrollment, step_id__in=step_ids)
        changed = list(skips.values_list("step_id", flat=True))
        skips.delete()
        kind = Activity.Kind.UNSKIPPED
    _log_steps(enrollment, kind, changed, phase, now)
    return len(changed)


@transaction.atomic
def reset(enrollment, steps, phase=None, now=None):
    """Reset steps to not done for revision; history and first-done dates are kept.

    Returns what it changed, as plain values a session can hold, for `undo_reset`: each
    progress row it unticked with its done time, and each skip it removed with its time.
    """
    now = now or timezone.now()
    lock(enrollment)
    step_ids = [step.pk for step in steps]
    undone = list(
        MilestoneProgress.objects.filter(
            enrollment=enrollment, milestone__step_id__in=step_ids, done_at__isnull=False
        ).values_list("pk", "milestone__step_id", "done_at")
    )
    MilestoneProgress.objects.filter(pk__in=[pk for pk, __, __ in undone]).update(done_at=None)
    skips = list(
        StepSkip.objects.filter(enrollment=enrollment, step_id__in=step_ids).values_list(
            "pk", "step_id", "created_at"
        )
    )
    StepSkip.objects.filter(pk__in=[pk for pk, __, __ in skips]).delete()
    touched = {step_id for __, step_id, __ in undone} | {step_id for __, step_id, __ in skips}
    changed = [pk for pk in step_ids if pk in touched]
    _log_steps(enrollment, Activity.Kind.RESET, changed, phase, now)
    return {
        "enrollment": enrollment.pk,
        "phase": phase.pk if phase else None,
        "steps": changed,
        "done": [[pk, done_at.isoformat()] for pk, __, done_at in undone],
        "skips": [[step_id, created_at.isoformat()] for __, step_id, created_at in skips],
    }


@transaction.atomic
def undo_reset(enrollment, record, now=None):
    """Put back exactly what `reset` returned it changed (done times and skips included) and
    log it; return how many steps changed. A second call finds nothing left to change."""
    now = now or timezone.now()
    lock(enrollment)
    done_at = {pk: datetime.fromisoformat(value) for pk, value in record["done"]}
    rows = list(MilestoneProgress.objects.filter(enrollment=enrollment, pk__in=list(done_at)))
    step_of = dict(
        Milestone.objects.filter(pk__in=[row.milestone_id for row in rows]).values_list(
            "pk", "step_id"
        )
    )
    changed_rows = [row for row in rows if row.done_at != done_at[row.pk]]
    for row in changed_rows:
        row.done_at = done_at[row.pk]
    MilestoneProgress.objects.bulk_update(changed_rows, ["done_at"])
    touched = {step_of[row.milestone_id] for row in changed_rows}
    live = set(
        Step.objects.filter(pk__in=[step_id for step_id, __ in record["skips"]]).values_list(
            "pk", flat=True
        )
    )
    present = set(
        StepSkip.objects.filter(enrollment=enrollment, step_id__in=live).values_list(
            "step_id", flat=True
        )
    )
    for step_id, created_at in record["skips"]:
        if step_id in live and step_id not in present:
            skip = StepSkip.objects.create(enrollment=enrollment, step_id=step_id)
            # created_at is set on insert (auto_now_add); the undo restores the original.
            StepSkip.objects.filter(pk=skip.pk).update(
                created_at=datetime.fromisoformat(created_at)
            )
            touched.add(step_id)
    changed = [pk for pk in record["steps"] if pk in touched]
    _log_steps(
        enrollment,
        Activity.Kind.RESTORED,
        changed,
        record.get("phase") and Phase(pk=record["phase"]),
        now,
    )
    return len(changed)


def _log_steps(enrollment, kind, step_ids, phase, now):
    Activity.objects.bulk_create(
        Activity(
            enrollment=enrollment,
            kind=kind,
            step_id=pk,
            phase=phase,
            created_at=now,
        )
        for pk in step_ids
    )


class TooManyLinks(Exception):
    pass


@transaction.atomic
def add_link(enrollment, step, title, url):
    """Add a personal link, at most LINKS_PER_STEP per step, even from two tabs at once."""
    lock(enrollment)
    if PersonalLink.objects.filter(enrollment=enrollment, step=step).count() >= LINKS_PER_STEP:
        raise TooManyLinks
    return PersonalLink.objects.create(enrollment=enrollment, step=step, title=title, url=url)


@transaction.atomic
def save_note(enrollment, step, text):
    lock(enrollment)
    StepNote.objects.update_or_create(enrollment=enrollment, step=step, defaults={"text": text})


@transaction.atomic
def remove_link(enrollment, link):
    lock(enrollment)
    link.delete()


@transaction.atomic
def leave(enrollment, erase):
    """Leave a roadmap: keep the history for a later return, or erase it all.

    Returns what `undo_leave` needs to come back (nothing when erased: that is final).
    Either way the shared progress link is turned off for good (an undo does not bring it
    back), so a later return to the roadmap does not publish it again unnoticed.
    """
    if erase:
        enrollment.delete()
        return None
    record = {"enrollment": enrollment.pk, "status": enrollment.status}
    sharing_links.revoke(enrollment)
    set_status(enrollment, Enrollment.Status.LEFT)
    return record


@transaction.atomic
def undo_leave(enrollment, record):
    """Enrol again with the status held before leaving; return whether anything changed."""
    left = Enrollment.objects.filter(pk=enrollment.pk, status=Enrollment.Status.LEFT)
    changed = enrollments_changed(left, status=record["status"])
    if changed:
        enrollment.status = record["status"]
    return bool(changed)
