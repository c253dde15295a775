"""The learner's account: Django's user plus the preferences progress figures depend on."""

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_no_at_sign(value):
    """A username never looks like an e-mail address, so it can never stand in the way of
    someone else's e-mail login (the login backend reads "@" as "this is an e-mail")."""
    if "@" in value:
        raise ValidationError(
            _("A username cannot contain @, so that it is never taken for an e-mail address."),
            code="at_sign",
        )


class User(AbstractUser):
    # On the model field, so sign-up, the admin and createsuperuser all refuse "@".
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and . + - _ only."),
        validators=[UnicodeUsernameValidator(), validate_no_at_sign],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    weekly_hours_goal = models.PositiveSmallIntegerField(
        _("weekly hours goal"), default=0, validators=[MaxValueValidator(80)]
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_hours_goal__lte=80),
                name="user_weekly_hours_goal_at_most_80",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_any_case",
                violation_error_message=_("A user with that username already exists."),
            ),
            # Accounts made with createsuperuser may have no e-mail; only real ones are unique.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_any_case",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
        ]

    def __str__(self):
        return self.display_name or self.username


class UserSession(AbstractBaseSession):
    """A session (accounts/sessions.py), with the id of the user logged in to it, if any.

    A plain indexed number rather than a foreign key: a session saved by a request still in
    flight while its account is deleted must not fail on a missing user."""

    account_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
