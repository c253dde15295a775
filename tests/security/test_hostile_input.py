"""Every POST endpoint against every kind of hostile input: a 4xx, no traceback, a line or
two of log, and not one row of anyone's data changed."""

import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver, reverse

from reminders import emails
from reminders.models import CalendarFeed, ReminderSettings, SentReminder
from roadmap import learning
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Step,
    StepNote,
    StepSkip,
)
from sharing.models import Share
from tests.roadmap.helpers import enrolled_learner
from tests.security.helpers import (
    FORM,
    csrf_token,
    multipart,
    post_raw,
    request_records,
    strict_client,
)

pytestmark = pytest.mark.django_db

SLUG = "test-roadmap"
LEARNER_TABLES = [
    get_user_model(),
    Enrollment,
    MilestoneProgress,
    StepSkip,
    StepNote,
    PersonalLink,
    Activity,
    ReminderSettings,
    CalendarFeed,
    SentReminder,
    Share,
]
MAX_RECORDS_PER_REQUEST = 2
BIG = "9" * 40


def post_endpoints(link_id, user_id):
    """Every URL that accepts a POST, with a body it would accept (so that only the hostile
    change makes it fail), by URL name."""
    step, phase = "step-0-0", "phase-0"
    roadmap = {"args": [SLUG]}
    return {
        "roadmap:enrol": (reverse("roadmap:enrol", **roadmap), {"weekly_hours": "5"}),
        "roadmap:goals": (reverse("roadmap:goals", **roadmap), {"weekly_hours": "5"}),
        "roadmap:pause": (reverse("roadmap:pause", **roadmap), {}),
        "roadmap:resume": (reverse("roadmap:resume", **roadmap), {}),
        "roadmap:leave": (reverse("roadmap:leave", **roadmap), {"erase": "1"}),
        "roadmap:roadmap-reset": (reverse("roadmap:roadmap-reset", **roadmap), {}),
        "roadmap:changes-seen": (reverse("roadmap:changes-seen", **roadmap), {"revision": "1"}),
        "roadmap:milestone-tick": (
            reverse("roadmap:milestone-tick", args=[SLUG, milestone_id("step-0-0-m1")]),
            {"done": "1"},
        ),
        "roadmap:step-skip": (reverse("roadmap:step-skip", args=[SLUG, step]), {"skipped": "1"}),
        "roadmap:step-reset": (reverse("roadmap:step-reset", args=[SLUG, step]), {}),
        "roadmap:step-notes": (reverse("roadmap:step-notes", args=[SLUG, step]), {"text": "x"}),
        "roadmap:link-add": (
            reverse("roadmap:link-add", args=[SLUG, step]),
            {"title": "A", "url": "https://example.com/"},
        ),
        "roadmap:link-delete": (reverse("roadmap:link-delete", args=[SLUG, step, link_id]), {}),
        "roadmap:phase-skip": (reverse("roadmap:phase-skip", args=[SLUG, phase]), {"skipped": "1"}),
        "roadmap:phase-reset": (reverse("roadmap:phase-reset", args=[SLUG, phase]), {}),
        "roadmap:undo": (reverse("roadmap:undo", **roadmap), {}),
        "roadmap:undo-dismiss": (reverse("roadmap:undo-dismiss", **roadmap), {}),
        "accounts:signup": (
            reverse("accounts:signup"),
            {"username": "new", "email": "new@example.com", "password1": PW, "password2": PW},
        ),
        "accounts:login": (reverse("accounts:login"), {"username": "learner", "password": PW}),
        "accounts:logout": (reverse("accounts:logout"), {}),
        "accounts:password-change": (
            reverse("accounts:password-change"),
            {"old_password": PW, "new_password1": PW2, "new_password2": PW2},
        ),
        "accounts:password-reset": (
            reverse("accounts:password-reset"),
            {"email": "learner@example.com"},
        ),
        "accounts:password-reset-confirm": (
            reverse("accounts:password-reset-confirm", args=["MQ", "set-password"]),
            {"new_password1": PW2, "new_password2": PW2},
        ),
        "accounts:settings": (
            reverse("accounts:settings"),
            {"email": "learner@example.com", "time_zone": "UTC", "weekly_hours_goal": "5"},
        ),
        "accounts:export": (reverse("accounts:export"), {}),
        "accounts:delete": (reverse("accounts:delete"), {"password": PW}),
        "reminders:settings": (
            reverse("reminders:settings"),
            {"digest": "on", "digest_weekday": "0", "hour": "9", "nudge_days": "3"},
        ),
        "reminders:calendar": (reverse("reminders:calendar", **roadmap), {"action": "new"}),
        "reminders:unsubscribe": (
            reverse(
                "reminders:unsubscribe",
                args=[emails.unsubscribe_token(user_id, SentReminder.Kind.DIGEST)],
            ),
            {},
        ),
        "sharing:settings": (reverse("sharing:settings", **roadmap), {"action": "new"}),
    }


PW = "correct horse 42"  # tests.factories.make_user's
PW2 = "another battery staple 7"
ENDPOINTS = [
    "roadmap:enrol",
    "roadmap:goals",
    "roadmap:pause",
    "roadmap:resume",
    "roadmap:leave",
    "roadmap:roadmap-reset",
    "roadmap:changes-seen",
    "roadmap:milestone-tick",
    "roadmap:step-skip",
    "roadmap:step-reset",
    "roadmap:step-notes",
    "roadmap:link-add",
    "roadmap:link-delete",
    "roadmap:phase-skip",
    "roadmap:phase-reset",
    "roadmap:undo",
    "roadmap:undo-dismiss",
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "accounts:password-change",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    "accounts:settings",
    "accounts:export",
    "accounts:delete",
    "reminders:settings",
    "reminders:calendar",
    "reminders:unsubscribe",
    "sharing:settings",
]
# RFC 8058: mail clients unsubscribe with one POST and no session; the signed token in the
# address is the proof (tests/reminders test it), so no CSRF check applies there.
CSRF_EXEMPT = {"reminders:unsubscribe"}
GET_ONLY = {
    "roadmap:home",
    "roadmap:catalogue",
    "roadmap:roadmap-detail",
    "roadmap:roadmap-map",
    "roadmap:step-detail",
    "roadmap:dashboard",
    "roadmap:dashboard-roadmap",
    "roadmap:history",
    "roadmap:roadmap-preview",
    "roadmap:roadmap-insight",
    "roadmap:healthz",
    "accounts:password-change-done",
    "accounts:password-reset-done",
    "accounts:password-reset-complete",
    "reminders:calendar-feed",
    "sharing:page",
    "sharing:badge",
}
# Number fields, per endpoint, that a request can carry.
NUMBER_FIELDS = {
    "roadmap:enrol": "weekly_hours",
    "roadmap:goals": "weekly_hours",
    "roadmap:changes-seen": "revision",
    "roadmap:milestone-tick": "done",
    "roadmap:step-skip": "skipped",
    "roadmap:phase-skip": "skipped",
    "accounts:settings": "weekly_hours_goal",
    "reminders:settings": "nudge_days",
}


def milestone_id(key):
    return Milestone.objects.get(key=key).pk


def encode(data):
    from urllib.parse import urlencode

    return urlencode(data).encode()


def with_value(data, value):
    """The valid body with every field (or a field of its own) set to raw `value` bytes."""
    fields = dict.fromkeys(data, b"") or {"field": b""}
    return b"&".join(name.encode() + b"=" + value for name in fields)


HOSTILE_BODIES = {
    "latin-1 charset": lambda data: (encode(data), f"{FORM}; charset=latin-1"),
    "ascii charset": lambda data: (encode(data), f"{FORM}; charset=ascii"),
    "utf-16 charset": lambda data: (
        encode(data).decode().encode("utf-16"),
        f"{FORM}; charset=utf-16",
    ),
    "unknown charset": lambda data: (encode(data), f"{FORM}; charset=x-no-such"),
    "multipart latin-1": lambda data: (
        multipart({k: v.encode() for k, v in data.items()})[0],
        multipart({})[1] + "; charset=latin-1",
    ),
    "raw invalid utf-8": lambda data: (with_value(data, b"caf\xe9"), FORM),
    "percent-encoded invalid utf-8": lambda data: (with_value(data, b"caf%E9"), FORM),
    "overlong utf-8": lambda data: (with_value(data, b"%C0%AF"), FORM),
    "invalid utf-8 in multipart": lambda data: multipart(
        dict.fromkeys(data, b"caf\xe9") or {"field": b"\xff"}
    ),
    "percent-encoded nul": lambda data: (with_value(data, b"a%00b"), FORM),
    "raw nul": lambda data: (with_value(data, b"a\x00b"), FORM),
    "nul in multipart": lambda data: multipart(dict.fromkeys(data, b"a\x00b") or {"f": b"\x00"}),
    "too many fields": lambda data: (b"&".join(b"f%d=1" % n for n in range(1001)), FORM),
    "broken multipart": lambda data: (b"--x\r\ngarbage", "multipart/form-data; boundary=x"),
}


@pytest.fixture
def learner(client):
    """A learner with some of everything: progress, a skipped step, a note and a link."""
    enrollment = enrolled_learner(client)
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-0-m0"), True)
    learning.set_skipped(enrollment, [Step.objects.get(key="step-1-0")], True)
    learning.save_note(enrollment, Step.objects.get(key="step-0-0"), "My note")
    learning.add_link(enrollment, Step.objects.get(key="step-0-0"), "Mine", "https://a.example/")
    return enrollment.user


@pytest.fixture
def endpoints(learner):
    return post_endpoints(PersonalLink.objects.get().pk, learner.pk)


def snapshot():
    """Every learner row, but the last-login time the test's own log-in sets."""
    return {
        model.__name__: [
            {field: value for field, value in row.items() if field != "last_login"}
            for row in model.objects.order_by("pk").values()
        ]
        for model in LEARNER_TABLES
    }


class Refusals:
    """Sends hostile requests one after another, checking after each that it got the expected
    4xx, logged at most a couple of lines and no traceback, and changed no learner row."""

    def __init__(self, caplog):
        self.caplog = caplog
        self.before = snapshot()
        caplog.clear()

    def check(self, response, status, label):
        assert response.status_code == status, f"{label}: {response.status_code}"
        records = request_records(self.caplog)
        self.caplog.clear()
        assert len(records) <= MAX_RECORDS_PER_REQUEST, (label, [r.getMessage() for r in records])
        assert not [r for r in records if r.exc_info], f"{label}: a traceback was logged"
        assert snapshot() == self.before, f"{label} changed the database"


@pytest.fixture
def refusals(learner, caplog):
    return Refusals(caplog)


def test_every_url_is_covered_either_as_a_post_endpoint_or_as_get_only(endpoints):
    assert list(endpoints) == ENDPOINTS
    names = set()
    for namespace in ("roadmap", "accounts", "reminders", "sharing"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}

    assert names == set(ENDPOINTS) | GET_ONLY


@pytest.mark.parametrize("name", ENDPOINTS)
def test_hostile_bodies_and_query_strings_are_a_400_and_change_nothing(
    learner, endpoints, refusals, name, settings
):
    url, data = endpoints[name]
    data = data or {"field": "1"}  # a body, so that its content type is sent
    client = strict_client(learner)

    for kind, make in HOSTILE_BODIES.items():
        body, content_type = make(data)
        refusals.check(post_raw(client, url, body, content_type=content_type), 400, kind)
    query = post_raw(client, f"{url}?next=%FF%FE", encode(data))
    refusals.check(query, 400, "invalid UTF-8 in the query string")
    padding = b"&padding=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    refusals.check(post_raw(client, url, encode(data) + padding), 400, "body over the limit")


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_out_of_range_numbers_are_a_400_and_change_nothing(learner, endpoints, refusals, name):
    url, data = endpoints[name]
    client = strict_client(learner)

    for value in [BIG, "2147483648", "-2147483649", "-1", "1e9", "0x10", "9" * 5000]:
        body = encode({**data, NUMBER_FIELDS[name]: value})
        refusals.check(post_raw(client, url, body), 400, value[:20])


ID_URLS = {
    "roadmap:milestone-tick": "/roadmaps/test-roadmap/milestones/{}/",
    "roadmap:link-delete": "/roadmaps/test-roadmap/steps/step-0-0/links/{}/delete/",
}


@pytest.mark.parametrize("name", ID_URLS)
def test_ids_in_the_address_that_cannot_exist_are_a_404(learner, endpoints, refusals, name):
    __, data = endpoints[name]
    client = strict_client(learner)

    for bad_id in ["-1", "0", "00", BIG, "9223372036854775808", "1.0", "%201", "%FF"]:
        response = post_raw(client, ID_URLS[name].format(bad_id), encode(data))
        refusals.check(response, 404, bad_id)


@pytest.mark.parametrize("name", [name for name in ENDPOINTS if name not in CSRF_EXEMPT])
def test_a_missing_or_garbage_csrf_token_is_a_403_with_or_without_htmx(
    learner, endpoints, refusals, name
):
    url, data = endpoints[name]
    data = data or {"field": "1"}
    client = strict_client(learner)
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}

    for token in [None, "", "garbage", "x" * 64, "\u00e9" * 32]:
        headers = {**htmx} if token is None else {**htmx, "HTTP_X_CSRFTOKEN": token}
        refusals.check(client.post(url, data, **headers), 403, f"htmx, token {token!r}")
    no_cookie = Client(enforce_csrf_checks=True)
    no_cookie.force_login(learner)
    response = no_cookie.post(url, {**data, "csrfmiddlewaretoken": "a" * 32})
    refusals.check(response, 403, "no CSRF cookie")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_wrong_method_is_a_405_and_changes_nothing(learner, endpoints, refusals, name):
    url, data = endpoints[name]
    client = strict_client(learner)

    for method in ["PUT", "PATCH", "DELETE"]:
        response = client.generic(
            method, url, encode(data), content_type=FORM, HTTP_X_CSRFTOKEN=csrf_token(client)
        )
        refusals.check(response, 405, method)


@pytest.fixture
def console():
    """What the configured root handler writes to stdout, one line per record."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    previous = handler.setStream(io.StringIO())
    yield handler.stream
    handler.setStream(previous)


def test_the_log_stays_one_short_line_per_hostile_request_whatever_is_sent(
    learner, endpoints, console, settings
):
    client = strict_client(learner)
    console.seek(0)
    console.truncate(0)
    requests = 0
    for name in ENDPOINTS:
        url, data = endpoints[name]
        data = data or {"field": "1"}
        for make in HOSTILE_BODIES.values():
            body, content_type = make(data)
            post_raw(client, url, body, content_type=content_type)
            requests += 1
        huge = encode(data) + b"&p=" + b"\xff" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        post_raw(client, url, huge)
        requests += 1

    lines = [line for line in console.getvalue().splitlines() if " axes." not in line]
    assert len(lines) == requests
    assert all("WARNING django.request: Bad request: POST /" in line for line in lines)
    assert max(len(line) for line in lines) < 300
    assert "Traceback" not in console.getvalue()


def test_a_forged_unsubscribe_token_is_a_404_and_changes_nothing(learner, refusals):
    emails.save_preferences(learner, digest=True, digest_weekday=0, hour=9, nudge_days=3)
    refusals.before = snapshot()
    genuine = emails.unsubscribe_token(learner.pk, SentReminder.Kind.DIGEST)
    client = Client()

    for token in [genuine[:-1] + ("A" if genuine[-1] != "A" else "B"), "garbage", "x" * 500]:
        response = client.post(reverse("reminders:unsubscribe", args=[token]))
        refusals.check(response, 404, token[:20])
