"""The private calendar feed of an enrolment: its secret token, and the iCalendar it serves.

The token is 256 random bits (`secrets`) in the URL; the database keeps only its SHA-256, so
a leaked database cannot be used to read anyone's feed and lookups need no constant-time
comparison (the index is searched by the hash, not by the secret). A new token replaces the
old one (which stops working at once); revoking deletes the row.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.middleware import learner_zone
from reminders import planning
from reminders.models import CalendarFeed
from reminders.schedule import local_date
from reminders.site import absolute_url
from roadmap import pace as pacing
from roadmap.models import Enrollment

TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64  # token_urlsafe(32) is 43 characters; longer input is never looked up


def fingerprint(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(enrollment):
    """A new secret for the enrolment's feed, replacing any old one; returns the secret."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feeds = CalendarFeed.objects.filter(enrollment=enrollment)
    try:
        with transaction.atomic():
            if not feeds.update(token_hash=fingerprint(token)):
                CalendarFeed.objects.create(enrollment=enrollment, token_hash=fingerprint(token))
    except IntegrityError:  # a second tab created the feed a moment ago: replace its token
        feeds.update(token_hash=fingerprint(token))
    return token


def revoke(enrollment):
    CalendarFeed.objects.filter(enrollment=enrollment).delete()


def has_feed(enrollment):
    return CalendarFeed.objects.filter(enrollment=enrollment).exists()


def enrollment_for_token(token):
    """The enrolment (with its user and roadmap) this secret opens, or None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.select_related("enrollment__user", "enrollment__roadmap")
        .filter(enrollment__in=Enrollment.objects.current())
        .filter(token_hash=fingerprint(token))
        .first()
    )
    return feed.enrollment if feed else None


def feed_url(token):
    return absolute_url(reverse("reminders:calendar-feed", args=[token]))


def _uid(kind, *ids):
    host = urlsplit(settings.SITE_URL).hostname or "waypoint"
    return f"{kind}-{'-'.join(map(str, ids))}@{host}"


def feed(enrollment, now):
    """The enrolment's plan as iCalendar bytes: one all-day event per planned step spanning
    its planned weeks (Monday of its first to Sunday of its last), and the target date.
    Dates are the learner's own, in their time zone."""
    user = enrollment.user
    zone = learner_zone(user)
    roadmap = enrollment.roadmap
    plan = planning.plan_for(enrollment, today=local_date(now, zone), zone=zone)
    dashboard = absolute_url(reverse("roadmap:dashboard-roadmap", args=[roadmap.slug]))

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Waypoint//Learning plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Waypoint: %(roadmap)s") % {"roadmap": roadmap.title})
    calendar.add("x-wr-timezone", str(zone))
    for step in plan.steps:
        if step.week_start is None:  # no pace at all: nothing can be dated
            continue
        event = icalendar.Event()
        event.add("uid", _uid("step", enrollment.pk, step.step_id))
        event.add("dtstamp", now)
        event.add("dtstart", step.week_start)
        last_week = pacing.week_start(step.finish) if step.finish else step.week_start
        event.add("dtend", max(last_week, step.week_start) + timedelta(days=7))
        event.add("summary", step.step_title)
        hours = planning.hours_left(step)
        about = ngettext("about %(hours)s hour", "about %(hours)s hours", hours) % {"hours": hours}
        event.add("description", f"{roadmap.title} · {step.phase_title} · {about}\n{dashboard}")
        event.add("url", dashboard)
        event.add("transp", "TRANSPARENT")  # a plan for the week, not a busy block
        calendar.add_component(event)
    if enrollment.target_date:
        event = icalendar.Event()
        event.add("uid", _uid("target", enrollment.pk))
        event.add("dtstamp", now)
        event.add("dtstart", enrollment.target_date)
        event.add("dtend", enrollment.target_date + timedelta(days=1))
        event.add("summary", _("Target date: %(roadmap)s") % {"roadmap": roadmap.title})
        event.add("url", dashboard)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
