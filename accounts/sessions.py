"""Django's database sessions, with each row marked with its user, so that every session of
one account can be found (and ended) with one indexed query, on any number of app servers.

SESSION_ENGINE = "accounts.sessions" (config/settings.py). The row's account is written on
every save, so it follows the session through log-in, password change (a new key) and log-out.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


def account_of(data):
    """The logged-in user's id that session data holds, or None."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    # The class name stays "SessionStore": it salts the signed data, so sessions moved from
    # Django's own table (migration 0004) still read.

    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.account_id = account_of(data)
        return session


def end_sessions_of(user):
    """Delete every session of `user`, on every device; return how many there were."""
    return SessionStore.get_model_class().objects.filter(account_id=user.pk).delete()[0]
