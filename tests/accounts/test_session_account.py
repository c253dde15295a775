"""A session read from the database brings its account's row along (accounts/sessions.py,
accounts/middleware.py): one query for both, and the user it gives is the one Django's own
lookup would give: the account the session names, fresh, still checked against its password
and its active flag."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.models import User, UserSession
from tests.factories import make_user

PAGE = reverse("accounts:password-change")  # any page for logged-in users only


@pytest.fixture
def ada(db):
    return make_user("ada")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def view(client):
    """(status, the request's user, the queries the view ran)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PAGE)
    return response.status_code, response.wsgi_request.user, captured.captured_queries


def test_the_session_and_its_account_are_read_in_one_query(ada):
    status, user, queries = view(logged_in(ada))

    assert status == 200
    assert user.pk == ada.pk
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert UserSession._meta.db_table in sql
    assert User._meta.db_table in sql


def test_the_account_is_read_fresh_on_every_request(ada):
    client = logged_in(ada)
    view(client)
    User.objects.filter(pk=ada.pk).update(display_name="Ada L.")

    __, user, __ = view(client)

    assert user.display_name == "Ada L."


def test_a_password_changed_elsewhere_ends_the_session(ada):
    client = logged_in(ada)
    ada.set_password("an-entirely-new-passphrase-77")
    ada.save()

    status, user, __ = view(client)

    assert status == 302
    assert not user.is_authenticated


def test_a_deactivated_account_is_logged_out(ada):
    client = logged_in(ada)
    User.objects.filter(pk=ada.pk).update(is_active=False)

    status, user, __ = view(client)

    assert status == 302
    assert not user.is_authenticated


def test_a_session_whose_account_is_gone_logs_nobody_in(ada):
    client = logged_in(ada)
    key = client.session.session_key
    User.objects.filter(pk=ada.pk).delete()
    assert UserSession.objects.filter(session_key=key).exists()  # rows keep no constraint

    status, user, __ = view(client)

    assert status == 302
    assert not user.is_authenticated


def test_the_user_is_the_one_the_session_data_names_not_the_rows_mark(ada):
    """Should a row's mark ever differ from the session's data, the data decides, as in
    Django: the joined row is used only when it is that account."""
    bob = make_user("bob")
    client = logged_in(ada)
    UserSession.objects.filter(session_key=client.session.session_key).update(account_id=bob.pk)

    status, user, queries = view(client)

    assert status == 200
    assert user.pk == ada.pk
    assert len(queries) == 2  # the session (joined with bob), then ada read on her own


def test_the_account_read_with_a_session_serves_only_that_requests_lookup(ada):
    client = logged_in(ada)
    store = sessions.SessionStore(client.session.session_key)
    assert int(store[SESSION_KEY]) == ada.pk  # loaded from the database, with the account
    assert store.account is not None
    assert store.account.pk == ada.pk

    # Outside a lookup (another request, or no request at all) nothing is handed out.
    assert sessions.account_read_with(ada.pk) is None
    token = sessions.looking_up_user_of(store)
    try:
        assert sessions.account_read_with(ada.pk) is store.account
        assert sessions.account_read_with(ada.pk + 1) is None
    finally:
        sessions.done_looking_up(token)
    assert sessions.account_read_with(ada.pk) is None


def test_an_anonymous_session_reads_no_account(db):
    session = UserSession.objects.create(
        session_key="k" * 32,
        session_data=sessions.SessionStore().encode({"seen": 1}),
        expire_date="2999-01-01T00:00:00Z",
    )
    store = sessions.SessionStore(session.session_key)

    assert store["seen"] == 1
    assert store.account is None


def test_the_rows_read_in_one_query_are_what_the_orm_reads(ada):
    """The join is written in SQL (accounts/sessions.py): every value comes back as the ORM
    gives it, of the same type (times aware, flags booleans), on either database."""
    User.objects.filter(pk=ada.pk).update(last_login=timezone.now(), display_name="Ada")
    client = logged_in(ada)
    key = client.session.session_key
    store = sessions.SessionStore(key)
    store.load()

    for row, model in ((store.account, User), (UserSession.objects.get(session_key=key), None)):
        orm = User.objects.get(pk=ada.pk) if model else row
        for field in type(orm)._meta.concrete_fields:
            mine = getattr(row, field.attname)
            theirs = getattr(orm, field.attname)
            assert (mine, type(mine)) == (theirs, type(theirs)), field.name
    assert store.account.last_login.tzinfo is not None
    assert store.account._state.adding is False


def test_an_expired_session_is_not_read(ada):
    client = logged_in(ada)
    key = client.session.session_key
    UserSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = sessions.SessionStore(key)

    assert store.load() == {}
    assert store.account is None
    assert store.session_key is None

    status, user, __ = view(client)
    assert status == 302
    assert not user.is_authenticated
