"""The secret of a shared progress link: making, replacing and revoking it, and finding the
share a link opens.

The token is 256 random bits (`secrets`) in the URL; the database keeps only its SHA-256, as
for the calendar feed (reminders/calendar.py), so a leaked database opens no one's page and
lookups need no constant-time comparison (the unique index is searched by the hash, not by
the secret). A new token replaces the old one, which stops working at once; revoking deletes
the row. Each change raises the enrolment's version (roadmap/versions.py), like every other
change a learner makes.
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


@transaction.atomic
def issue(enrollment):
    """A new secret for the enrolment's link, replacing any old one; returns the secret.

    Whether search engines may list the page carries over to the new link.
    """
    learner_changed(enrollment.pk)  # also serialises two tabs on the enrolment's row
    token = secrets.token_urlsafe(TOKEN_BYTES)
    values = {"token_hash": fingerprint(token), "created_at": timezone.now()}
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
