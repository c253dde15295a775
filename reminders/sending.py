"""Sending the reminder e-mails that are due: safe with any number of senders at once.

Every message has a key (user, kind, period): the digest's ISO week, or for a nudge the last
day with a tick. A sender **claims** the key before sending by inserting a `SentReminder` row
in its own transaction; the database's unique constraint lets exactly one insert win, and a
loser (IntegrityError) skips the message. After the SMTP server accepts the message the
winner stamps `sent_at`. So:

- normally each message goes out **exactly once**, however many senders run on however many
  servers, because only the claim's winner sends;
- a sender that dies after claiming but before stamping leaves a row without `sent_at`; once
  that claim is older than `STALE_CLAIM` (far longer than one send may take: the SMTP
  connection times out after `SMTP_TIMEOUT`), the next pass takes it over with a conditional
  UPDATE that one sender only can win, and sends again. Nothing is lost, and no two senders
  ever hold the same fresh claim, so a message is never sent twice *concurrently*; if the
  crash fell between the server's acceptance and the stamp, the learner gets it twice (at
  least once, never more than `MAX_ATTEMPTS` times);
- a message the server refuses stays claimed and unsent, is retried the same way, and is
  given up after `MAX_ATTEMPTS` (the log says so each time).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from accounts.middleware import learner_zone
from reminders import emails
from reminders.models import ReminderSettings, SentReminder
from reminders.schedule import digest_due, local_date, nudge_due
from roadmap.models import Activity, Enrollment

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)
SMTP_TIMEOUT = 60  # seconds; well inside STALE_CLAIM
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class DueReminder:
    settings: ReminderSettings
    kind: str
    period: str


def last_active_days(user_ids, now):
    """{user id: the last local day with a tick in an active enrolment, or of enrolling
    when that is later}, for users with an active enrolment; two queries."""
    active = Enrollment.objects.active().filter(user_id__in=user_ids)
    enrolled = dict(
        active.values("user_id").annotate(last=Max("created_at")).values_list("user_id", "last")
    )
    ticked = dict(
        Activity.objects.filter(enrollment__in=active, kind=Activity.Kind.TICKED)
        .values("enrollment__user_id")
        .annotate(last=Max("created_at"))
        .values_list("enrollment__user_id", "last")
    )
    return {user_id: max(last, ticked.get(user_id, last)) for user_id, last in enrolled.items()}


def due_reminders(now):
    """Every e-mail due at `now` and not yet claimed (or claimed long ago and never sent)."""
    candidates = list(ReminderSettings.objects.opted_in().select_related("user"))
    last_active = last_active_days([c.user_id for c in candidates], now)
    due = []
    for prefs in candidates:
        if prefs.user_id not in last_active:
            continue  # nothing active to remind about
        zone = learner_zone(prefs.user)
        if prefs.digest:
            period = digest_due(now, zone, prefs.digest_weekday, prefs.hour)
            if period:
                due.append(DueReminder(prefs, SentReminder.Kind.DIGEST, period))
        if prefs.nudge_days:
            last_day = local_date(last_active[prefs.user_id], zone)
            period = nudge_due(now, zone, prefs.hour, last_day, prefs.nudge_days)
            if period:
                due.append(DueReminder(prefs, SentReminder.Kind.NUDGE, period))
    return _not_yet_claimed(due, now)


def _not_yet_claimed(due, now):
    """Leave out what is sent or freshly claimed, in one query, so that a pass does not try
    an insert for every digest of the week."""
    if not due:
        return due
    taken = set(
        SentReminder.objects.filter(
            user_id__in={d.settings.user_id for d in due},
            period__in={d.period for d in due},
        )
        .exclude(_retryable(now))
        .values_list("user_id", "kind", "period")
    )
    return [d for d in due if (d.settings.user_id, d.kind, d.period) not in taken]


def _retryable(now):
    return Q(sent_at__isnull=True, claimed_at__lt=now - STALE_CLAIM, attempts__lt=MAX_ATTEMPTS)


def claim(user_id, kind, period, now):
    """Claim one message for this sender; True only for the one sender that may send it."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(user_id=user_id, kind=kind, period=period, claimed_at=now)
        return True
    except IntegrityError:
        pass
    # Someone holds the key: take it over only if their claim is stale and unsent. Of two
    # senders racing here, the second's UPDATE sees the first's fresh claimed_at and matches
    # nothing.
    taken = (
        SentReminder.objects.filter(user_id=user_id, kind=kind, period=period)
        .filter(_retryable(now))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return taken == 1


def mark_sent(user_id, kind, period):
    SentReminder.objects.filter(user_id=user_id, kind=kind, period=period).update(
        sent_at=timezone.now()
    )


def send_due_reminders(now=None, should_stop=lambda: False):
    """Claim and send every e-mail due at `now`; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    connection = None
    try:
        for reminder in due_reminders(now):
            if should_stop():
                break
            user_id = reminder.settings.user_id
            if not claim(user_id, reminder.kind, reminder.period, now):
                continue
            if connection is None:
                connection = get_connection(timeout=SMTP_TIMEOUT)
            try:
                message = emails.build(reminder.settings, reminder.kind, now)
                if message is not None:
                    message.connection = connection
                    message.send()
            except Exception:
                # Left claimed and unsent: a later pass retries it (see the module docstring).
                log.exception("Could not send the %s e-mail to user %s", reminder.kind, user_id)
                continue
            mark_sent(user_id, reminder.kind, reminder.period)
            sent += 1
    finally:
        if connection is not None:
            connection.close()
    return sent
