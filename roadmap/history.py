"""A learner's history on one roadmap: the latest entries of the append-only activity log."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import mark_safe

from roadmap import fragments, partials, versions
from roadmap.kept import Kept
from roadmap.models import Activity

HISTORY_LENGTH = 15


@dataclass(frozen=True)
class HistoryEntry:
    """One log entry as the history shows it, and nothing else (its cache key is made of it)."""

    pk: int
    kind: str  # Activity.Kind
    created_at: datetime
    milestone_title: str  # "" for an entry about a whole step
    step_title: str


def recent_activity(enrollment, limit=HISTORY_LENGTH):
    """The latest log entries, newest first, with the titles they refer to, in one query."""
    rows = (
        Activity.objects.filter(enrollment=enrollment)
        .order_by("-created_at", "-id")
        .values_list("pk", "kind", "created_at", "milestone__title", "step__title")[:limit]
    )
    return [
        HistoryEntry(pk, kind, at, milestone or "", step or "")
        for pk, kind, at, milestone, step in rows
    ]


# Entries' HTML each process keeps, with their keys: about 1.4 KB an entry, so about 360 KB.
# A page shows HISTORY_LENGTH entries, so this holds the histories of the 17 or so learners a
# process served last; anyone else's entries come from the shared cache in one call. It was
# 2048 (about 2.9 MB): under bench/active.py each tick adds an entry, the store filled up with
# entries no page showed any more, and glibc's heap, fragmented by the requests in between,
# held about three times their size, which took a worker from +16% to +25% resident memory.
HISTORY_KEPT = 256
_entries = Kept(HISTORY_KEPT)


def entries_html(entries):
    """The entries' list items, each cached under a key made of the entry (and the language
    and time zone, versions.history_key): entries never change, so after a tick only the new
    one is rendered. Each process also keeps the items it used last, by the entry itself (a
    HistoryEntry names its HTML for good), so most entries cost neither a key nor a cache
    call."""
    local = versions.rendering()
    shown = fragments.kept_fragments(
        _entries,
        entries,
        kept_key=lambda entry: (local, entry),
        cache_key=versions.history_key,
        template=partials.HISTORY_ENTRY,
        context=lambda entry: {"entry": entry},
    )
    return mark_safe("".join(shown[entry] for entry in entries))
