"""The secret of a shared link: making, replacing and revoking it, choosing what it shows,
and finding the share a link opens.

The token is 256 random bits (`secrets`) in the URL; the database keeps only its SHA-256, as
for the calendar feed (reminders/calendar.py), so a leaked database opens no one's page and
lookups need no constant-time comparison (the unique index is searched by the hash, not by
the secret). A new token replaces the old one, which stops working at once; revoking deletes
the row. Each change raises the enrolment's version (roadmap/versions.py), like every other
change a learner makes.

A link shows the learner's progress; a link to a roadmap they own may show the roadmap only
(`Share.Shows`). A curated roadmap is public already, so its link always shows progress.
Choosing keeps the link: only the row's `shows` changes.
"""

import hashlib
import math
import secrets
import time

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import count_attempt, throttle_key
from reminders.site import absolute_url
from roadmap.models import Enrollment, Roadmap
from roadmap.versions import learner_changed
from sharing.models import Share

TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64  # token_urlsafe(32) is 43 characters; longer input is never looked up
LINKS_PER_HOUR = 20  # new links a learner may make in an hour
THROTTLE_PERIOD = 60 * 60


def fingerprint(token):
    return hashlib.sha256(token.encode()).hexdigest()


def may_show(enrollment, shows):
    """Whether the enrolment's link may show this (a `Share.Shows` value): progress on any
    roadmap, the roadmap only on the learner's own."""
    if shows == Share.Shows.PROGRESS:
        return True
    return shows == Share.Shows.ROADMAP and enrollment.roadmap.is_own


def _check(enrollment, shows):
    if shows is not None and not may_show(enrollment, shows):
        raise ValueError(f"A link to {enrollment.roadmap} cannot show {shows!r}.")


@transaction.atomic
def issue(enrollment, shows=None):
    """A new secret for the enrolment's link, replacing any old one; returns the secret.

    Whether search engines may list the page carries over to the new link, and so does what
    it shows unless `shows` (one may_show allows, else ValueError) says otherwise; a first
    link shows progress unless told.
    """
    _check(enrollment, shows)
    learner_changed(enrollment.pk)  # also serialises two tabs on the enrolment's row
    token = secrets.token_urlsafe(TOKEN_BYTES)
    values = {"token_hash": fingerprint(token), "created_at": timezone.now()}
    if shows is not None:
        values["shows"] = shows
    shares = Share.objects.filter(enrollment=enrollment)
    try:
        with transaction.atomic():
            if not shares.update(**values):
                Share.objects.create(enrollment=enrollment, **values)
    except IntegrityError:  # a second tab made the link a moment ago: replace its token
        shares.update(**values)
    return token


def wait_before_new_link(user):
    """Count one new link for the learner; the seconds to wait when they made more than
    LINKS_PER_HOUR this hour, else 0. Counted in the cache, like the account throttles
    (accounts/throttling.py): shared by every app server with Redis, and if the cache is down
    links are not refused."""
    now = time.time()
    key = throttle_key("share-link", "user", str(user.pk), int(now // THROTTLE_PERIOD))
    if count_attempt(key, THROTTLE_PERIOD) <= LINKS_PER_HOUR:
        return 0
    return max(1, math.ceil(THROTTLE_PERIOD - now % THROTTLE_PERIOD))


@transaction.atomic
def revoke(enrollment):
    """Turn the link off; returns whether there was one."""
    learner_changed(enrollment.pk)
    deleted, __ = Share.objects.filter(enrollment=enrollment).delete()
    return bool(deleted)


@transaction.atomic
def set_indexing(enrollment, allowed):
    """Let search engines list the shared page, or ask them not to; False if no link is on."""
    learner_changed(enrollment.pk)
    return bool(Share.objects.filter(enrollment=enrollment).update(allow_indexing=allowed))


@transaction.atomic
def set_shows(enrollment, shows):
    """Choose what the link shows (one may_show allows, else ValueError), keeping the link;
    False if no link is on."""
    _check(enrollment, shows)
    learner_changed(enrollment.pk)
    return bool(Share.objects.filter(enrollment=enrollment).update(shows=shows))


def share_of(enrollment):
    """The enrolment's share, or None."""
    return Share.objects.filter(enrollment=enrollment).first()


def live_share(token):
    """The share this secret opens, with its enrolment and roadmap, or None: a wrong or
    revoked token, a left enrolment, an unpublished roadmap or a deactivated account opens
    nothing."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Share.objects.select_related("enrollment__roadmap")
        .filter(
            token_hash=fingerprint(token),
            enrollment__in=Enrollment.objects.current(),
            enrollment__user__is_active=True,
        )
        .filter(
            Q(enrollment__roadmap__in=Roadmap.objects.published())
            | Q(enrollment__roadmap__owner=F("enrollment__user"))
        )
        .first()
    )


def page_url(token):
    return absolute_url(reverse("sharing:page", args=[token]))


def badge_url(token):
    return absolute_url(reverse("sharing:badge", args=[token]))
