"""A learner's data as one JSON-ready document (format "waypoint-export", version 1).

The shape is documented in the README under "Personal data export". Changing a key or its
meaning means a new version number. The document is built with a fixed number of queries.
"""

from django.db.models import Prefetch
from django.utils import timezone

from reminders.models import ReminderSettings, SentReminder
from roadmap.content.exporter import roadmaps_to_data
from roadmap.models import (
    Activity,
    Enrollment,
    MilestoneProgress,
    PersonalLink,
    Roadmap,
    StepNote,
    StepSkip,
)

FORMAT = "waypoint-export"
VERSION = 1


def _when(value):
    return value.isoformat() if value is not None else None


def _key(obj):
    return obj.key if obj is not None else None


def _by_step(model):
    return model.objects.select_related("step")


def enrollments_to_export(user):
    return (
        Enrollment.objects.filter(user=user)
        .select_related("roadmap", "calendar_feed", "share")
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch(
                "progress",
                MilestoneProgress.objects.select_related("milestone__step").order_by(
                    "milestone__step__position", "milestone__position", "id"
                ),
            ),
            Prefetch("skips", StepSkip.objects.select_related("step").order_by("created_at", "id")),
            Prefetch(
                "notes", StepNote.objects.select_related("step").order_by("step__position", "id")
            ),
            Prefetch(
                "links", PersonalLink.objects.select_related("step").order_by("created_at", "id")
            ),
        )
    )


def activity_to_export(user):
    return (
        Activity.objects.filter(enrollment__user=user)
        .select_related("enrollment__roadmap", "milestone", "step", "phase")
        .order_by("created_at", "id")
    )


def profile(user):
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "weekly_hours_goal": user.weekly_hours_goal,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }


def _shared_link(enrollment):
    share = getattr(enrollment, "share", None)
    if share is None:
        return None
    return {
        "made_at": _when(share.created_at),
        "search_engines_may_list": share.allow_indexing,
        "shows": share.shows,  # "progress", or "roadmap" (an own roadmap without progress)
    }


def enrolment(enrollment):
    return {
        "roadmap": enrollment.roadmap.slug,
        "roadmap_title": enrollment.roadmap.title,
        "status": enrollment.status,
        "enrolled_at": _when(enrollment.created_at),
        "target_date": _when(enrollment.target_date),
        "weekly_hours": enrollment.weekly_hours,
        # Whether a calendar link is on; the link itself is not kept, only its fingerprint.
        "calendar_feed": hasattr(enrollment, "calendar_feed"),
        # Whether a shared link is on, may be indexed, and what it shows; never the link.
        "shared_link": _shared_link(enrollment),
        "progress": [
            {
                "milestone": row.milestone.key,
                "step": row.milestone.step.key,
                "done_at": _when(row.done_at),
                "first_done_at": _when(row.first_done_at),
            }
            for row in enrollment.progress.all()
        ],
        "skipped_steps": [
            {"step": skip.step.key, "skipped_at": _when(skip.created_at)}
            for skip in enrollment.skips.all()
        ],
        "notes": [
            {"step": note.step.key, "text": note.text, "updated_at": _when(note.updated_at)}
            for note in enrollment.notes.all()
        ],
        "links": [
            {
                "step": link.step.key,
                "title": link.title,
                "url": link.url,
                "added_at": _when(link.created_at),
            }
            for link in enrollment.links.all()
        ],
    }


def reminders(user):
    """The learner's e-mail reminder settings and every reminder sent to them; two queries."""
    prefs = ReminderSettings.objects.filter(user=user).first()
    settings = None
    if prefs is not None:
        settings = {
            "weekly_digest": prefs.digest,
            "digest_weekday": prefs.digest_weekday,  # 0 is Monday
            "hour": prefs.hour,
            "nudge_after_days": prefs.nudge_days,
            "language": prefs.language,
        }
    sent = [
        {"kind": row.kind, "period": row.period, "sent_at": _when(row.sent_at)}
        for row in SentReminder.objects.filter(user=user).order_by("claimed_at", "id")
    ]
    return {"settings": settings, "sent": sent}


def activity(entry):
    return {
        "roadmap": entry.enrollment.roadmap.slug,
        "kind": entry.kind,
        "at": _when(entry.created_at),
        "phase": _key(entry.phase),
        "step": _key(entry.step),
        "milestone": _key(entry.milestone),
    }


def own_roadmaps(user):
    """The learner's own roadmaps, each with its content in the YAML format the upload reads
    (`content`), in seven queries whatever their number and size."""
    roadmaps = list(Roadmap.objects.owned_by(user).order_by("created_at", "id"))
    return [
        {
            "url_slug": roadmap.slug,
            "title": roadmap.title,
            "created_at": _when(roadmap.created_at),
            "content": content,
        }
        for roadmap, content in zip(roadmaps, roadmaps_to_data(roadmaps), strict=True)
    ]


def export(user, now=None):
    """Everything Waypoint keeps about this learner, as plain JSON-serialisable values."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _when(now or timezone.now()),
        "profile": profile(user),
        "enrolments": [enrolment(e) for e in enrollments_to_export(user)],
        "activity": [activity(entry) for entry in activity_to_export(user)],
        "reminders": reminders(user),
        "own_roadmaps": own_roadmaps(user),
    }


def filename(user, now=None):
    return f"waypoint-export-{user.username}-{(now or timezone.now()).date().isoformat()}.json"
