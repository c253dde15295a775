"""A learner's history on one roadmap: the latest entries of the append-only activity log."""

from roadmap.models import Activity

HISTORY_LENGTH = 15


def recent_activity(enrollment, limit=HISTORY_LENGTH):
    """The latest log entries, newest first, with what they refer to, in one query."""
    return list(
        Activity.objects.filter(enrollment=enrollment)
        .select_related("milestone", "step", "phase")
        .order_by("-created_at", "-id")[:limit]
    )
