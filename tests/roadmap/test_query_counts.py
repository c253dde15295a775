"""The queries of a tick and of each page after one, pinned: the same exact count on the
shipped ML roadmap and on a generated 500-step roadmap (issue 15).

Counts are of the Django test client's request, so they include the session and the user,
and, since each test runs in a transaction, a tick's atomic block shows as a SAVEPOINT and a
RELEASE. In production these are BEGIN and COMMIT, which issue 15's counts leave out (on
PostgreSQL psycopg sends BEGIN unseen by Django; SQLite's BEGIN IMMEDIATE goes through Django's
cursor, and Django logs COMMIT): a pinned tick count here is the production count plus two.
The last test counts a tick outside a test transaction, as in production.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap import learning
from roadmap.models import Activity, Milestone, Step
from tests.factories import bulk_roadmap, enrol, make_user
from tests.roadmap.helpers import HTMX

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"  # as htmx posts


@pytest.fixture(params=["shipped", "500 steps"])
def learner(request, client):
    """A learner with some history on the shipped roadmap or on a 500-step one; returns
    (enrollment, the milestones in roadmap order)."""
    if request.param == "shipped":
        roadmap = request.getfixturevalue("ml_roadmap")
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)
        assert Step.objects.filter(roadmap=roadmap).count() == 500
    user = make_user()
    enrollment = enrol(user, roadmap)
    milestones = list(
        Milestone.objects.filter(roadmap=roadmap).order_by(
            "step__phase__position", "step__position", "position"
        )
    )
    for milestone in milestones[:10:2]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, [milestones[-1].step], True)
    client.force_login(user)
    return enrollment, milestones


def tick(client, milestone, done, extra=""):
    url = reverse("roadmap:milestone-tick", args=[milestone.roadmap.slug, milestone.pk])
    return client.post(url, f"done={done}{extra}", content_type=FORM, **HTMX)


@pytest.fixture
def ticking(learner, client):
    """The learner, after a first tick: the roadmap's outline is cached from here on, as it
    is for every tick but the first after a content change."""
    enrollment, milestones = learner
    for milestone in milestones:
        milestone.roadmap = enrollment.roadmap
    assert tick(client, milestones[-2], "1").status_code == 200
    return enrollment, milestones


# The session with its account (one query: accounts/sessions.py); then in the atomic block
# (SAVEPOINT ... RELEASE here, BEGIN ... COMMIT in production): the enrolment found, checked
# and locked by raising its version, with its roadmap's key (one UPDATE ... RETURNING:
# roadmap/versions.py, raise_enrollment_version), the learner's done milestones and skips
# (read once, under the lock), the progress row (one upsert) and the log entry. The response
# is built from the marks already read and the cached outline (roadmap/pages.py:
# step_progress). In production: 5 statements.
TICK_QUERIES = 7
TRANSACTION = 2  # SAVEPOINT and RELEASE: BEGIN and COMMIT outside a test transaction
# A tick that changes nothing (a double click): no row written, no log entry.
UNCHANGED_TICK_QUERIES = TICK_QUERIES - 2


@pytest.mark.parametrize("done", ["1", "0"])
def test_a_tick_runs_the_same_few_queries_whatever_the_roadmaps_size(
    ticking, client, done, django_assert_num_queries
):
    __, milestones = ticking
    target = milestones[0 if done == "0" else 1]  # a real change either way
    with django_assert_num_queries(TICK_QUERIES):
        response = tick(client, target, done)
    assert response.status_code == 200
    assert f'aria-pressed="{"true" if done == "1" else "false"}"' in response.content.decode()


def test_a_tick_that_changes_nothing_writes_no_log_entry(
    ticking, client, django_assert_num_queries
):
    enrollment, milestones = ticking
    entries = Activity.objects.filter(enrollment=enrollment).count()
    with django_assert_num_queries(UNCHANGED_TICK_QUERIES):
        response = tick(client, milestones[0], "1")  # already done
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert Activity.objects.filter(enrollment=enrollment).count() == entries


def test_a_tick_from_the_step_page_runs_the_same_queries(
    ticking, client, django_assert_num_queries
):
    __, milestones = ticking
    with django_assert_num_queries(TICK_QUERIES):
        response = tick(client, milestones[1], "1", "&fragment=milestone")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<li class="milestone"')


def pages_of(enrollment, milestone):
    slug = enrollment.roadmap.slug
    return {
        "roadmap page": reverse("roadmap:roadmap-detail", args=[slug]),
        "step page": reverse("roadmap:step-detail", args=[slug, milestone.step.key]),
        "roadmap dashboard": reverse("roadmap:dashboard-roadmap", args=[slug]),
        "map": reverse("roadmap:roadmap-map", args=[slug]),
    }


# After a tick, each page is a cache miss: rendered again from the cached roadmap content.
# The session with its account, and the page's versions (roadmap/versions.py: page_versions,
# which also reads the learner's enrolment; the roadmap's row and its revisions are kept per
# content version), then:
PAGE_QUERIES = {
    # the learner's done milestones, skips and history, in one query (pages.learner_rows;
    # the outline shows no notes)
    "roadmap page": 3,
    # done milestones and skips, this step's note and links
    "step page": 5,
    # in one query the learner's done milestones, skips, ticks since yesterday or the pace
    # window, and history (dashboards.learner_rows); the content comes from the process
    # (pages.page_content), the days before yesterday from the cache (roadmap/dashboards.py)
    "roadmap dashboard": 3,
    # done milestones and skips
    "map": 3,
}


@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_each_page_after_a_tick_runs_the_same_queries_whatever_the_roadmaps_size(
    ticking, client, page, django_assert_num_queries
):
    enrollment, milestones = ticking
    url = pages_of(enrollment, milestones[3])[page]
    assert client.get(url).status_code == 200  # the content is cached from here on
    assert tick(client, milestones[3], "1").status_code == 200
    with django_assert_num_queries(PAGE_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(2):  # session with account, versions: cached again
        assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_tick_outside_a_test_transaction_sends_five_statements(client):
    """As in production: the atomic block is a real transaction, BEGIN (IMMEDIATE, on SQLite)
    and COMMIT around the statements, which are not counted."""
    roadmap = bulk_roadmap(phases=2, steps=3, milestones=2)
    user = make_user()
    enrollment = enrol(user, roadmap)
    client.force_login(user)
    target = Milestone.objects.filter(roadmap=roadmap).select_related("roadmap").first()
    assert tick(client, target, "0").status_code == 200  # the outline is cached from here on

    with CaptureQueriesContext(connection) as captured:
        response = tick(client, target, "1")

    assert response.status_code == 200
    logged = [query["sql"].split()[:3] for query in captured.captured_queries]
    statements = [words for words in logged if words[0] not in ("BEGIN", "COMMIT")]
    assert len(statements) == TICK_QUERIES - TRANSACTION == 5
    assert [words[0] for words in statements[1:]] == ["UPDATE", "SELECT", "INSERT", "INSERT"]
    assert statements[1][1] == connection.ops.quote_name(enrollment._meta.db_table)
