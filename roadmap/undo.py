"""Offers to undo the changes that lose progress in one go (resets, leaving a roadmap).

The change itself returns a record of exactly what it changed (roadmap/learning.py); the
record is kept in the learner's session under a random token, so an offer to undo lasts for
the rest of the session and belongs to nobody else. Taking an offer removes it first, and the
restore only changes what differs, so a double submission changes nothing twice.
"""

import secrets

SESSION_KEY = "waypoint-undo"
KEEP = 10  # offers kept per session, newest last

RESET_STEP = "reset-step"
RESET_PHASE = "reset-phase"
RESET_ROADMAP = "reset-roadmap"
LEAVE = "leave"


def offer(request, roadmap, kind, title, record):
    offers = [
        *request.session.get(SESSION_KEY, []),
        {
            "token": secrets.token_urlsafe(12),
            "kind": kind,
            "roadmap": roadmap.slug,
            "roadmap_title": roadmap.title,
            "title": title,
            "record": record,
        },
    ]
    request.session[SESSION_KEY] = offers[-KEEP:]


def latest_offer(request):
    """The newest undo offer of this session, or None; shown on every page until used or
    dismissed (and part of cached pages' keys: roadmap/fragments.py)."""
    session = getattr(request, "session", None)
    offers = session.get(SESSION_KEY) if session is not None else None
    return offers[-1] if offers else None


def take(request, slug):
    """Remove the offer named by the POSTed token from the session and return it."""
    token = request.POST.get("token", "")
    offers = request.session.get(SESSION_KEY, [])
    found = next((o for o in offers if o["token"] == token and o["roadmap"] == slug), None)
    if found is not None:
        request.session[SESSION_KEY] = [o for o in offers if o is not found]
    return found


def forget(request, slug):
    """Drop every offer on a roadmap that no longer exists (an own roadmap deleted)."""
    offers = request.session.get(SESSION_KEY, [])
    if any(o["roadmap"] == slug for o in offers):
        request.session[SESSION_KEY] = [o for o in offers if o["roadmap"] != slug]


def context(request):
    """Context processor: the undo offer the page shows."""
    return {"undo_offer": latest_offer(request)}
