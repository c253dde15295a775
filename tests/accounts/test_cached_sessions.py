"""Sessions are cached when the app has Redis (accounts/sessions.py, config/settings.py): a
request reads its session without a query, yet a session ended on the server can no longer be
used, though a copy of it was cached; on Redis, as in production, and on a local memory cache
(one process); without Redis sessions are not cached at all."""

import os
import time
import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts import sessions
from accounts.deletion import delete_account
from accounts.models import UserSession
from tests.accounts.helpers import PASSWORD
from tests.factories import make_user

REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
DASHBOARD = "/dashboard/"


@pytest.fixture(params=["locmem", "redis"])
def session_cache(request, settings, db):
    """The sessions' cache on local memory, or on Redis (skipped without one)."""
    if request.param == "redis":
        where = {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"session-test-{uuid.uuid4().hex}",
        }
    else:
        where = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}
    settings.CACHES = {**settings.CACHES, "sessions": where}
    cache = caches["sessions"]
    cache.set("ping", 1, 10)
    if cache.get("ping") != 1:
        pytest.skip(f"Needs a Redis at {REDIS} (REDIS_URL)")
    cache.delete("ping")
    yield cache
    if request.param == "locmem":  # Redis entries expire on their own (no FLUSHDB)
        cache.clear()


def logged_in(username="ada"):
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert client.get(DASHBOARD).status_code == 200
    return client


def cached(cache, client):
    return cache.get(sessions.SessionStore.cache_key_prefix + client.session.session_key)


def test_a_session_is_read_from_the_cache(session_cache, django_assert_num_queries):
    make_user("ada")
    client = logged_in()
    assert cached(session_cache, client)["_auth_user_id"]

    # A page that needs the user and nothing else: the user, no session query.
    with django_assert_num_queries(1) as captured:
        assert client.get(reverse("accounts:password-change")).status_code == 200
    assert "usersession" not in captured.captured_queries[0]["sql"]


def test_a_session_row_deleted_behind_the_caches_back_would_still_work(session_cache):
    """Why sessions must be ended through accounts/sessions.py: the cached copy outlives a
    row deleted any other way (this test shows the cache is real, so the next ones can fail)."""
    make_user("ada")
    client = logged_in()
    UserSession.objects.filter(session_key=client.session.session_key).delete()

    assert client.get(DASHBOARD).status_code == 200


def test_ended_sessions_cannot_be_used_though_they_were_cached(session_cache):
    ada = make_user("ada")
    make_user("bea")
    laptop, phone, other = logged_in("ada"), logged_in("ada"), logged_in("bea")
    assert cached(session_cache, laptop)
    assert cached(session_cache, phone)

    assert sessions.end_sessions_of(ada) == 2

    assert cached(session_cache, laptop) is None
    assert cached(session_cache, phone) is None
    for client in (laptop, phone):
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert other.get(DASHBOARD).status_code == 200


def test_a_session_cached_again_before_the_end_commits_is_evicted_after_it(
    session_cache, django_capture_on_commit_callbacks
):
    ada = make_user("ada")
    client = logged_in()
    key = sessions.SessionStore.cache_key_prefix + client.session.session_key
    data = cached(session_cache, client)

    with django_capture_on_commit_callbacks(execute=True):
        sessions.end_sessions_of(ada)
        # Another request read the row before the delete and caches it now.
        session_cache.set(key, data, 60)

    assert session_cache.get(key) is None
    assert client.get(DASHBOARD).status_code == 302


def test_deleting_the_account_ends_its_cached_sessions(session_cache):
    ada = make_user("ada")
    client = logged_in()
    assert cached(session_cache, client)

    delete_account(ada)

    assert cached(session_cache, client) is None
    assert client.get(DASHBOARD).status_code == 302


def test_a_cached_copy_lives_a_few_minutes_at_most(session_cache):
    make_user("ada")
    client = logged_in()
    key = sessions.SessionStore.cache_key_prefix + client.session.session_key
    stored = session_cache.make_and_validate_key(key)
    if hasattr(session_cache, "_expire_info"):  # local memory
        seconds = session_cache._expire_info[stored] - time.time()
    else:  # Redis
        seconds = session_cache._cache.get_client(stored).ttl(stored)
    assert 0 < seconds <= sessions.CACHE_SECONDS


def test_logging_out_evicts_the_cached_session(session_cache):
    make_user("ada")
    client = logged_in()
    key = sessions.SessionStore.cache_key_prefix + client.session.session_key
    stolen = client.cookies["sessionid"].value

    client.post(reverse("accounts:logout"))

    assert session_cache.get(key) is None
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(DASHBOARD).status_code == 302


def test_without_redis_sessions_are_not_cached(db, django_assert_num_queries):
    """Each app process would have a cache of its own, and could not evict another's copy."""
    assert caches["sessions"].__class__.__name__ == "DummyCache"
    make_user("ada")
    client = logged_in()

    with django_assert_num_queries(1) as captured:  # the session with its account
        assert client.get(reverse("accounts:password-change")).status_code == 200
    assert "usersession" in captured.captured_queries[0]["sql"]
