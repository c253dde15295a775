"""What Waypoint sends or publishes to a learner outside the site: calendar feeds, e-mails.

A calendar feed's token is stored only as its SHA-256 (the URL is the secret); the e-mail
preferences are opt-in; every e-mail is claimed in `SentReminder` before it is sent (see
reminders/sending.py for the protocol).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmap.models import Enrollment

NUDGE_DAYS_MAX = 60


class CalendarFeed(models.Model):
    """The secret iCalendar URL of one enrolment; deleting the row revokes it."""

    enrollment = models.OneToOneField(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("enrolment"),
    )
    token_hash = models.CharField(_("token fingerprint"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.enrollment)


class Weekday(models.IntegerChoices):
    """Python's date.weekday() numbering."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReminderSettingsQuerySet(models.QuerySet):
    def opted_in(self):
        """Learners who asked for at least one kind of e-mail and can receive it."""
        return self.filter(
            models.Q(digest=True) | models.Q(nudge_days__isnull=False),
            user__is_active=True,
        ).exclude(user__email="")


class ReminderSettings(models.Model):
    """A learner's e-mail reminders; everything is off until they switch it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_settings",
        verbose_name=_("learner"),
    )
    digest = models.BooleanField(_("weekly digest"), default=False)
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    # Both kinds of e-mail go out at this local hour, so they arrive when the learner chose.
    hour = models.PositiveSmallIntegerField(
        _("e-mail hour"), default=9, validators=[MaxValueValidator(23)]
    )
    nudge_days = models.PositiveSmallIntegerField(
        _("nudge after days without a tick"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(NUDGE_DAYS_MAX)],
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)

    objects = ReminderSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_weekday__lte=6, hour__lte=23),
                name="reminder_digest_time_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(nudge_days__isnull=True)
                | models.Q(nudge_days__gte=1, nudge_days__lte=NUDGE_DAYS_MAX),
                name="reminder_nudge_days_in_range",
            ),
        ]

    def __str__(self):
        return str(self.user)


class SentReminder(models.Model):
    """One e-mail to one learner: claimed (inserted) before sending, stamped once sent."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Weekly digest")
        NUDGE = "nudge", _("Nudge")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("learner"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The digest's ISO week ("2026-W13"), or the nudge's last day with a tick ("2026-03-20").
    period = models.CharField(_("period"), max_length=20)
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period"], name="one_reminder_per_user_kind_and_period"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.period}"
