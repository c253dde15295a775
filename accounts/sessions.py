"""Django's cached database sessions, with each row marked with its user, so that every session
of one account can be found (and ended) with one indexed query, on any number of app servers.

SESSION_ENGINE = "accounts.sessions" (config/settings.py). The row's account is written on
every save, so it follows the session through log-in, password change (a new key) and log-out.

Cached: a session is read from the cache (Django's `cached_db`, the "sessions" cache: Redis,
which every app process shares, when REDIS_URL is set; without Redis a dummy cache, since a
process could not evict another process's copy) and from the database only on a miss, so a
request runs one query fewer. The
database stays the record: every write goes to both, and whatever ends sessions evicts them
from the cache too. A log-out or a flush does it through the store (`delete`); sessions ended
in bulk go through `end_sessions_of`, which evicts each one, now and again after the
transaction commits (a request reading the row meanwhile may have cached it again). Nothing
may delete session rows another way. A cached entry lives at most CACHE_SECONDS, so that even
a cache that failed to evict (Redis down at that moment: config/cache.py turns errors into
misses) forgets an ended session soon; an account's user row is read on every request anyway
(django.contrib.auth), so a deleted account's cached session logs nobody in.

One query for the session and its account: a session read from the database brings its
account's row along (a join on the row's account id, `_SessionRead`), and while
django.contrib.auth looks up the request's user (accounts.middleware.AuthenticationMiddleware)
the backend takes that row instead of reading it again (`account_read_with`), if it is the
account the session names. The join is written in SQL: it runs on every request, and
building it with the ORM took twenty times longer than running it.
"""

import functools
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.db import connections, router, transaction
from django.utils import timezone

CACHE_SECONDS = 5 * 60


def account_of(data):
    """The logged-in user's id that session data holds, or None."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


class SessionStore(CachedDatabaseStore):
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

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Capped(self._cache)
        self.account = None  # the account row read with the session from the database

    def _get_session_from_db(self):
        # Django's own (the session unexpired, or None and no key), with the account's row.
        found = _SessionRead.of(router.db_for_read(self.model)).read(self.session_key)
        if found is None:
            self._session_key = None
            return None
        session, self.account = found
        return session


class _SessionRead:
    """The query reading an unexpired session and its account's row (None for a session of
    nobody, or of an account deleted since), written once per database from the models'
    fields; the values are converted as the ORM converts them."""

    @classmethod
    @functools.cache
    def of(cls, alias):
        return cls(alias)

    def __init__(self, alias):
        from accounts.models import UserSession

        self.alias = alias
        connection = connections[alias]
        quote = connection.ops.quote_name
        self.models = (UserSession, get_user_model())
        names = ("session_key", "session_data", "expire_date", "account_id")
        self.fields = (
            [UserSession._meta.get_field(name) for name in names],
            list(self.models[1]._meta.concrete_fields),
        )
        self.expiry = self.fields[0][names.index("expire_date")]
        self.attnames = tuple([field.attname for field in fields] for fields in self.fields)
        key, __, expire, account_id = (quote(field.column) for field in self.fields[0])
        session, account = (quote(model._meta.db_table) for model in self.models)
        columns = [f"{session}.{quote(field.column)}" for field in self.fields[0]]
        columns += [f"{account}.{quote(field.column)}" for field in self.fields[1]]
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {session} LEFT JOIN {account} "
            f"ON {account}.{quote(self.models[1]._meta.pk.column)} = {session}.{account_id} "
            f"WHERE {session}.{key} = %s AND {session}.{expire} > %s"
        )
        self.columns = [
            field.get_col(field.model._meta.db_table) for field in self.fields[0] + self.fields[1]
        ]

    def read(self, session_key):
        """(the UserSession, its account or None), or None for no unexpired session."""
        connection = connections[self.alias]
        expire = self.expiry.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [session_key, expire])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for index, column in enumerate(self.columns):  # as the ORM converts them
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                row[index] = convert(row[index], column, connection)
        split = len(self.fields[0])
        session = self._instance(0, row[:split])
        account = None if row[split] is None else self._instance(1, row[split:])
        return session, account

    def _instance(self, which, values):
        return self.models[which].from_db(self.alias, self.attnames[which], values)


# The session of the request whose user django.contrib.auth is looking up, if any.
_looking_up = ContextVar("session whose user is looked up", default=None)


def looking_up_user_of(session):
    """Context for django.contrib.auth.get_user: lets the backend take the account row read
    with `session` (see `account_read_with`). Returns the token for `_looking_up.reset`."""
    return _looking_up.set(session)


def done_looking_up(token):
    _looking_up.reset(token)


def account_read_with(user_id):
    """The account row read with the session whose user is being looked up, if it is the
    account `user_id`; None otherwise (the backend then reads it)."""
    account = getattr(_looking_up.get(), "account", None)
    if account is not None and account.pk == user_id:
        return account
    return None


class _Capped:
    """The session cache, keeping nothing longer than CACHE_SECONDS."""

    def __init__(self, cache):
        self.cache = cache

    def get(self, key, default=None):
        return self.cache.get(key, default)

    def set(self, key, value, timeout):
        self.cache.set(key, value, min(timeout, CACHE_SECONDS))

    def delete(self, key):
        return self.cache.delete(key)

    def delete_many(self, keys):
        return self.cache.delete_many(keys)

    def __contains__(self, key):
        return key in self.cache

    def __getattr__(self, name):  # anything else (the async methods): as the cache does it
        return getattr(self.cache, name)


def evict(session_keys):
    """Forget these sessions' cached copies (their rows are gone or going)."""
    if session_keys:
        SessionStore()._cache.delete_many(
            [SessionStore.cache_key_prefix + key for key in session_keys]
        )


def end_sessions_of(user):
    """Delete every session of `user`, on every device, and their cached copies; return how
    many there were."""
    sessions = SessionStore.get_model_class().objects.filter(account_id=user.pk)
    keys = list(sessions.values_list("session_key", flat=True))
    deleted = sessions.filter(session_key__in=keys).delete()[0]
    evict(keys)
    transaction.on_commit(lambda: evict(keys))
    return deleted
