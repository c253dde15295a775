"""Each logged-in learner reads times on their own clock: the time zone of their settings."""

from zoneinfo import ZoneInfo

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts import sessions

UTC = ZoneInfo("UTC")


def learner_zone(user):
    """The zone of a user's settings; UTC for anonymous visitors and for an unknown zone."""
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (ValueError, KeyError, OSError):  # malformed, unknown (a KeyError) or unreadable
        return UTC


def time_zone(get_response):
    """Activate the logged-in user's time zone for the request, so pages show their times.

    Put it after AuthenticationMiddleware. Without a reachable database the user cannot be
    read: the request then goes on in UTC, and the view meets the outage and answers 503.
    """

    def middleware(request):
        try:
            user = request.user if request.user.is_authenticated else None
        except (OperationalError, InterfaceError):
            user = None
        if user is None:
            timezone.deactivate()
        else:
            timezone.activate(learner_zone(user))
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, looking the user up with the account row read with the session, when the
    session came from the database (accounts/sessions.py): one query fewer per request."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: user_of(request))


def user_of(request):
    """django.contrib.auth.get_user, letting the backend take the account read with the
    request's session."""
    token = sessions.looking_up_user_of(request.session)
    try:
        return auth.get_user(request)
    finally:
        sessions.done_looking_up(token)
